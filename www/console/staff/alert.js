/* www/console/staff/alert.js — one compliance alert: what raised it, its factors, and its resolution with a note */

import * as session from './session.js';
import { el, box, field, values, button, say, show, when } from '../js/ui.js';
import { refused, pageHead, facts, objectFacts, riskBadge, section } from './common.js';

const RESOLUTIONS = [['RESOLVED', 'Resolved'], ['FALSE_POSITIVE', 'False positive'],
    ['UNDER_REVIEW', 'Under review'], ['ESCALATED', 'Escalated']];

function resolveForm(a, reload) {
	const res = field({ name: 'resolution', label: 'Resolution', options: RESOLUTIONS });
	const note = field({ name: 'note', label: 'Note (required)', type: 'textarea', required: true });
	const wrap = box('div', { id: 'alert-resolve' }, res, note);
	wrap.append(box('div', { class: 'actions' }, button('Save resolution', async () => {
		const v = values(wrap);
		if (!v.note) {
			wrap.querySelector('[name=note]').focus();
			throw new Error('A note is required.');
		}
		const d = await session.call('POST', '/admin/compliance/alerts/' + encodeURIComponent(a.alertId) + '/resolve',
		    { resolution: v.resolution, note: v.note });
		say('Alert ' + a.alertId + ' is now ' + d.resolution + '.', 'ok');
		await reload();
	})));
	return wrap;
}

function view(a, reload) {
	const kids = [
		facts([['Alert', a.alertId], ['Severity', riskBadge(a.severity, a.riskScore)], ['Type', a.type],
		    ['State', a.resolution], ['Subject', a.subject], ['User', (a.userEmail || '') + ' ' + (a.userId || '')],
		    ['Raised', when(a.createdAt)], ['Withdrawals held', a.withdrawalsHeld],
		    ['Note', a.note], ['Resolved by', a.resolvedBy], ['Resolved', when(a.resolvedAt)]], { id: 'alert-facts' }),
		section('Details', objectFacts(a.details)),
	];
	if (session.may('alerts.resolve') && a.resolution !== 'RESOLVED' && a.resolution !== 'FALSE_POSITIVE')
		kids.push(section('Resolve', resolveForm(a, reload)));
	return kids;
}

export async function render(main, params) {
	main.append(...pageHead('Alert', 'alerts.resolve'));
	const body = el('div', null, { id: 'alert-body' });
	main.append(body);
	const reload = async () => {
		show(body, view(await session.call('GET', '/admin/compliance/alerts/' + encodeURIComponent(params.id)), reload));
	};
	try {
		await reload();
	} catch (e) {
		refused(main, e, 'read compliance alerts');
	}
	return null;
}
