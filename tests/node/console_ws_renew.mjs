// tests/node/console_ws_renew.mjs — the console's session over time: a guest's login from a market page comes back to it; the market page's private subscription outlives its access token (the streamer ends it with AUTH_002, the console takes a new token from the refresh cookie and subscribes again, an order placed elsewhere then shows live); the Orders page renews an expired token the same way, and pages its history; a market page left while loading stops at once; a session ended elsewhere is said plainly
//
// The page's WebSocket goes through Playwright's routeWebSocket to the real
// /ws: every frame is passed on both ways and recorded; one frame, the
// streamer's own end-of-token message, is handed to the page in place of
// waiting out the token's 15 minutes. REST calls with a token that "ran
// out" are answered as the server answers them then (401 AUTH_002).
//
// Environment: HZM_BASE, HZM_EMAIL, HZM_PASSWORD, HZM_SHOTS, CHROMIUM.
// Questions: place (a LIMIT buy by this user through the API; its price),
// seed-history (old canceled orders for the user; the orders in all),
// end-session ID (ends that session through the API, as another device).
import { base, check, ask, open, shot, finish } from './console_lib.mjs';

const b = await open();
const { page } = b;
const fromPage = [];
const fromServer = [];
let toPage = null;
await page.routeWebSocket(/\/ws$/, (ws) => {
	const server = ws.connectToServer();
	toPage = ws;
	ws.onMessage((m) => { fromPage.push(String(m)); server.send(m); });
	server.onMessage((m) => { fromServer.push(String(m)); ws.send(m); });
});
const parsed = (list) => list.map((m) => { try { return JSON.parse(m); } catch (e) { return {}; } });
const orderSubs = () => parsed(fromPage).filter((m) => m.method === 'SUBSCRIBE' &&
    m.params && m.params.channel === 'orders');
const orderAcks = () => parsed(fromServer).filter((m) => m.event === 'subscribed' && m.channel === 'orders');

async function until(fn, ms) {
	for (let t = 0; t < (ms || 10000); t += 100) {
		if (fn())
			return true;
		await page.waitForTimeout(100);
	}
	return false;
}

const refreshes = [];
page.on('request', (r) => {
	if (/\/api\/v1\/auth\/refresh$/.test(r.url()))
		refreshes.push(r.url());
});
const rows = (sel) => page.locator(sel + ' tbody tr').count();

