/* www/console/js/book.js — a market's order book kept in sync: the REST snapshot, then the WebSocket's updates in update-id order (Binance's procedure); a hole means a new snapshot */

import { call } from './api.js';
import { subscribe } from './ws.js';
import { cmpDec, isZero } from './ui.js';

const KEEP = 100;

/*
 * Follow symbol's book; onChange({ bids, asks, lastUpdateId }) after each
 * change, best first, prices and quantities as the API's strings.
 * Returns the function that stops following.
 */
export function followBook(symbol, depth, onChange) {
	const bids = new Map(), asks = new Map();
	let last = null;		/* the last update id applied; null: no base yet */
	let buffered = [];
	let stopped = false;

	function levels(m, desc) {
		const l = Array.from(m.entries());
		l.sort((x, y) => desc ? cmpDec(y[0], x[0]) : cmpDec(x[0], y[0]));
		return l.slice(0, depth);
	}

	function emit() {
		onChange({ bids: levels(bids, true), asks: levels(asks, false), lastUpdateId: last });
	}

	function apply(side, lv) {
		for (const [p, q] of lv) {
			if (isZero(q))
				side.delete(p);
			else
				side.set(p, q);
		}
	}

	function base(d) {
		bids.clear();
		asks.clear();
		apply(bids, d.bids || []);
		apply(asks, d.asks || []);
		last = Number(d.lastUpdateId);
	}

	/* An update after the base: applied when it continues the sequence, else a resync. */
	function update(d) {
		const U = Number(d.U), u = Number(d.u);
		if (u <= last)
			return true;
		if (U > last + 1)
			return false;
		apply(bids, d.bids || []);
		apply(asks, d.asks || []);
		last = u;
		return true;
	}

	async function snapshot() {
		last = null;
		const d = await call('GET', '/markets/' + encodeURIComponent(symbol) + '/orderbook?depth=' + KEEP);
		if (stopped || last !== null)
			return;
		base(d);
		const pend = buffered;
		buffered = [];
		for (const x of pend)
			if (!update(x))
				return snapshot();
		emit();
	}

	const unsub = subscribe({ channel: 'orderbook', symbol, depth: KEEP }, (m) => {
		if (m.type === 'snapshot') {
			/* On (re)subscribing and after the streamer's own resync: start again from it. */
			buffered = [];
			base(m.data);
			emit();
		} else if (m.type === 'update') {
			if (last === null)
				buffered.push(m.data);
			else if (update(m.data))
				emit();
			else
				snapshot().catch(() => null);
		}
	});
	snapshot().catch(() => null);
	return () => {
		stopped = true;
		unsub();
	};
}
