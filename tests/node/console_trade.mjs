// tests/node/console_trade.mjs — flow §11.2 in the console at phone width: log in with 2FA, a BTC deposit to the address shown, a TRY transfer with the reference shown, a trade on the market page (live book, trades and chart, its intervals switched quickly), an order canceled, an OCO list placed and canceled, the history with its fees, BTC and TRY withdrawals with 2FA
//
// Environment: HZM_BASE, HZM_EMAIL, HZM_PASSWORD, HZM_SECRET (TOTP), HZM_ADDRESS
// (a withdrawal address), HZM_IBAN, HZM_HOLDER, HZM_SHOTS, CHROMIUM. Questions:
// totp-reset, btc-pay ADDRESS AMOUNT, bank-pay REFERENCE AMOUNT, seller, db QUERY.
import { base, check, ask, open, shot, statusMatching, totp, finish } from './console_lib.mjs';

const b = await open();
const { page } = b;
const sent = [];
page.on('websocket', (ws) => ws.on('framesent', (f) => sent.push(String(f.payload))));
const secret = process.env.HZM_SECRET;
const text = (sel) => page.locator(sel).textContent();
const code = async () => { await ask('totp-reset'); return totp(secret); };
const cell = (table, rowSel, col) => page.locator(`${table} tbody tr${rowSel} td[data-label="${col}"]`).first().textContent();

/* Press Refresh until fn() holds (the workers run on their own). */
async function until(fn, what, tries) {
	for (let i = 0; i < (tries || 40); i++) {
		if (await fn().catch(() => false))
			return true;
		await page.click('#wallet-refresh');
		await page.waitForTimeout(500);
	}
	return check(false, what);
}