try {
	// A guest on a market page logs in from it, and comes back to it.
	await page.goto(base + '/console/#/markets/BTCTRY');
	await page.waitForSelector('#book-bids');
	await page.click('main a:text("Log in")');
	await page.waitForSelector('#login-form');
	await page.fill('#login-form input[name=email]', process.env.HZM_EMAIL);
	await page.fill('#login-form input[name=password]', process.env.HZM_PASSWORD);
	await page.click('#login-form button[type=submit]');
	await page.waitForSelector('#open-orders-table');
	check(/#\/markets\/BTCTRY$/.test(page.url()), 'a guest\'s "Log in" on a market page: back on that market, trading', page.url());
	check(await page.locator('#order-form').count() === 1, '  the order form shown');
	check(await until(() => orderSubs().length >= 1 && orderAcks().length >= 1),
	    'the market page subscribes to the private orders channel, and the streamer takes it');
	const first = (orderSubs()[0].params.auth || {}).token;
	check(!!first, '  with the access token');

	// What the streamer sends when that token runs out (streamer/private.c).
	toPage.send(JSON.stringify({ event: 'unsubscribed', channel: 'orders',
	    error: { code: 'AUTH_002', message: 'token expired' } }));
	check(await until(() => orderSubs().length >= 2),
	    'told the token ran out, it subscribes to the orders channel again');
	const second = orderSubs().length >= 2 ? (orderSubs()[1].params.auth || {}).token : null;
	check(!!second && second !== first, '  with a new access token from the refresh cookie');
	check(await until(() => orderAcks().length >= 2), '  and the streamer takes that token');

	// The renewed subscription carries the user's orders: one placed elsewhere shows.
	const price = await ask('place');
	check(/^\d+\.\d\d$/.test(price), 'an order placed through the API at ' + price, price);
	await page.waitForFunction((p) => [...document.querySelectorAll(
	    '#open-orders-table tbody td[data-label="Price"]')].some((td) => td.textContent === p), price);
	check(true, '  shows in the open orders without a reload');
	await shot(page, 'renewed');

	// The REST calls' token runs out too: every list the Orders page asks for
	// is refused with AUTH_002 until the page renews the token (once) and asks again.
	const expired = [];
	await page.route('**/api/v1/**', (route) => {
		if (route.request().headers().authorization !== 'Bearer ' + second ||
		    /\/auth\/refresh$/.test(route.request().url()))
			return route.continue();
		expired.push(new URL(route.request().url()).pathname);
		return route.fulfill({ status: 401, contentType: 'application/json',
		    body: JSON.stringify({ success: false, error: { code: 'AUTH_002', message: 'Token expired' } }) });
	});
	for (const re of [/\/orders$/, /\/orders$/, /\/trades$/])
		b.expect(401, re);
	const r0 = refreshes.length;
	await page.click('#nav-user a[href="#/orders"]');
	await page.waitForSelector('#order-history-table');
	const hp = await page.locator('#order-history-table td[data-label="Price"]').allTextContents();
	check(hp.includes(price), 'the token ran out: the Orders page still lists the order', hp.join());
	check(await page.locator('#open-orders-table tbody tr').count() === 1, '  and the open one');
	check(!/AUTH_/.test(await page.locator('#status').textContent()), '  no error shown',
	    await page.locator('#status').textContent());
	check(expired.length === 3 && refreshes.length - r0 === 1,
	    '  its three lists refused with AUTH_002, one renewal for them all', expired.join() + ' ' + (refreshes.length - r0));
	await page.unroute('**/api/v1/**');

	// More orders than a page holds: the history goes a page at a time.
	const total = Number(await ask('seed-history'));
	check(total > 50 && total <= 100, 'the account has ' + total + ' orders', total);
	await page.click('#nav-user a[href="#/wallets"]');
	await page.click('#nav-user a[href="#/orders"]');
	const pager = '#orders-history nav.pager';
	await page.waitForSelector(pager);
	check(await rows('#order-history-table') === 50, 'order history: the first 50', await rows('#order-history-table'));
	check(await page.locator(pager + ' span').textContent() === `Page 1 of 2 (${total} in all)`,
	    '  "Page 1 of 2 (' + total + ' in all)"', await page.locator(pager + ' span').textContent());
	check(await page.locator(pager + ' button[data-page=previous]').isDisabled(), '  no previous page');
	await page.click(pager + ' button[data-page=next]');
	await page.waitForFunction(() => /^Page 2/.test(document.querySelector('#orders-history nav.pager span').textContent));
	check(await rows('#order-history-table') === total - 50, '  next: the other ' + (total - 50),
	    await rows('#order-history-table'));
	check(await page.locator(pager + ' button[data-page=next]').isDisabled(), '  the last page');
	await shot(page, 'history-page-2');
	await page.click(pager + ' button[data-page=previous]');
	await page.waitForFunction(() => /^Page 1/.test(document.querySelector('#orders-history nav.pager span').textContent));
	check(await rows('#order-history-table') === 50, '  previous: the first 50 again');

	// A market page left while it still loads stops as soon as its load ends:
	// nothing of it keeps running behind the page then shown.
	await page.route('**/public/ticker/**', async (route) => {
		await page.waitForTimeout(1500);
		await route.continue().catch(() => null);
	});
	await page.click('#nav-public a[href="#/markets"]');
	await page.click('#markets a[href="#/markets/BTCTRY"]');
	await page.waitForTimeout(300);
	await page.click('#nav-user a[href="#/wallets"]');
	await page.waitForSelector('#balances');
	await page.waitForTimeout(3500);
	await page.unroute('**/public/ticker/**');
	check((await page.locator('main h1').allTextContents()).join() === 'Wallets', 'left while loading: the wallets alone shown');
	const behind = [];
	const seen = (r) => {
		if (/\/api\/v1\/(orders|wallets\/balances)/.test(r.url()))
			behind.push(new URL(r.url()).pathname);
	};
	page.on('request', seen);
	const price2 = await ask('place');
	check(/^\d+\.\d\d$/.test(price2), 'another order placed through the API', price2);
	await page.waitForTimeout(2500);
	page.off('request', seen);
	check(behind.length === 0, '  the market page left behind asks for nothing', behind.join());

	// Another device ends this session: the next call says so plainly.
	await page.click('#nav-user a[href="#/profile"]');
	await page.waitForSelector('#sessions-table tbody tr[data-current]');
	const sid = await page.getAttribute('#sessions-table tbody tr[data-current]', 'data-session');
	check(await ask('end-session', sid) === 'ok', 'this session ended from another device');
	for (const re of [/\/orders$/, /\/orders$/, /\/trades$/, /\/auth\/refresh$/])
		b.expect(401, re);
	await page.click('#nav-user a[href="#/orders"]');
	await page.waitForSelector('#login-form');
	const said = await page.locator('#status').textContent();
	check(said === 'You were logged out.', '  "You were logged out.", the login asked for', said);
	check(await page.locator('#who').isHidden(), '  the header logged out');
	await shot(page, 'ended');
} catch (e) {
	check(false, 'the walk went through', e.stack);
}
await finish(b);
