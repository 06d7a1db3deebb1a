/* www/console/staff/markets.js — markets: every market with its status (public list, staff detail); ADMIN changes a status with a reason and creates a market */

import * as session from './session.js';
import { el, box, field, values, form, button, say, show, table } from '../js/ui.js';
import { refused, pageHead, objectFacts, section } from './common.js';

const STATUSES = [['ACTIVE', 'ACTIVE'], ['HALTED', 'HALTED'], ['CANCEL_ONLY', 'CANCEL_ONLY'], ['CLOSED', 'CLOSED']];

/* The public list, read without the staff token: it is the same for everyone. */
async function publicMarkets() {
	const r = await fetch('/api/v1/public/markets', { headers: { Accept: 'application/json' }, credentials: 'omit' });
	const j = await r.json();
	if (!r.ok || !j.success)
		throw new Error((j.error && j.error.message) || 'markets: ' + r.status);
	return Array.isArray(j.data) ? j.data : j.data.markets || [];
}

function statusForm(m, reload) {
	const st = field({ name: 'status', label: 'New status of ' + m.symbol, options: STATUSES, value: m.status });
	const why = field({ name: 'reason', label: 'Reason', required: true });
	const wrap = box('div', { class: 'actions', id: 'market-status' }, st, why);
	wrap.append(button('Change status', async () => {
		const v = values(wrap);
		if (!v.reason)
			throw new Error('A reason is required.');
		const d = await session.call('POST', '/admin/markets/' + encodeURIComponent(m.symbol) + '/status',
		    { status: v.status, reason: v.reason });
		say(m.symbol + ': ' + (d.previousStatus || '') + ' → ' + d.status + '.', 'ok');
		await reload();
	}));
	return wrap;
}

function detail(pane, m, reload) {
	const kids = [];
	return session.call('GET', '/admin/markets/' + encodeURIComponent(m.symbol)).then((d) => {
		kids.push(section(m.symbol, objectFacts(d, { id: 'market-facts' })));
		if (session.may('markets.write'))
			kids.push(statusForm(d, reload));
		show(pane, kids);
	});
}

function createForm(reload) {
	return form('market-create', [
		{ name: 'symbol', label: 'Symbol', required: true, placeholder: 'SOLTRY' },
		{ name: 'baseAsset', label: 'Base asset', required: true },
		{ name: 'quoteAsset', label: 'Quote asset', required: true },
		{ name: 'pricePrecision', label: 'Price precision', required: true, inputmode: 'numeric', value: '2' },
		{ name: 'quantityPrecision', label: 'Quantity precision', required: true, inputmode: 'numeric', value: '8' },
		{ name: 'minQuantity', label: 'Minimum quantity', required: true, inputmode: 'decimal' },
		{ name: 'minNotional', label: 'Minimum notional', required: true, inputmode: 'decimal' },
		{ name: 'makerFee', label: 'Maker fee', required: true, inputmode: 'decimal', value: '0.001' },
		{ name: 'takerFee', label: 'Taker fee', required: true, inputmode: 'decimal', value: '0.002' },
	], 'Create market (starts HALTED)', async (v, f) => {
		const d = await session.call('POST', '/admin/markets', v);
		say('Market ' + d.symbol + ' created, ' + d.status + '.', 'ok');
		f.reset();
		await reload();
	});
}

export async function render(main) {
	main.append(...pageHead('Markets', 'markets.write'));
	const list = el('div', null, { id: 'market-list' });
	const pane = el('div', null, { id: 'market-pane' });
	const reload = async () => {
		const rows = await publicMarkets();
		show(list, table([
			['Market', (m) => m.symbol],
			['Status', (m) => m.status],
			['Maker / taker', (m) => (m.makerFee ?? '') + ' / ' + (m.takerFee ?? '')],
			['', (m) => button('Details', () => detail(pane, m, reload), { 'aria-label': 'Details of ' + m.symbol, class: 'secondary' })],
		], rows, { id: 'market-table', empty: 'No markets.', rowAttrs: (m) => ({ 'data-symbol': m.symbol }) }));
	};
	main.append(list, pane);
	if (session.may('markets.write'))
		main.append(section('New market', createForm(reload)));
	try {
		await reload();
	} catch (e) {
		refused(main, e, 'read markets');
	}
	return null;
}
