/* www/console/staff/withdrawals.js — the withdrawal review queue (spec §11.3): what waits, riskiest or oldest first, each with its risk level and approvals */

import * as session from './session.js';
import { el, box, button, show, table, when } from '../js/ui.js';
import { go } from '../js/router.js';
import { refused, pageHead, riskBadge } from './common.js';

export async function render(main) {
	main.append(...pageHead('Withdrawals waiting for review', 'withdrawals.decide'));
	const list = el('div', null, { id: 'wd-list' });
	let sort = '-riskScore';
	const load = async () => {
		const { data, meta } = await session.list('/admin/withdrawals/pending?pageSize=100&sort=' + encodeURIComponent(sort));
		show(list, el('p', (meta.totalCount ?? data.length) + ' withdrawal(s) waiting.'),
		    table([
			['Requested', (w) => when(w.createdAt)],
			['User', (w) => w.user ? w.user.email : ''],
			['Amount', (w) => w.amount + ' ' + w.asset],
			['Value (TRY)', (w) => w.valueInTRY],
			['Risk', (w) => riskBadge(w.riskLevel, w.riskScore)],
			['Approvals', (w) => (w.approvals || []).length + ' of ' + w.approvalsRequired],
			['', (w) => button('Review', () => go('/withdrawals/' + w.withdrawalId),
			    { 'aria-label': 'Review withdrawal ' + w.withdrawalId })],
		    ], data, { id: 'wd-table', empty: 'Nothing waits for review.', rowAttrs: (w) => ({ 'data-wdr': w.withdrawalId }) }));
	};
	const order = box('div', { class: 'tabs', role: 'group', 'aria-label': 'Order' });
	for (const [s, t] of [['-riskScore', 'Riskiest first'], ['+createdAt', 'Oldest first']]) {
		const b = button(t, async () => {
			sort = s;
			for (const x of order.children)
				x.setAttribute('aria-pressed', String(x === b));
			await load();
		}, { 'aria-pressed': String(s === sort) });
		order.append(b);
	}
	main.append(order, list);
	try {
		await load();
	} catch (e) {
		refused(main, e, 'read the withdrawal queue');
	}
	return null;
}
