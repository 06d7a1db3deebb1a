/* www/console/js/views/market.js — one market: ticker, live candle chart, order book, recent trades; for a logged-in user order entry (OCO lists too), open orders with cancel (a list's two legs together) and the two balances */

import { call, currentUser } from '../api.js';
import { el, box, show, table, when, button, say } from '../ui.js';
import { subscribe } from '../ws.js';
import { followBook } from '../book.js';
import { candleChart } from '../chart.js';
import { orderForm } from '../orderform.js';

const INTERVALS = ['1m', '5m', '15m', '1h', '4h', '1d'];

/* The ticker's figures; the 24 h volume is in the quote asset (Appendix C), and says so. */
function tickerLine(t, m) {
	return [['Last', t.lastPrice], ['24 h change', t.priceChange24h], ['24 h high', t.high24h],
	    ['24 h low', t.low24h], ['24 h volume', t.volume24h, m.quoteAsset]]
	    .filter(([, v]) => v !== undefined && v !== null)
	    .map(([k, v, unit]) => box('span', { class: 'tick' }, el('small', k + ' '),
		el('strong', v, { 'data-field': k }), unit ? ' ' + unit : null));
}

function bookTables(b) {
	const cols = (side) => [['Price', ([p]) => el('span', p, { class: side })], ['Quantity', ([, q]) => q]];
	return box('div', { class: 'row' },
	    table(cols('buy'), b.bids, { id: 'book-bids', caption: 'Bids', empty: 'No bids.' }),
	    table(cols('sell'), b.asks, { id: 'book-asks', caption: 'Asks', empty: 'No asks.' }));
}

function tradesTable(ts) {
	return table([
		['Time', (t) => when(t.time || t.timestamp)],
		['Price', (t) => el('span', t.price, { class: (t.takerSide || t.side) === 'SELL' ? 'sell' : 'buy' })],
		['Quantity', (t) => t.quantity],
	], ts, { id: 'market-trades', empty: 'No trades yet.' });
}

/* Whether an order is a leg of an OCO list (orderListId -1 otherwise). */
function inList(o) {
	return o.orderListId !== undefined && o.orderListId !== null && String(o.orderListId) !== '-1';
}

async function privatePart(m, area, stops) {
	const sym = encodeURIComponent(m.symbol);
	const balances = el('div', null, { id: 'market-balances' });
	const open = el('div', null, { id: 'open-orders' });
	const refresh = async () => {
		const [bal, os] = await Promise.all([
			call('GET', '/wallets/balances'),
			call('GET', '/orders?filter_symbol=' + sym + '&filter_status=OPEN&pageSize=100'),
		]);
		const list = (bal.balances || bal).filter((b) => b.asset === m.baseAsset || b.asset === m.quoteAsset);
		show(balances, table([['Asset', (b) => b.asset], ['Available', (b) => b.available], ['Locked', (b) => b.locked]],
		    list, { id: 'balances-mini', empty: 'No balance.' }));
		show(open, table([
			['Side', (o) => el('span', o.side, { class: o.side === 'BUY' ? 'buy' : 'sell' })],
			['Type', (o) => o.type], ['Price', (o) => o.price || o.stopPrice || 'market'],
			['Quantity', (o) => o.quantity], ['Filled', (o) => o.executedQuantity], ['Status', (o) => o.status],
			['List', (o) => inList(o) ? 'OCO ' + o.orderListId : ''],
			['', (o) => button('Cancel', () => cancel(o), { 'aria-label': inList(o) ?
			    'Cancel order list ' + o.orderListId + ' (both orders)' : 'Cancel order ' + o.orderId })],
		], os, { id: 'open-orders-table', empty: 'No open orders.',
		    rowAttrs: (o) => ({ 'data-order': o.orderId, 'data-list': inList(o) ? o.orderListId : null }) }));
	};
	/* A leg of an OCO list goes with its list: both legs are canceled. */
	const cancel = async (o) => {
		if (inList(o)) {
			await call('DELETE', '/order-lists/' + encodeURIComponent(o.orderListId));
			say('Order list ' + o.orderListId + ' canceled (both orders).', 'ok');
		} else {
			await call('DELETE', '/orders/' + encodeURIComponent(o.orderId));
			say('Order ' + o.orderId + ' canceled.', 'ok');
		}
		await refresh();
	};
	show(area, el('h2', 'Trade'), box('div', { class: 'row' },
	    box('div', null, orderForm(m, () => refresh().catch(() => null))),
	    box('div', null, el('h3', 'Balances'), balances)),
	    el('h2', 'Open orders'), open);
	await refresh();
	stops.push(subscribe({ channel: 'orders', private: true }, () => refresh().catch(() => null)));
}

