/* www/console/js/views/bots.js — the user's bots: the list with status and PnL, and a new bot (market, venue, strategy and its parameters, size, limits, paper mode) */

import { call } from '../api.js';
import { el, box, form, show, table, sayNext } from '../ui.js';
import { go } from '../router.js';

const STRATEGIES = [['simple', 'Simple (buy below, sell above)'], ['ema', 'EMA crossover'], ['rsi', 'RSI'],
    ['grid', 'Grid'], ['dca', 'Dollar-cost averaging']];
const dec = (name, label, required) => ({ name, label, inputmode: 'decimal', pattern: '[0-9]+(\\.[0-9]+)?', required });

function newBotForm(markets) {
	return form('bot-form', [
		{ name: 'name', label: 'Name', required: true },
		{ name: 'symbol', label: 'Market', options: markets.map((m) => [m.symbol, m.symbol]) },
		{ name: 'venue', label: 'Where it trades', options: [['HZM', 'hzm'], ['BINANCE', 'Binance (your key)']] },
		{ name: 'strategy', label: 'Strategy', options: STRATEGIES },
		{ name: 'strategyParams', label: 'Strategy parameters (JSON)', type: 'textarea',
		    value: '{"buyBelow": "100.00", "sellAbove": "200.00"}',
		    hint: 'e.g. simple: {"buyBelow", "sellAbove"}; grid: {"lower", "upper", "levels"}' },
		dec('orderSize', 'Order size (base asset)', true),
		dec('stopLossPercent', 'Stop-loss % (optional)'),
		dec('takeProfitPercent', 'Take-profit % (optional)'),
		dec('dailyLossLimit', 'Daily loss limit (optional)'),
		{ name: 'paperMode', label: 'Paper mode (simulated, no real orders)', type: 'checkbox', value: true },
	], 'Create bot', async (v) => {
		let params;
		try {
			params = JSON.parse(v.strategyParams || '{}');
		} catch (e) {
			throw new Error('Strategy parameters: not valid JSON (' + e.message + ')');
		}
		const body = { name: v.name, symbol: v.symbol, venue: v.venue, strategy: v.strategy,
		    strategyParams: params, orderSize: v.orderSize, paperMode: v.paperMode };
		for (const k of ['stopLossPercent', 'takeProfitPercent', 'dailyLossLimit'])
			if (v[k])
				body[k] = v[k];
		const b = await call('POST', '/bots', body);
		sayNext('Bot ' + b.name + ' created.');
		go('/bots/' + encodeURIComponent(b.botId));
	});
}

export async function render(main) {
	const [bots, markets] = await Promise.all([call('GET', '/bots?pageSize=100'), call('GET', '/markets')]);
	show(main, el('h1', 'Bots'),
	    table([
		['Name', (b) => el('a', b.name, { href: '#/bots/' + encodeURIComponent(b.botId) })],
		['Market', (b) => b.symbol], ['Venue', (b) => b.venue], ['Strategy', (b) => b.strategy],
		['Mode', (b) => (b.paperMode ? 'paper' : 'live')], ['Status', (b) => (b.state || {}).status],
		['Today', (b) => { const st = b.state || {}; return st.todayPnl ? st.todayPnl + ' ' + (st.pnlCurrency || '') : ''; }],
	    ], bots, { id: 'bots', empty: 'No bots yet.', rowAttrs: (b) => ({ 'data-bot': b.botId }) }),
	    box('section', null, el('h2', 'New bot'), newBotForm(Array.isArray(markets) ? markets : markets.markets || [])));
}
