/* www/console/js/views/orders.js — the user's orders: open ones with cancel, the history and trades a page at a time, live from the private orders channel */

import { call, list } from '../api.js';
import { el, show, table, when, button, say, pager } from '../ui.js';
import { subscribe } from '../ws.js';

const side = (o) => el('span', o.side, { class: o.side === 'BUY' ? 'buy' : 'sell' });

function openTable(rows, reload) {
	return table([
		['Time', (x) => when(x.createdAt)], ['Market', (x) => x.symbol], ['Side', side], ['Type', (x) => x.type],
		['Price', (x) => x.price || '—'], ['Stop', (x) => x.stopPrice || '—'], ['Quantity', (x) => x.quantity],
		['Filled', (x) => x.executedQuantity], ['Status', (x) => x.status],
		['', (x) => button('Cancel', async () => {
			await call('DELETE', '/orders/' + encodeURIComponent(x.orderId));
			say('Order ' + x.orderId + ' canceled.', 'ok');
			await reload();
		}, { 'aria-label': 'Cancel order ' + x.orderId })],
	], rows, { id: 'open-orders-table', empty: 'No open orders.', rowAttrs: (x) => ({ 'data-order': x.orderId }) });
}

function historyTable(rows) {
	return table([
		['Time', (x) => when(x.createdAt)], ['Market', (x) => x.symbol], ['Side', side], ['Type', (x) => x.type],
		['Price', (x) => x.price || x.averagePrice || '—'], ['Quantity', (x) => x.quantity],
		['Filled', (x) => x.executedQuantity], ['Status', (x) => x.status],
	], rows, { id: 'order-history-table', empty: 'No orders yet.', rowAttrs: (x) => ({ 'data-order': x.orderId }) });
}

/* A trade's fee is { amount, currency } (the asset it was taken in). */
function tradesTable(rows) {
	return table([
		['Time', (x) => when(x.createdAt || x.timestamp)], ['Market', (x) => x.symbol], ['Side', side],
		['Price', (x) => x.price], ['Quantity', (x) => x.quantity],
		['Fee', (x) => (x.fee && x.fee.amount ? x.fee.amount + ' ' + x.fee.currency : '')],
	], rows, { id: 'trade-history-table', empty: 'No trades yet.' });
}

export async function render(main) {
	const open = el('div', null, { id: 'orders-open' });
	const hist = el('div', null, { id: 'orders-history' });
	const trades = el('div', null, { id: 'trades-history' });
	/* The page of each list on show, as the API's links name it. */
	const at = { hist: '/orders?pageSize=50&sort=-createdAt', trades: '/trades?pageSize=50' };
	const turn = (which) => (path) => {
		at[which] = path;
		return reload();
	};
	const reload = async () => {
		const [o, h, t] = await Promise.all([
			call('GET', '/orders?filter_status=OPEN&pageSize=100&sort=-createdAt'),
			list(at.hist),
			list(at.trades),
		]);
		show(open, openTable(o, reload));
		show(hist, historyTable(h.data), pager('Order history pages', h.meta, h.links, turn('hist')));
		show(trades, tradesTable(t.data), pager('Trade pages', t.meta, t.links, turn('trades')));
	};
	show(main, el('h1', 'Orders'), el('h2', 'Open orders'), open, el('h2', 'Order history'), hist,
	    el('h2', 'Trades'), trades);
	await reload();
	const unsub = subscribe({ channel: 'orders', private: true }, () => reload().catch(() => null));
	return { stop: unsub };
}
