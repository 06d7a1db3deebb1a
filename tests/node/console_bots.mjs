// tests/node/console_bots.mjs — a bot's life in the console at phone width: a platform API key (secret shown once, revoked), the Binance key, a bot created, started, trading, stopped, its settings edited, its report and PnL chart; the link to the notification settings
//
// Environment: HZM_BASE, HZM_EMAIL, HZM_PASSWORD, HZM_SECRET (TOTP), HZM_BINANCE_KEY,
// HZM_BINANCE_SECRET, HZM_SHOTS, CHROMIUM. Questions: totp-reset, bot-trade BOTID.
import { base, check, ask, open, shot, statusMatching, totp, finish } from './console_lib.mjs';

const b = await open();
const { page } = b;
const secret = process.env.HZM_SECRET;
const text = (sel) => page.locator(sel).textContent();
const code = async () => { await ask('totp-reset'); return totp(secret); };
const dd = (name) => text(`#bot-facts dd[data-field="${name}"]`);

try {
	b.expect(404, /api-keys\/me$/);	// no Binance key yet: the page offers the form
	await page.goto(base + '/console/#/api-keys');
	await page.fill('#login-form input[name=email]', process.env.HZM_EMAIL);
	await page.fill('#login-form input[name=password]', process.env.HZM_PASSWORD);
	await page.fill('#login-form input[name=code]', await code());
	await page.click('#login-form button[type=submit]');
	await page.waitForSelector('#key-form');
	await page.waitForSelector('#keys');
	check(await page.locator('#keys tfoot').count() === 1, 'API keys: none yet');
	check(await page.getAttribute('#nav-user a[href="/settings/notifications/"]', 'href') === '/settings/notifications/',
	    'the navigation links to the notification settings');

	// A platform key: the password once.
	await page.fill('#key-form input[name=name]', 'my script');
	await page.check('#key-form input[name=scope-trade]');
	await page.fill('#key-form input[name=twoFactorCode]', await code());
	await page.click('#key-form button[type=submit]');
	let s = await statusMatching(page, /Key key_|_0|INVALID|FORBIDDEN/);
	check(/^Key key_\w+ created\.$/.test(s), 'a key created', s);
	const key = await text('#new-key');
	const pw = await text('#new-password');
	check(/^hzm_[0-9a-f]{32}$/.test(key), '  its key shown', key);
	check(pw.length >= 16, '  its API password shown once');
	await shot(page, 'api-key-created');
	await page.waitForSelector('#keys tbody tr');
	check(await text('#keys td[data-label="Scopes"]') === 'read, trade', '  listed with its scopes');
	check(!(await text('#keys')).includes(pw), '  the list never shows the password');
	const ok = await ask('key-works', key, pw);
	check(ok === '200', '  the key works for the API', ok);
	await page.click('#keys tbody tr button');
	await statusMatching(page, /revoked/);
	await page.waitForFunction(() => document.querySelector('#keys td[data-label="Status"]').textContent === 'revoked');
	check(true, 'the key revoked');
	check(await ask('key-works', key, pw) === '401', '  and refused by the API');

	// The Binance key.
	await page.fill('#binance-form input[name=apiKey]', process.env.HZM_BINANCE_KEY);
	await page.fill('#binance-form input[name=secretKey]', process.env.HZM_BINANCE_SECRET);
	await page.click('#binance-form button[type=submit]');
	await statusMatching(page, /Binance key saved|_0|INVALID|BINANCE/);
	await page.waitForSelector('#binance-key');
	const masked = await text('#binance-key dd[data-field="Key"]');
	check(masked !== process.env.HZM_BINANCE_KEY && masked.endsWith(process.env.HZM_BINANCE_KEY.slice(-4)),
	    'Binance key saved: shown masked', masked);
	check(!(await page.content()).includes(process.env.HZM_BINANCE_SECRET), '  its secret nowhere on the page');
	await shot(page, 'binance-key');

	// A bot.
	await page.click('#nav-user a[href="#/bots"]');
	await page.waitForSelector('#bot-form');
	await page.fill('#bot-form input[name=name]', 'eth swing');
	await page.selectOption('#bot-form select[name=symbol]', 'ETHTRY');
	await page.selectOption('#bot-form select[name=strategy]', 'simple');
	await page.fill('#bot-form textarea[name=strategyParams]', '{"buyBelow": "100000.00", "sellAbove": "110000.00"}');
	await page.fill('#bot-form input[name=orderSize]', '0.1');
	await shot(page, 'bot-new');
	await page.click('#bot-form button[type=submit]');
	await page.waitForSelector('#bot-facts');
	check(/#\/bots\/bot_\w+$/.test(page.url()), 'bot created: its page', page.url());
	const botId = page.url().match(/bot_\w+/)[0];
	check(await dd('Status') === 'STOPPED', '  STOPPED', await dd('Status'));
	check(await dd('Mode') === 'paper', '  in paper mode');
	await page.click('#bot-toggle');
	await statusMatching(page, /started|_0/);
	await page.waitForFunction(() => document.querySelector('#bot-facts dd[data-field="Status"]').textContent === 'RUNNING');
	check(await text('#bot-toggle') === 'Stop', 'started: RUNNING, a Stop button');

	check(await ask('bot-trade', botId) === 'ok', 'the worker runs it: a buy at 99000, a sell at 111000');
	await page.click('#bot-refresh');
	await page.waitForFunction(() => document.querySelectorAll('#bot-trades tbody tr').length === 2);
	check(true, 'the report lists two trades');
	check(await dd('Realized PnL') === '1200.00 TRY', '  realized PnL 1200.00 TRY', await dd('Realized PnL'));
	check(await dd('Trades') === '2', '  two trades counted');
	check(await page.getAttribute('#pnl-chart', 'data-points') === '2', 'the PnL chart: a point per trade');
	check(await page.locator('#pnl-chart canvas').count() > 0, '  drawn');
	await shot(page, 'bot-report');
	await page.click('#bot-toggle');
	await page.waitForFunction(() => document.querySelector('#bot-facts dd[data-field="Status"]').textContent === 'STOPPED');
	check(true, 'stopped');

	// Its settings edited: only what changed is sent.
	await page.click('#bot-edit summary');
	check(await page.inputValue('#bot-edit-form input[name=orderSize]') === await dd('Order size'),
	    'the settings form holds the bot\'s values');
	await page.fill('#bot-edit-form input[name=name]', 'eth swing 2');
	await page.fill('#bot-edit-form input[name=orderSize]', '0.2');
	await page.fill('#bot-edit-form input[name=stopLossPercent]', '5');
	await shot(page, 'bot-edit');
	await page.click('#bot-edit-form button[type=submit]');
	s = await statusMatching(page, /saved|_0|INVALID/);
	check(s === 'Bot eth swing 2 saved: name, orderSize, stopLossPercent.', 'settings saved: name, size, stop-loss', s);
	await page.waitForFunction(() => document.querySelector('h1').textContent === 'Bot: eth swing 2');
	check(/^0\.20*$/.test(await dd('Order size')), '  the new order size shown', await dd('Order size'));
	check(/^5(\.0+)?$/.test(await dd('Stop-loss %')), '  the stop-loss shown', await dd('Stop-loss %'));

	await page.click('a[href="#/bots"]');
	await page.waitForSelector(`#bots tr[data-bot="${botId}"]`);
	check(await text(`#bots tr[data-bot="${botId}"] td[data-label="Status"]`) === 'STOPPED', 'the bot list shows it STOPPED');
	await page.click('#nav-user a[href="/settings/notifications/"]');
	await page.waitForSelector('#login-form, #login');
	check(/\/settings\/notifications\/$/.test(page.url()), 'the notification settings page opens');
} catch (e) {
	check(false, 'the flow went through', e.stack);
	await shot(page, 'failure').catch(() => null);
}
await finish(b);