/*
 * The candle chart and its interval buttons. Clicks may come faster than
 * the klines load: only the latest choice is drawn, an earlier load that
 * ends later is dropped as it arrives, and each chart is stopped once.
 */
function chartPart(symbol, chartBox) {
	let chart = null;
	let latest = 0;
	let stopped = false;
	const load = async (iv) => {
		const mine = ++latest;
		if (chart)
			chart.stop();
		chart = null;
		let c;
		try {
			c = await candleChart(chartBox, symbol, iv);
		} catch (e) {
			if (mine === latest && !stopped)
				throw e;
			return;
		}
		if (mine !== latest || stopped) {
			c.stop();
			return;
		}
		chart = c;
		chartBox.setAttribute('data-interval', iv);
	};
	const tabs = box('div', { class: 'tabs', role: 'group', 'aria-label': 'Candle interval' },
	    INTERVALS.map((iv) => button(iv, async () => {
		for (const b of tabs.querySelectorAll('button'))
			b.setAttribute('aria-pressed', String(b.textContent === iv));
		await load(iv);
	    }, { 'aria-pressed': String(iv === '1m') })));
	const stop = () => {
		stopped = true;
		if (chart)
			chart.stop();
		chart = null;
	};
	return { tabs, load, stop };
}

/* The public part that stays live: ticker, recent trades, order book. */
async function livePart(m, ticker, trades, book, stops) {
	const symbol = m.symbol;
	const t = await call('GET', '/public/ticker/' + encodeURIComponent(symbol));
	show(ticker, tickerLine(t, m));
	stops.push(subscribe({ channel: 'ticker', symbol }, (msg) => show(ticker, tickerLine(msg.data, m))));
	let recent = await call('GET', '/public/trades/' + encodeURIComponent(symbol) + '?limit=20');
	show(trades, tradesTable(recent));
	stops.push(subscribe({ channel: 'trade', symbol }, (msg) => {
		recent = [msg.data].concat(recent).slice(0, 20);
		show(trades, tradesTable(recent));
	}));
	stops.push(followBook(symbol, 15, (b) => {
		book.setAttribute('data-update-id', String(b.lastUpdateId));
		show(book, bookTables(b));
	}));
}

export async function render(main, params) {
	const symbol = params.symbol;
	const markets = await call('GET', '/public/markets');
	const m = (Array.isArray(markets) ? markets : markets.markets || []).find((x) => x.symbol === symbol);
	if (!m) {
		show(main, el('h1', symbol), el('p', 'No such market.'));
		return null;
	}
	const ticker = el('p', null, { id: 'ticker', class: 'ticks', 'aria-live': 'off' });
	const chartBox = el('div', null, { id: 'chart', class: 'chart', role: 'img',
	    'aria-label': 'Price chart of ' + symbol });
	const book = el('div', null, { id: 'book' });
	const trades = el('div');
	const mine = el('section', null, { id: 'trade' });
	const charts = chartPart(symbol, chartBox);
	/* A guest's login comes back to this market. */
	const login = el('a', 'Log in', { href: '#/login?next=' + encodeURIComponent('/markets/' + symbol) });
	show(main, el('h1', m.symbol + ' — ' + m.baseAsset + '/' + m.quoteAsset), ticker, charts.tabs, chartBox,
	    box('p', { class: 'credit' }, 'Chart: ', el('a', 'TradingView Lightweight Charts™',
		{ href: 'https://www.tradingview.com/', rel: 'noopener noreferrer' })),
	    box('div', { class: 'row' }, box('section', null, el('h2', 'Order book'), book),
		box('section', null, el('h2', 'Recent trades'), trades)),
	    currentUser() ? mine : box('p', null, login, ' to trade.'));

	const stops = [charts.stop];
	const stop = () => {
		for (const s of stops.splice(0))
			s();
	};
	try {
		await livePart(m, ticker, trades, book, stops);
		await charts.load('1m');
		if (currentUser())
			await privatePart(m, mine, stops);
	} catch (e) {
		stop();
		throw e;
	}
	return { stop };
}
