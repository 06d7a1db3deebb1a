/* www/console/staff/reports.js — reports: trading per market or user over a time range, MASAK suspicious-transaction cases and the travel-rule list */

import * as session from './session.js';
import { el, form, say, show, table, when } from '../js/ui.js';
import { refused, pageHead, rowsTable, section } from './common.js';

function isoDay(d) {
	return d.toISOString().slice(0, 10);
}

function tradingForm(out) {
	const now = new Date();
	return form('report-trading', [
		{ name: 'from', label: 'From (UTC day)', type: 'date', value: isoDay(new Date(now - 30 * 86400e3)) },
		{ name: 'to', label: 'To (UTC day, exclusive)', type: 'date', value: isoDay(new Date(+now + 86400e3)) },
		{ name: 'period', label: 'Period', options: [['day', 'Day'], ['month', 'Month']] },
		{ name: 'groupBy', label: 'Group by', options: [['market', 'Market'], ['user', 'User']] },
	], 'Run trading report', async (v) => {
		const q = new URLSearchParams();
		for (const k of ['from', 'to', 'period', 'groupBy'])
			if (v[k])
				q.set(k, v[k]);
		const d = await session.call('GET', '/admin/reports/trading?' + q.toString());
		show(out, el('p', (d.rows || []).length + ' row(s), ' + d.period + ' by ' + d.groupBy + '.'),
		    rowsTable(d.rows || [], { id: 'report-trading-table', empty: 'No trades in the range.' }));
		say('Trading report ready.', 'ok');
	});
}

function masakView(d) {
	const cases = d.cases || [];
	return [
		el('p', cases.length + ' case(s); filing deadline ' + d.deadlineBusinessDays +
		    ' business days; travel rule from ' + d.travelRuleThresholdTry + ' TRY.'),
		table([
			['Case', (c) => c.caseId],
			['Status', (c) => c.status],
			['Alert', (c) => [c.alertId, c.severity, c.type].filter(Boolean).join(' ')],
			['Customer', (c) => c.customer ? [c.customer.firstName, c.customer.lastName, c.customer.email].filter(Boolean).join(' ') : ''],
			['Deadline', (c) => c.deadline + (c.overdue ? ' (overdue)' : '')],
		], cases, { id: 'report-masak-cases', caption: 'Suspicious-transaction cases', empty: 'No cases.' }),
		rowsTable(d.travelRule || [], { id: 'report-travel', caption: 'Transfers needing travel-rule data', empty: 'None.' }),
	];
}

export async function render(main) {
	main.append(...pageHead('Reports'));
	const trading = el('div', null, { id: 'report-trading-out', 'aria-live': 'polite' });
	const masak = el('div', null, { id: 'report-masak-out', 'aria-live': 'polite' });
	main.append(section('Trading', tradingForm(trading), trading),
	    section('MASAK', form('report-masak', [], 'Draft MASAK report (each view is audited)', async () => {
		    show(masak, masakView(await session.call('GET', '/admin/reports/masak')));
		    say('MASAK report drafted at ' + when(new Date()) + '.', 'ok');
	    }), masak));
	if (!session.may('reports.read'))
		refused(main, { status: 403, code: 'FORBIDDEN' }, 'read reports');
	return null;
}
