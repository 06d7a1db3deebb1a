/* www/console/staff/alerts.js — compliance alerts: the open ones first, filtered by state or severity, each opening its detail */

import * as session from './session.js';
import { el, box, field, button, show, table, when } from '../js/ui.js';
import { go } from '../js/router.js';
import { refused, pageHead, riskBadge } from './common.js';

const STATES = [['', 'Any state'], ['NEW', 'New'], ['UNDER_REVIEW', 'Under review'], ['ESCALATED', 'Escalated'],
    ['RESOLVED', 'Resolved'], ['FALSE_POSITIVE', 'False positive']];
const SEVERITIES = [['', 'Any severity'], ['LOW', 'Low'], ['MEDIUM', 'Medium'], ['HIGH', 'High'], ['CRITICAL', 'Critical']];

export async function render(main) {
	main.append(...pageHead('Compliance alerts', 'alerts.resolve'));
	const state = field({ name: 'filter_resolution', label: 'State', options: STATES, value: 'NEW' });
	const sev = field({ name: 'filter_severity', label: 'Severity', options: SEVERITIES });
	const list = el('div', null, { id: 'alert-list' });
	const load = async () => {
		const q = new URLSearchParams({ pageSize: '100' });
		for (const s of [state, sev]) {
			const i = s.querySelector('select');
			if (i.value)
				q.set(i.name, i.value);
		}
		const { data, meta } = await session.list('/admin/compliance/alerts?' + q.toString());
		show(list, el('p', (meta.totalCount ?? data.length) + ' alert(s).'),
		    table([
			['Raised', (a) => when(a.createdAt)],
			['Severity', (a) => riskBadge(a.severity, a.riskScore)],
			['Type', (a) => a.type],
			['User', (a) => a.userEmail || a.userId],
			['State', (a) => a.resolution],
			['', (a) => button('Open', () => go('/alerts/' + a.alertId), { 'aria-label': 'Open alert ' + a.alertId })],
		    ], data, { id: 'alert-table', empty: 'No alerts match.', rowAttrs: (a) => ({ 'data-alert': a.alertId }) }));
	};
	const filters = box('div', { class: 'actions' }, state, sev, button('Show', load, { class: 'secondary' }));
	main.append(filters, list);
	try {
		await load();
	} catch (e) {
		refused(main, e, 'read compliance alerts');
	}
	return null;
}
