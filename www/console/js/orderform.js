/* www/console/js/orderform.js — order entry for every type the API takes (LIMIT, MARKET, STOP_LOSS, STOP_LIMIT, OCO): only the fields a type uses are shown and sent */

import { call } from './api.js';
import { el, form, say, isZero } from './ui.js';

/*
 * Which fields each type takes, and its time-in-force choices (the first is
 * the API's default). An OCO list takes no time in force (its limit leg is
 * GTC) and an optional stop-limit price for its stop leg.
 */
const TYPES = {
	LIMIT: { price: true, stop: false, tif: ['GTC', 'IOC', 'FOK'] },
	MARKET: { price: false, stop: false, tif: ['IOC', 'FOK'] },
	STOP_LOSS: { price: false, stop: true, tif: ['IOC', 'FOK'] },
	STOP_LIMIT: { price: true, stop: true, tif: ['GTC', 'IOC', 'FOK'] },
	OCO: { price: true, stop: true, stopLimit: true, tif: [] },
};

/* The status line's words for an accepted order or OCO list. */
function placed(o, m) {
	if (o.orders)
		return 'Order list ' + o.orderListId + ': ' + o.listStatusType + ' (' +
		    o.orders.map((x) => x.type + ' ' + x.status).join(', ') + ').';
	return 'Order ' + o.orderId + ': ' + o.status + (o.executedQuantity && !isZero(o.executedQuantity) ?
	    ', ' + o.executedQuantity + ' ' + m.baseAsset + ' filled' : '') + '.';
}

/* The order form for market m; onPlaced(order) after each accepted order. */
export function orderForm(m, onPlaced) {
	const f = form('order-form', [
		{ name: 'side', label: 'Side', options: [['BUY', 'Buy ' + m.baseAsset], ['SELL', 'Sell ' + m.baseAsset]] },
		{ name: 'type', label: 'Type', options: Object.keys(TYPES).map((t) => [t, t === 'OCO' ? 'OCO (limit + stop)' : t.replace('_', ' ')]) },
		{ name: 'stopPrice', label: 'Stop price (' + m.quoteAsset + ')', inputmode: 'decimal', pattern: '[0-9]+(\\.[0-9]+)?' },
		{ name: 'price', label: 'Limit price (' + m.quoteAsset + ')', inputmode: 'decimal', pattern: '[0-9]+(\\.[0-9]+)?' },
		{ name: 'stopLimitPrice', label: 'Stop-limit price (' + m.quoteAsset + ', optional)', inputmode: 'decimal',
		    pattern: '[0-9]+(\\.[0-9]+)?', hint: 'Empty: the stop leg sells or buys at market.' },
		{ name: 'quantity', label: 'Quantity (' + m.baseAsset + ')', inputmode: 'decimal', pattern: '[0-9]+(\\.[0-9]+)?', required: true },
		{ name: 'timeInForce', label: 'Time in force', options: [['GTC', 'GTC']] },
	], 'Place order', async (v) => {
		const t = TYPES[v.type];
		const body = { symbol: m.symbol, side: v.side, type: v.type, quantity: v.quantity };
		if (t.tif.length)
			body.timeInForce = v.timeInForce;
		if (t.price)
			body.price = v.price;
		if (t.stop)
			body.stopPrice = v.stopPrice;
		if (t.stopLimit && v.stopLimitPrice)
			body.stopLimitPrice = v.stopLimitPrice;
		const o = await call('POST', '/orders', body);
		say(placed(o, m), 'ok');
		onPlaced(o);
	});
	const shown = () => {
		const t = TYPES[f.elements.type.value];
		f.elements.price.closest('.field').hidden = !t.price;
		f.elements.price.required = t.price;
		f.elements.stopPrice.closest('.field').hidden = !t.stop;
		f.elements.stopPrice.required = t.stop;
		f.elements.stopLimitPrice.closest('.field').hidden = !t.stopLimit;
		const tif = f.elements.timeInForce;
		tif.closest('.field').hidden = !t.tif.length;
		tif.replaceChildren(...t.tif.map((x) => el('option', x, { value: x })));
	};
	f.elements.type.addEventListener('change', shown);
	shown();
	return f;
}