try {
	await page.goto(base + '/console/#/wallets');
	await page.waitForSelector('#login-form');
	check(true, 'the wallets ask for a login first');
	await page.fill('#login-form input[name=email]', process.env.HZM_EMAIL);
	await page.fill('#login-form input[name=password]', process.env.HZM_PASSWORD);
	await page.fill('#login-form input[name=code]', await code());
	await page.click('#login-form button[type=submit]');
	await page.waitForSelector('#balances');
	check(/#\/wallets$/.test(page.url()), 'logged in with 2FA: back on the wallets', page.url());
	check(await cell('#balances', '[data-asset="BTC"]', 'Available') === '0.00000000', '  BTC 0.00000000');

	// BTC in.
	await page.selectOption('#deposit-form select[name=asset]', 'BTC');
	await page.click('#deposit-form button[type=submit]');
	await page.waitForSelector('#deposit-address dd[data-field="Address"]');
	const addr = await text('#deposit-address dd[data-field="Address"]');
	check(/^bcrt1[a-z0-9]{20,}$/.test(addr), 'a BTC deposit address shown', addr);
	check(await ask('btc-pay', addr, '0.01') === 'ok', 'the node pays 0.01 BTC to it and confirms it');
	await until(async () => await cell('#balances', '[data-asset="BTC"]', 'Available') === '0.01000000',
	    'the BTC balance shows the deposit');
	check(await cell('#deposits', '', 'Status') !== '', '  the deposit listed: ' + await cell('#deposits', '', 'Status'));
	await shot(page, 'btc-deposited');

	// TRY in.
	await page.fill('#try-deposit-form input[name=amount]', '20000.00');
	await page.click('#try-deposit-form button[type=submit]');
	await page.waitForSelector('#try-reference dd[data-field="Reference"]');
	const ref = await text('#try-reference dd[data-field="Reference"]');
	check(/^RF\d\d[ A-Z0-9]{4,}$/.test(ref), 'TRY transfer details with a reference', ref);
	check(/^TR/.test((await text('#try-reference dd[data-field="IBAN"]')).replace(/\s/g, '')), '  and the IBAN to pay');
	await shot(page, 'try-reference');
	check(await ask('bank-pay', ref.replace(/\s/g, '_'), '20000.00') === 'ok', 'the bank pays it in with the reference');
	await until(async () => await cell('#balances', '[data-asset="TRY"]', 'Available') === '20000.00',
	    'the TRY balance shows the transfer');
	check(true, '  TRY 20000.00 available');

	// Trade on the market page.
	const price = await ask('seller');
	check(/^\d+\.\d\d$/.test(price), 'another trader offers 0.01 BTC at ' + price);
	await page.click('#nav-public a[href="#/markets"]');
	await page.click('#markets a[href="#/markets/BTCTRY"]');
	await page.waitForSelector('#order-form');
	await page.waitForFunction((p) => Array.from(document.querySelectorAll('#book-asks td[data-label="Price"]'))
	    .some((td) => td.textContent === p), price);
	check(true, 'the order book shows the ask');
	check(/^\d+$/.test(await page.getAttribute('#chart', 'data-bars') || ''), 'the chart loaded the klines',
	    await page.getAttribute('#chart', 'data-bars'));
	check(await page.locator('#chart canvas').count() > 0, '  on a canvas');
	const vol = await page.locator('#ticker .tick:has([data-field="24 h volume"])').textContent();
	check(/^24 h volume \d+(\.\d+)? TRY$/.test(vol), 'the 24 h volume says its unit, the quote asset', vol);
	const u0 = Number(await page.getAttribute('#book', 'data-update-id'));
	await page.selectOption('#order-form select[name=side]', 'BUY');
	await page.selectOption('#order-form select[name=type]', 'LIMIT');
	check(await page.locator('#order-form input[name=stopPrice]').isHidden(), 'LIMIT: no stop price asked');
	await page.fill('#order-form input[name=price]', price);
	await page.fill('#order-form input[name=quantity]', '0.005');
	await shot(page, 'order-entry');
	await page.click('#order-form button[type=submit]');
	let s = await statusMatching(page, /Order ord_|_0|INVALID/);
	check(/Order ord_\w+: FILLED, 0\.00500000 BTC filled/.test(s), 'a LIMIT buy crossing the ask: FILLED', s);
	await page.waitForFunction((p) => Array.from(document.querySelectorAll('#market-trades td[data-label="Price"]'))
	    .some((td) => td.textContent === p), price);
	check(true, 'the trade appears in the recent trades (WebSocket)');
	await page.waitForFunction((u) => Number(document.getElementById('book').getAttribute('data-update-id')) > u, u0);
	check(true, 'the book moved on by update id');
	await page.waitForFunction((p) => document.getElementById('chart').getAttribute('data-last-close') === p, price);
	check(true, 'the chart\'s last candle closes at the trade price (kline channel)');
	await page.waitForFunction(() => Array.from(document.querySelectorAll('#balances-mini td[data-label="Available"]'))
	    .some((td) => td.textContent === '0.01500000'));
	check(true, 'the balances beside the form: 0.01500000 BTC');

	// Two quick clicks on the chart's intervals, the first one's candles slower to come.
	await page.route('**/public/klines/**', async (route) => {
		await page.waitForTimeout(/interval=5m/.test(route.request().url()) ? 1500 : 200);
		await route.continue().catch(() => null);
	});
	const k0 = sent.length;
	await page.click('.tabs button:text-is("5m")');
	await page.click('.tabs button:text-is("1h")');
	await page.waitForTimeout(2500);
	await page.unroute('**/public/klines/**');
	check(await page.getAttribute('#chart', 'data-interval') === '1h',
	    'two quick interval clicks: the 1h candles drawn, not the slower 5m', await page.getAttribute('#chart', 'data-interval'));
	check(await page.locator('#chart > div').count() === 1, '  one chart', await page.locator('#chart > div').count());
	const klines = sent.slice(k0).map((f) => JSON.parse(f)).filter((m) => m.params && m.params.channel === 'kline');
	const told = (method, iv) => klines.filter((m) => m.method === method && m.params.interval === iv).length;
	check(told('UNSUBSCRIBE', '1m') === 1, '  the 1m candles unsubscribed once', told('UNSUBSCRIBE', '1m'));
	const live = ['1m', '5m', '1h'].filter((iv) => told('SUBSCRIBE', iv) > told('UNSUBSCRIBE', iv));
	check(live.join() === '1h', '  the 1h candles followed, and only they', live.join());
	check(!/disposed|_0/.test(await page.locator('#status').textContent()), '  no error',
	    await page.locator('#status').textContent());

	for (const [type, fields] of [['MARKET', ['quantity']], ['STOP_LOSS', ['stopPrice', 'quantity']],
	    ['STOP_LIMIT', ['stopPrice', 'price', 'quantity']], ['OCO', ['stopPrice', 'price', 'stopLimitPrice', 'quantity']]]) {
		await page.selectOption('#order-form select[name=type]', type);
		const shown = [];
		for (const f of ['stopPrice', 'price', 'stopLimitPrice', 'quantity'])
			if (await page.locator(`#order-form input[name=${f}]`).isVisible())
				shown.push(f);
		check(shown.join() === fields.join(), `${type}: asks for ${fields.join(', ')}`, shown.join());
	}

	// A resting order, canceled.
	await page.selectOption('#order-form select[name=type]', 'LIMIT');
	// 5% under the last trade: inside the market's 10% price band, whatever price earlier tests left.
	const low = (Math.floor(Number(price) * 0.95)).toFixed(2);
	await page.fill('#order-form input[name=price]', low);
	await page.fill('#order-form input[name=quantity]', '0.0003');
	await page.click('#order-form button[type=submit]');
	s = await statusMatching(page, /: NEW|_0|INVALID/);
	check(/: NEW\.$/.test(s), 'a LIMIT buy below the market: NEW', s);
	await page.waitForSelector('#open-orders-table tbody tr');
	check(await cell('#open-orders-table', '', 'Price') === low, '  in the open orders');
	await shot(page, 'market');
	await page.click('#open-orders-table tbody tr button');
	await statusMatching(page, /canceled/);
	await page.waitForSelector('#open-orders-table tfoot');
	check(true, '  canceled: gone from the open orders');

	// An OCO list: a SELL with its limit leg 5% over the last trade and its stop leg 5% under (inside the price band).
	await page.selectOption('#order-form select[name=side]', 'SELL');
	await page.selectOption('#order-form select[name=type]', 'OCO');
	check(await page.locator('#order-form select[name=timeInForce]').isHidden(), 'OCO: no time in force asked');
	const up = (Math.ceil(Number(price) * 1.05)).toFixed(2);
	await page.fill('#order-form input[name=price]', up);
	await page.fill('#order-form input[name=stopPrice]', low);
	await page.fill('#order-form input[name=stopLimitPrice]', '');
	await page.fill('#order-form input[name=quantity]', '0.0003');
	await shot(page, 'oco-entry');
	await page.click('#order-form button[type=submit]');
	s = await statusMatching(page, /Order list|_0|INVALID/);
	check(/^Order list \d+: EXEC_STARTED \(LIMIT NEW, STOP_LOSS NEW\)\.$/.test(s), 'a SELL OCO list placed: both legs NEW', s);
	const list = s.match(/Order list (\d+)/)[1];
	await page.waitForFunction((l) => document.querySelectorAll(`#open-orders-table tbody tr[data-list="${l}"]`).length === 2, list);
	const legs = await page.locator(`#open-orders-table tbody tr[data-list="${list}"] td[data-label="Price"]`).allTextContents();
	check(legs.sort().join() === [low, up].sort().join(), '  both legs in the open orders, at ' + up + ' and ' + low, legs.join());
	check(await cell('#open-orders-table', `[data-list="${list}"]`, 'List') === 'OCO ' + list, '  with their list id');
	await shot(page, 'oco-open');
	await page.click(`#open-orders-table tbody tr[data-list="${list}"] button`);
	s = await statusMatching(page, /canceled|_0/);
	check(/^Order list \d+ canceled \(both orders\)\.$/.test(s), '  canceling a leg cancels the list', s);
	await page.waitForSelector('#open-orders-table tfoot');
	check(true, '  both legs gone from the open orders');

	// The history.
	await page.click('#nav-user a[href="#/orders"]');
	await page.waitForSelector('#order-history-table tbody tr');
	check(await page.locator('#status').textContent() === '', 'a new page: the last page\'s message gone',
	    await page.locator('#status').textContent());
	const st = await page.locator('#order-history-table td[data-label="Status"]').allTextContents();
	check(st.includes('FILLED') && st.includes('CANCELED'), 'order history: the FILLED and the CANCELED order', st.join());
	const tp = await page.locator('#trade-history-table td[data-label="Price"]').allTextContents();
	check(tp.includes(price), 'trade history: the trade at ' + price, tp.join());
	const fees = await page.locator('#trade-history-table td[data-label="Fee"]').allTextContents();
	check(fees.length > 0 && fees.every((f) => /^\d+\.\d+ (BTC|TRY)$/.test(f)), '  each fee with its asset', fees.join());
	await shot(page, 'orders');

	// Out: BTC and TRY with 2FA.
	await page.click('#nav-user a[href="#/wallets"]');
	await page.waitForSelector('#withdraw-form');
	await page.selectOption('#withdraw-form select[name=asset]', 'BTC');
	await page.fill('#withdraw-form input[name=address]', process.env.HZM_ADDRESS);
	await page.fill('#withdraw-form input[name=amount]', '0.004');
	await page.fill('#withdraw-form input[name=twoFactorCode]', '12345');
	await page.click('#withdraw-form button[type=submit]');
	check(await page.locator('#withdraw-form input[name=twoFactorCode]:invalid').count() === 1,
	    'a 5-digit code: the form will not send it');
	b.expect(401, /withdraw$/);
	await page.fill('#withdraw-form input[name=twoFactorCode]', '000000');
	await page.click('#withdraw-form button[type=submit]');
	s = await statusMatching(page, /AUTH_004|_0|INVALID/);
	check(/AUTH_004/.test(s), 'a wrong code: refused by the API, the reason shown', s);
	await page.fill('#withdraw-form input[name=twoFactorCode]', await code());
	await page.click('#withdraw-form button[type=submit]');
	s = await statusMatching(page, /Withdrawal wdr_|_0|FORBIDDEN/);
	check(/Withdrawal wdr_\w+: [A-Z_]+ \(fee [0-9.]+ BTC\)/.test(s), 'BTC withdrawal requested with 2FA', s);
	const wid = s.match(/wdr_\w+/)[0];
	await page.waitForSelector(`#withdrawals tr[data-id="${wid}"]`);
	check(await cell('#withdrawals', `[data-id="${wid}"]`, 'Address') === process.env.HZM_ADDRESS, '  listed with its address');
	check(/^0\.005/.test(await cell('#balances', '[data-asset="BTC"]', 'Locked')) ||
	    /^0\.00[45]/.test(await cell('#balances', '[data-asset="BTC"]', 'Locked')), '  the amount and fee locked',
	    await cell('#balances', '[data-asset="BTC"]', 'Locked'));

	await page.fill('#try-withdraw-form input[name=iban]', process.env.HZM_IBAN);
	await page.fill('#try-withdraw-form input[name=accountHolder]', process.env.HZM_HOLDER);
	await page.fill('#try-withdraw-form input[name=amount]', '100.00');
	await page.fill('#try-withdraw-form input[name=twoFactorCode]', await code());
	await page.click('#try-withdraw-form button[type=submit]');
	s = await statusMatching(page, /TRY withdrawal|_0|FORBIDDEN|INVALID/);
	check(/^TRY withdrawal \S+: [A-Z_]+\.$/.test(s), 'TRY withdrawal requested with 2FA', s);
	await page.waitForFunction(() => Array.from(document.querySelectorAll('#fiat td[data-label="Type"]'))
	    .some((td) => /WITHDRAW/.test(td.textContent)));
	check(true, '  listed among the TRY transfers');
	await shot(page, 'withdrawals');
} catch (e) {
	check(false, 'the flow went through', e.stack);
	await shot(page, 'failure').catch(() => null);
}
await finish(b);
