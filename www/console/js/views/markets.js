/* www/console/js/views/markets.js — the markets: symbol, last price, 24 h change and volume, each linking to its page */

import { call } from '../api.js';
import { el, show, table } from '../ui.js';

export async function render(main) {
	show(main, el('h1', 'Markets'), el('p', 'Loading…'));
	const markets = await call('GET', '/public/markets');
	const rows = Array.isArray(markets) ? markets : (markets.markets || []);
	show(main, el('h1', 'Markets'), table([
		['Market', (m) => el('a', m.symbol, { href: '#/markets/' + encodeURIComponent(m.symbol) })],
		['Status', (m) => m.status],
		['Base', (m) => m.baseAsset],
		['Quote', (m) => m.quoteAsset],
		['Maker fee', (m) => m.makerFee],
		['Taker fee', (m) => m.takerFee],
	], rows, { id: 'markets', empty: 'No markets.', rowAttrs: (m) => ({ 'data-symbol': m.symbol }) }));
}
