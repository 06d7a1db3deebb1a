/* www/console/js/views/orders.js — the user's orders: open ones with cancel, the history, and trades, live from the private orders channel */

import { call, list } from '../api.js';
import { el, show, table, when, button, say } from '../ui.js';
import { subscribe } from '../ws.js';

const side = (o) => el('span', o.side, { class: o.side === 'BUY' ? 'buy' : 'sell' });

export async function render(main) {
	const open = el('div', null, { id: 'orders-open' });
	const hist = el('div', null, { id: 'orders-history' });
	const trades = el('div', null, { id: 'trades-history' });
	const reload = async () => {
		const [o, h, t] = await Promise.all([
			call('GET', '/orders?filter_status=OPEN&pageSize=100&sort=-createdAt'),
			list('/orders?pageSize=50&sort=-createdAt'),
			call('GET', '/trades?pageSize=50'),
		]);
		show(open, table([
			['Time', (x) => when(x.createdAt)], ['Market', (x) => x.symbol], ['Side', side], ['Type', (x) => x.type],
			['Price', (x) => x.price || '—'], ['Stop', (x) => x.stopPrice || '—'], ['Quantity', (x) => x.quantity],
			['Filled', (x) => x.executedQuantity], ['Status', (x) => x.status],
			['', (x) => button('Cancel', async () => {
				await call('DELETE', '/orders/' + encodeURIComponent(x.orderId));
				say('Order ' + x.orderId + ' canceled.', 'ok');
				await reload();
			}, { 'aria-label': 'Cancel order ' + x.orderId })],
		], o, { id: 'open-orders-table', empty: 'No open orders.', rowAttrs: (x) => ({ 'data-order': x.orderId }) }));
		show(hist, table([
			['Time', (x) => when(x.createdAt)], ['Market', (x) => x.symbol], ['Side', side], ['Type', (x) => x.type],
			['Price', (x) => x.price || x.averagePrice || '—'], ['Quantity', (x) => x.quantity],
			['Filled', (x) => x.executedQuantity], ['Status', (x) => x.status],
		], h.data, { id: 'order-history-table', empty: 'No orders yet.', rowAttrs: (x) => ({ 'data-order': x.orderId }) }));
		show(trades, table([
			['Time', (x) => when(x.createdAt || x.timestamp)], ['Market', (x) => x.symbol], ['Side', side],
			['Price', (x) => x.price], ['Quantity', (x) => x.quantity],
			['Fee', (x) => (x.fee && x.fee.amount ? x.fee.amount + ' ' + x.fee.currency : '')],
		], t, { id: 'trade-history-table', empty: 'No trades yet.' }));
	};
	show(main, el('h1', 'Orders'), el('h2', 'Open orders'), open, el('h2', 'Order history'), hist,
	    el('h2', 'Trades'), trades);
	await reload();
	const unsub = subscribe({ channel: 'orders', private: true }, () => reload().catch(() => null));
	return { stop: unsub };
}
