// tests/node/settings_notifications.mjs — the notification settings page in headless Chromium (playwright-core, Debian's chromium): its login, preferences, webhooks, the delivery log; the console's session (the refresh cookie, no token in web storage), so the console's link opens it logged in
//
// Usage: node settings_notifications.mjs  (environment: HZM_BASE, HZM_EMAIL,
// HZM_PASSWORD, HZM_HOOK_URL, CHROMIUM). Prints one TAP-like line per check
// ("ok - ..." / "not ok - ...") for tests/api/97_settings_page.t.
import { chromium } from 'playwright-core';

const base = process.env.HZM_BASE;
const email = process.env.HZM_EMAIL;
const password = process.env.HZM_PASSWORD;
const hookUrl = process.env.HZM_HOOK_URL;

function check(ok, name, diag) {
	console.log((ok ? 'ok - ' : 'not ok - ') + name + (!ok && diag ? ' # ' + String(diag).replace(/\n/g, ' ') : ''));
}

const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
const errors = [];
try {
	const page = await browser.newPage();
	page.setDefaultTimeout(10000);
	page.on('pageerror', (e) => errors.push(e.message));
	page.on('console', (m) => {
		// The refusals the test provokes are logged as failed loads: expected.
		if (m.type() === 'error' && !/Failed to load resource/.test(m.text()))
			errors.push(m.text());
	});
	const status = () => page.locator('#status').textContent();

	const resp = await page.goto(base + '/settings/notifications');
	check(resp.status() === 200, 'GET /settings/notifications: 200', resp.status());
	check(/^text\/html/.test(resp.headers()['content-type'] || ''), '  HTML', resp.headers()['content-type']);
	check(await page.locator('#login').isVisible(), '  the login form first');
	check(await page.locator('#app').isHidden(), '  the settings hidden');

	await page.fill('#login-email', email);
	await page.fill('#login-password', 'not-' + password);
	await page.click('#login-form button[type=submit]');
	await page.waitForFunction(() => document.getElementById('status').className === 'error');
	check(/AUTH_001/.test(await status()), 'a wrong password: the error shown', await status());
	check(await page.locator('#app').isHidden(), '  still logged out');

	await page.fill('#login-password', password);
	await page.click('#login-form button[type=submit]');
	await page.waitForSelector('#prefs-rows tr');
	check(/Logged in/.test(await status()), 'logged in', await status());
	const rows = await page.locator('#prefs-rows tr').count();
	check(rows === Number(process.env.HZM_PREF_TYPES), 'a row per notification type', rows);
	check(await page.locator('#prefs-rows tr[data-type="withdrawal.completed"] input[name=emailEnabled]').isDisabled(),
	    '  withdrawal.completed: mail not offered (its service always mails it)');
	check(await page.locator('#prefs-rows tr[data-type="deposit.confirmed"] input[name=emailEnabled]').isChecked(),
	    '  deposit.confirmed: mail offered, on by default');
	check(!(await page.locator('#prefs-rows tr[data-type="order.filled"] input[name=emailEnabled]').isChecked()),
	    '  order.filled: mail off until asked for');

	// Preferences: bot.error's mail off, order.filled's on, Turkish.
	await page.uncheck('#prefs-rows tr[data-type="bot.error"] input[name=emailEnabled]');
	await page.check('#prefs-rows tr[data-type="order.filled"] input[name=emailEnabled]');
	await page.selectOption('#prefs-language', 'tr');
	await page.click('#prefs-save');
	await page.waitForFunction(() => /saved/.test(document.getElementById('status').textContent));
	check(true, 'preferences saved');
	const title = await page.locator('#prefs-rows tr[data-type="bot.trade"] td').first().textContent();
	check(title === 'Bot işlemi', '  titles now in Turkish', title);

	// Webhooks: add, test, the log, redeliver, rotate, delete.
	await page.fill('#hook-url', 'ftp://example.com/x');
	await page.click('#hook-form button[type=submit]');
	await page.waitForFunction(() => document.getElementById('status').className === 'error');
	check(/INVALID_REQUEST/.test(await status()), 'a URL that is not https: refused, the reason shown', await status());

	await page.fill('#hook-url', hookUrl);
	await page.fill('#hook-events', '*');
	await page.click('#hook-form button[type=submit]');
	await page.waitForSelector('#hook-rows tr');
	const secret1 = await page.locator('#secret-value').textContent();
	check(/^whsec_/.test(secret1), 'endpoint added: its secret shown once', secret1);
	check((await page.locator('#hook-rows tr td').first().textContent()) === hookUrl, '  listed');

	await page.click('#hook-rows tr button:text("Send test")');
	await page.waitForFunction(() => /Test event evt_/.test(document.getElementById('status').textContent));
	check(true, 'test event queued');
	const testRow = '#log-rows tr[data-type="webhook.test"][data-status="SENT"]';
	let sent = false;
	for (let i = 0; i < 50 && !sent; i++) {
		await page.click('#log-refresh');
		await page.waitForTimeout(300);
		sent = await page.locator(testRow).count() > 0;
	}
	check(sent, '  SENT in the delivery log');
	const channel = await page.locator(testRow + ' td').nth(2).textContent();
	check(channel === 'WEBHOOK', '  by webhook', channel);

	await page.click(testRow + ' button:text("Send again")');
	await page.waitForFunction(() => /Queued again/.test(document.getElementById('status').textContent));
	check(true, 'redelivery queued');

	await page.click('#hook-rows tr button:text("Rotate secret")');
	await page.waitForFunction((s) => document.getElementById('secret-value').textContent !== s, secret1);
	const secret2 = await page.locator('#secret-value').textContent();
	check(/^whsec_/.test(secret2) && secret2 !== secret1, 'secret rotated: the new one shown');

	await page.click('#hook-rows tr button:text("Delete")');
	await page.waitForFunction(() => document.querySelectorAll('#hook-rows tr').length === 0);
	check(true, 'endpoint deleted');

	// A reload keeps the session through the httpOnly refresh cookie, with no token in web storage.
	await page.reload();
	await page.waitForSelector('#prefs-rows tr');
	check(await page.locator('#app').isVisible(), 'a reload keeps the session');
	const store = await page.evaluate(() => JSON.stringify([localStorage, sessionStorage, document.cookie]));
	check(!/eyJ|rt_/.test(store), '  no token in localStorage, sessionStorage or script-visible cookies', store);
	await page.click('#logout');
	await page.waitForSelector('#login', { state: 'visible' });
	check(await page.locator('#app').isHidden(), 'logged out');
	await page.reload();
	await page.waitForSelector('#login', { state: 'visible' });
	check(await page.locator('#app').isHidden(), '  a reload stays logged out');

	// From the console: its Notifications link opens this page already logged in.
	await page.goto(base + '/console/#/login');
	await page.fill('#login-form input[name=email]', email);
	await page.fill('#login-form input[name=password]', password);
	await page.click('#login-form button[type=submit]');
	await page.waitForSelector('#who:not([hidden])');
	await page.click('#nav-user a:text("Notifications")');
	await page.waitForSelector('#prefs-rows tr');
	check(await page.locator('#login').isHidden(), 'the console\'s Notifications link: the settings, no second login');
	check(await page.locator('#prefs-language').inputValue() === 'tr', '  the preferences saved above', await page.locator('#prefs-language').inputValue());
	await page.click('#logout');
	await page.waitForSelector('#login', { state: 'visible' });
	check(errors.length === 0, 'no script errors', errors.join('; '));
} catch (e) {
	check(false, 'the page went through', e.message);
} finally {
	await browser.close();
}
