/* www/console/js/chart.js — a market's candle chart (lightweight-charts): candles from the REST klines, the current one updated from the WebSocket's kline channel */

import { createChart, CandlestickSeries } from '../vendor/lightweight-charts.js';
import { call } from './api.js';
import { subscribe } from './ws.js';

/*
 * The chart library draws numbers, so prices become numbers here and only
 * here: what the console shows as text stays the API's decimal strings.
 */
function bar(k) {
	return {
		time: Math.floor(k.openTime / 1000),
		open: Number(k.open), high: Number(k.high), low: Number(k.low), close: Number(k.close),
	};
}

/* A chart of symbol at interval in the element; returns { stop, bars() }. */
export async function candleChart(elem, symbol, interval) {
	const chart = createChart(elem, {
		autoSize: true,
		/* The logo brings an inline <style> the CSP refuses; the page credits TradingView instead. */
		layout: { textColor: '#111', background: { color: '#fff' }, attributionLogo: false },
		timeScale: { timeVisible: true, secondsVisible: false },
	});
	const series = chart.addSeries(CandlestickSeries, {
		upColor: '#0a6b2d', downColor: '#a4141c', borderVisible: false,
		wickUpColor: '#0a6b2d', wickDownColor: '#a4141c',
	});
	let count = 0;
	let lastTime = 0;
	let ks;
	try {
		ks = await call('GET', '/public/klines/' + encodeURIComponent(symbol) +
		    '?interval=' + interval + '&limit=300');
	} catch (e) {
		chart.remove();
		throw e;
	}
	const data = ks.map(bar);
	series.setData(data);
	count = data.length;
	lastTime = data.length ? data[data.length - 1].time : 0;
	elem.setAttribute('data-bars', String(count));
	const unsub = subscribe({ channel: 'kline', symbol, interval }, (m) => {
		const b = bar(m.data);
		if (b.time < lastTime)
			return;
		if (b.time > lastTime)
			count++;
		lastTime = b.time;
		series.update(b);
		elem.setAttribute('data-bars', String(count));
		elem.setAttribute('data-last-close', m.data.close);
	});
	return {
		stop() {
			unsub();
			chart.remove();
		},
	};
}
