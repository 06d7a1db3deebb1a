/* www/console/staff/audit.js — the audit log: entries by event type, actor, target and time, and the hash-chain verifier over a range */

import * as session from './session.js';
import { el, box, field, values, button, say, show, table, when } from '../js/ui.js';
import { refused, pageHead, facts, section } from './common.js';

function verifyView(d) {
	const b = d.firstBroken;
	return [
		el('p', d.intact ? 'The chain is intact: ' + d.checked + ' entries checked.' :
		    'The chain is BROKEN at ' + b.auditId + ' (' + b.problem + ').',
		    { class: d.intact ? 'verdict-ok' : 'verdict-bad', id: 'audit-verdict', role: d.intact ? null : 'alert' }),
		facts([['Checked', d.checked], ['From', d.from || 'the start'], ['To', d.to || 'now'],
		    ['First entry', d.firstAuditId], ['Last entry', d.lastAuditId],
		    ['First break', b ? b.auditId + ' ' + b.problem + ' ' + when(b.timestamp) : 'none']]),
	];
}

function verifier() {
	const out = el('div', null, { id: 'audit-verify-out', 'aria-live': 'polite' });
	const wrap = box('div', { class: 'actions' },
	    field({ name: 'from', label: 'From (optional)', type: 'date' }),
	    field({ name: 'to', label: 'To (optional)', type: 'date' }));
	wrap.append(button('Verify the chain', async () => {
		const v = values(wrap);
		const q = new URLSearchParams();
		if (v.from)
			q.set('from', v.from);
		if (v.to)
			q.set('to', v.to);
		show(out, el('p', 'Verifying…'));
		const d = await session.call('GET', '/admin/audit/verify' + (q.toString() ? '?' + q.toString() : ''));
		show(out, verifyView(d));
		say(d.intact ? 'Audit chain verified.' : 'Audit chain broken.', d.intact ? 'ok' : 'error');
	}, { id: 'audit-verify' }));
	return section('Chain verifier', wrap, out);
}

export async function render(main) {
	main.append(...pageHead('Audit log'));
	const filters = box('div', { class: 'actions' },
	    field({ name: 'filter_eventType', label: 'Event type', placeholder: 'WITHDRAWAL_APPROVAL' }),
	    field({ name: 'filter_actorId', label: 'Staff member (usr_…)' }),
	    field({ name: 'filter_targetUserId', label: 'Target user (usr_…)' }));
	const list = el('div', null, { id: 'audit-list' });
	const load = async () => {
		const q = new URLSearchParams({ pageSize: '50' });
		for (const [k, x] of Object.entries(values(filters)))
			if (x)
				q.set(k, x);
		const { data, meta } = await session.list('/admin/audit?' + q.toString());
		show(list, el('p', (meta.totalCount ?? data.length) + ' entries; newest first.'), table([
			['When', (a) => when(a.timestamp)],
			['Event', (a) => a.eventType + ' ' + (a.action || '')],
			['Staff', (a) => a.adminEmail || a.adminUserId],
			['Target', (a) => a.targetRef || a.targetUserId],
			['Reason', (a) => a.reason],
			['Hash', (a) => (a.hash || '').slice(0, 12)],
		], data, { id: 'audit-table', empty: 'No entries match.', rowAttrs: (a) => ({ 'data-audit': a.auditId }) }));
	};
	filters.append(button('Show', load, { class: 'secondary' }));
	main.append(verifier(), section('Entries', filters, list));
	try {
		await load();
	} catch (e) {
		refused(main, e, 'read the audit log');
	}
	return null;
}
