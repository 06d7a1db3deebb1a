/* www/console/js/views/bot.js — one bot: its settings and state, start and stop, editing its settings, the performance report, its trades and a chart of realized PnL over time */

import { createChart, LineSeries } from '../../vendor/lightweight-charts.js';
import { call } from '../api.js';
import { el, box, form, show, table, when, say, button } from '../ui.js';

function facts(b, p) {
	const dl = el('dl', null, { id: 'bot-facts' });
	const st = b.state || {};
	for (const [k, v] of [
		['Status', st.status], ['Reason', st.statusReason || '—'], ['Market', b.symbol], ['Venue', b.venue],
		['Strategy', b.strategy], ['Order size', b.orderSize], ['Mode', b.paperMode ? 'paper' : 'live'],
		['Stop-loss %', b.stopLossPercent || '—'], ['Take-profit %', b.takeProfitPercent || '—'],
		['Position', st.position || '0'], ['Last run', st.lastRunAt ? when(st.lastRunAt) : 'not yet'],
		['Trades', p.totalTrades], ['Realized PnL', p.realizedPnl + ' ' + p.pnlCurrency],
		['Unrealized PnL', p.unrealizedPnl + ' ' + p.pnlCurrency], ['Total PnL', p.totalPnl + ' ' + p.pnlCurrency],
		['Win rate', p.winRate === null || p.winRate === undefined ? '—' : p.winRate + ' %'],
		['Max drawdown', p.maxDrawdown],
	])
		dl.append(el('dt', k), el('dd', v, { 'data-field': k }));
	return dl;
}

const EDITABLE = [['name', 'Name'], ['orderSize', 'Order size (base asset)'],
    ['stopLossPercent', 'Stop-loss % (empty: none)'], ['takeProfitPercent', 'Take-profit % (empty: none)'],
    ['dailyProfitTarget', 'Daily profit target (empty: none)'], ['dailyLossLimit', 'Daily loss limit (empty: none)']];

/*
 * The bot's settings to edit: a PUT sends only what changed (an emptied
 * limit as null, which removes it); the market, venue and mode stay as
 * created here.
 */
function editForm(b, id, reload) {
	const fields = EDITABLE.map(([name, label]) => ({ name, label, value: b[name] === null ? '' : b[name],
	    required: name === 'name' || name === 'orderSize',
	    inputmode: name === 'name' ? undefined : 'decimal', pattern: name === 'name' ? undefined : '[0-9]+(\\.[0-9]+)?' }));
	const params = JSON.stringify(b.strategyParams || {});
	fields.push({ name: 'strategyParams', label: 'Strategy parameters (JSON)', type: 'textarea', value: params });
	return form('bot-edit-form', fields, 'Save settings', async (v) => {
		const body = {};
		for (const [name] of EDITABLE)
			if (v[name] !== (b[name] === null ? '' : b[name]))
				body[name] = v[name] === '' ? null : v[name];
		if (v.strategyParams !== params) {
			try {
				body.strategyParams = JSON.parse(v.strategyParams || '{}');
			} catch (e) {
				throw new Error('Strategy parameters: not valid JSON (' + e.message + ')');
			}
		}
		if (!Object.keys(body).length) {
			say('Nothing changed.', '');
			return;
		}
		const n = await call('PUT', '/bots/' + id, body);
		say('Bot ' + n.name + ' saved: ' + Object.keys(body).join(', ') + '.', 'ok');
		await reload();
	});
}

/*
 * Realized PnL summed trade by trade, oldest first. The chart draws
 * numbers; the figures shown as text above stay the API's strings.
 */
function pnlChart(elem, trades) {
	const chart = createChart(elem, {
		autoSize: true,
		layout: { textColor: '#111', background: { color: '#fff' }, attributionLogo: false },
		timeScale: { timeVisible: true },
	});
	const line = chart.addSeries(LineSeries, { color: '#0b4fa8', lineWidth: 2 });
	let sum = 0;
	let last = 0;
	const pts = [];
	for (const t of trades.slice().reverse()) {
		sum += Number(t.realizedPnl || 0);
		let time = Math.floor(new Date(t.createdAt).getTime() / 1000);
		if (time <= last)
			time = last + 1;
		last = time;
		pts.push({ time, value: Math.round(sum * 100) / 100 });
	}
	line.setData(pts);
	chart.timeScale().fitContent();
	elem.setAttribute('data-points', String(pts.length));
	return chart;
}

export async function render(main, params) {
	const id = encodeURIComponent(params.id);
	let chart = null;
	const reload = async () => {
		const [b, p, trades] = await Promise.all([call('GET', '/bots/' + id), call('GET', '/bots/' + id + '/performance'),
		    call('GET', '/bots/' + id + '/trades?pageSize=500')]);
		const running = (b.state || {}).status === 'RUNNING';
		const chartBox = el('div', null, { id: 'pnl-chart', class: 'chart', role: 'img',
		    'aria-label': 'Realized profit and loss of ' + b.name + ' over time' });
		if (chart)
			chart.remove();
		show(main, el('h1', 'Bot: ' + b.name),
		    box('p', null, button(running ? 'Stop' : 'Start', async () => {
			await call('POST', '/bots/' + id + (running ? '/stop' : '/start'), {});
			say('Bot ' + b.name + (running ? ' stopped.' : ' started.'), 'ok');
			await reload();
		    }, { id: 'bot-toggle' }), ' ', button('Refresh', reload, { id: 'bot-refresh', class: 'secondary' })),
		    facts(b, p), box('details', { id: 'bot-edit' }, el('summary', 'Edit settings'), editForm(b, id, reload)),
		    el('h2', 'Realized PnL'), chartBox,
		    el('h2', 'Trades'),
		    table([['Time', (t) => when(t.createdAt)], ['Side', (t) => el('span', t.side, { class: t.side === 'BUY' ? 'buy' : 'sell' })],
			['Price', (t) => t.price], ['Quantity', (t) => t.quantity], ['PnL', (t) => t.realizedPnl], ['Why', (t) => t.reason]],
		    trades, { id: 'bot-trades', empty: 'No trades yet.' }),
		    box('p', null, el('a', 'All bots', { href: '#/bots' })));
		chart = pnlChart(chartBox, trades);
	};
	await reload();
	return { stop() { if (chart) chart.remove(); } };
}
