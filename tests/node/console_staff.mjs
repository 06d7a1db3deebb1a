// tests/node/console_staff.mjs — the staff console in headless Chromium (playwright-core, Debian's chromium): a review walk by COMPLIANCE and ADMIN members, read-only pages for SUPPORT
//
// Usage: node console_staff.mjs (environment: HZM_BASE, HZM_SHOTS, CHROMIUM,
// HZM_STAFF: JSON of the members and what waits for review, made by
// tests/api/99_console_staff.t). Prints one TAP-like line per check.
import { chromium } from 'playwright-core';
import { createHmac } from 'node:crypto';

const base = process.env.HZM_BASE;
const shots = process.env.HZM_SHOTS;
const S = JSON.parse(process.env.HZM_STAFF);
const LONG = 30000;
const entry = base + '/console/staff/';

function check(ok, name, diag) {
	console.log((ok ? 'ok - ' : 'not ok - ') + name + (!ok && diag !== undefined ? ' # ' + String(diag).replace(/\n/g, ' ') : ''));
}

/* RFC 6238 with SHA-1, 30 s steps, 6 digits; at is a time in ms. */
function totp(secret, at) {
	const alpha = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
	let bits = '';
	for (const c of secret.replace(/=+$/, '').toUpperCase())
		bits += alpha.indexOf(c).toString(2).padStart(5, '0');
	const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
	const msg = Buffer.alloc(8);
	msg.writeBigUInt64BE(BigInt(Math.floor(at / 30000)));
	const h = createHmac('sha1', key).update(msg).digest();
	const o = h[h.length - 1] & 0x0f;
	return String((h.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
}

const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});

/*
 * A page that records every script error, console error and failed
 * request; allowed: [method, path regexp, status] of the refusals a step
 * provokes on purpose, each allowed once.
 */
async function openPage(who, viewport) {
	const ctx = await browser.newContext({ viewport });
	const page = await ctx.newPage();
	page.setDefaultTimeout(LONG);
	const p = { page, ctx, errors: [], allowed: [], refused: [], bearer: null };
	page.on('request', (q) => {
		const a = q.headers().authorization;
		if (a)
			p.bearer = a;
	});
	page.on('pageerror', (e) => p.errors.push(who + ': ' + e.message));
	page.on('requestfailed', (q) => p.errors.push(who + ': request failed ' + q.url() + ' ' + (q.failure() || {}).errorText));
	page.on('response', (r) => {
		if (r.status() < 400)
			return;
		const path = new URL(r.url()).pathname;
		const i = p.allowed.findIndex(([m, re, st]) => m === r.request().method() && re.test(path) && st === r.status());
		if (i >= 0) {
			p.refused.push(p.allowed[i]);
			p.allowed.splice(i, 1);
		} else {
			p.errors.push(who + ': ' + r.request().method() + ' ' + path + ' answered ' + r.status());
		}
	});
	page.on('console', (m) => {
		if (m.type() !== 'error')
			return;
		// A refused request is also logged as a failed load; the response handler judges those.
		if (/Failed to load resource: the server responded with a status of/.test(m.text()))
			return;
		p.errors.push(who + ': console: ' + m.text());
	});
	return p;
}

const status = (page) => page.locator('#status').textContent();
async function waitStatus(page, re) {
	await page.waitForFunction((src) => new RegExp(src).test(document.getElementById('status').textContent), re.source, { timeout: LONG });
	return status(page);
}
async function shot(page, name) {
	await page.screenshot({ path: shots + '/' + name + '.png', fullPage: true });
}

async function login(p, m, role) {
	const { page } = p;
	await page.goto(entry);
	await page.waitForSelector('#staff-login');
	check(/#\/login$/.test(page.url()), role + ': the console opens on the sign-in', page.url());
	check(await page.locator('#staff-nav').isHidden(), role + ':   no navigation before signing in');
	await page.fill('#staff-login input[name=email]', m.email);
	await page.fill('#staff-login input[name=password]', m.password);
	// The code of the next step: the current one was spent turning 2FA on.
	await page.fill('#staff-login input[name=code]', totp(m.secret, Date.now() + 30000));
	await page.click('#staff-login button[type=submit]');
	const s = await waitStatus(page, /Signed in/);
	check(s.includes(role), role + ': signed in, the role named', s);
	check((await page.locator('#who-role').textContent()) === role, role + ':   the role badge');
}

async function navItems(page) {
	return page.locator('#staff-nav li:not([hidden]) a').allTextContents();
}

async function noOverflow(page) {
	return page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
}

/* A wrong code first, then the keyboard and the labels of the sign-in. */
async function signInChecks(p) {
	const { page } = p;
	// A wrong code first: refused, the reason shown, still signed out.
	p.allowed.push(['POST', /\/api\/v1\/admin\/auth\/login$/, 401]);
	await page.goto(entry);
	await page.waitForSelector('#staff-login');
	await page.fill('#staff-login input[name=email]', S.compliance.email);
	await page.fill('#staff-login input[name=password]', S.compliance.password);
	await page.fill('#staff-login input[name=code]', totp(S.compliance.secret, Date.now() + 30000) === '000000' ? '111111' : '000000');
	await page.click('#staff-login button[type=submit]');
	await page.waitForFunction(() => document.getElementById('status').className === 'error');
	check(/AUTH_/.test(await status(page)), 'a wrong 2FA code: refused, the reason shown', await status(page));
	check(await page.locator('#staff-nav').isHidden(), '  still signed out');
	// Keyboard: the fields and the button are reached with Tab, focus visible.
	await page.focus('#staff-login input[name=code]');
	await page.keyboard.press('Tab');
	const focus = await page.evaluate(() => ({ tag: document.activeElement.tagName,
	    outline: getComputedStyle(document.activeElement).outlineStyle }));
	check(focus.tag === 'BUTTON' && focus.outline !== 'none', 'Tab reaches the sign-in button, its focus outlined', JSON.stringify(focus));
	const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea')]
	    .filter((i) => !i.labels || !i.labels.length).length);
	check(unlabelled === 0, 'every field has a label', unlabelled);
}

async function kycStep(p) {
	const { page } = p;
	await login(p, S.compliance, 'COMPLIANCE');
	await page.waitForSelector('#kyc-table');
	const nav = await navItems(page);
	check(nav.join('|') === 'KYC queue|Withdrawals|Alerts|Users|Markets|Configuration|Reports|Audit log',
	    'COMPLIANCE: the navigation of its role', nav.join('|'));
	check(/#\/kyc$/.test(page.url()), '  lands on the KYC queue', page.url());

	// KYC: the application, its document, approval.
	const row = page.locator(`#kyc-table tr[data-kyc="${S.kycId}"]`);
	await row.waitFor();
	check((await row.textContent()).includes(S.kycEmail), 'KYC: the application listed with its e-mail');
	await shot(page, '01-kyc-queue');
	await row.locator('button:text("Review")').click();
	await page.waitForSelector('#kyc-detail');
	check((await page.locator('#kyc-detail').textContent()).includes('Zeynep'), '  the applicant named');
	await page.click('#kyc-detail button:text("Open ID_DOCUMENT")');
	await page.waitForSelector('#doc-viewer img');
	const img = await page.locator('#doc-viewer img').evaluate((i) => i.decode().then(() => ({ w: i.naturalWidth, src: i.src, alt: i.alt })));
	check(img.w > 0 && /^blob:/.test(img.src), '  the ID document shown as an image', JSON.stringify(img));
	check(/ID_DOCUMENT/.test(img.alt), '  with a text alternative', img.alt);
	check(/audited/.test(await status(page)), '  the view said to be audited', await status(page));
	await shot(page, '02-kyc-document');
	await page.selectOption('#kyc-detail select[name=level]', 'LEVEL_2');
	await page.click('#kyc-approve');
	check((await waitStatus(page, /approved/)).includes(S.kycId), '  approved: the status line says so');
	await page.waitForFunction((id) => !document.querySelector(`#kyc-table tr[data-kyc="${id}"]`), S.kycId);
	check(true, '  and it leaves the queue');

	// Another application: rejected with its reason.
	await page.locator(`#kyc-table tr[data-kyc="${S.kyc2Id}"] button`).click();
	await page.waitForSelector('#kyc-reject');
	await page.selectOption('#kyc-detail select[name=reason]', 'BLURRY_IMAGE');
	await page.click('#kyc-reject');
	check((await waitStatus(page, /rejected/)).includes(S.kyc2Id), 'KYC: another application rejected');
	await page.waitForFunction((id) => !document.querySelector(`#kyc-table tr[data-kyc="${id}"]`), S.kyc2Id);
	check(true, '  and it leaves the queue too');
}

async function withdrawalStep(p) {
	const { page } = p;
	// Withdrawals: the risk score and its factors, the first approval.
	await page.click('#staff-nav a:text("Withdrawals")');
	const wrow = page.locator(`#wd-table tr[data-wdr="${S.withdrawalId}"]`);
	await wrow.waitFor();
	const wtext = await wrow.textContent();
	check(/HIGH \(\d+\)/.test(wtext) && /0 of 2/.test(wtext), 'withdrawals: listed HIGH with its score, 0 of 2 approvals', wtext);
	await wrow.locator('button:text("Review")').click();
	await page.waitForSelector('#wd-factors');
	const factors = await page.locator('#wd-factors tbody tr').allTextContents();
	check(factors.some((f) => /OVER_DAILY_LIMIT/.test(f) && /daily limit/.test(f)), '  the factor OVER_DAILY_LIMIT with its reason', factors.join(' / '));
	check(factors.some((f) => /VERY_LARGE_AMOUNT/.test(f)), '  and VERY_LARGE_AMOUNT', factors.join(' / '));
	check(/Two different reviewers/.test(await page.locator('#wd-approvals').textContent()), '  two reviewers required, said plainly');
	check(/blacklisted/.test(await page.locator('#wd-address').textContent()), '  the address analysis shown');
	await shot(page, '03-withdrawal-review');
	await page.click('#wd-decision button:text("Approve")');
	check(/reason is required/.test(await waitStatus(page, /reason/)), '  no approval without a reason');
	await page.fill('#wd-decision input[name=reason]', 'Source of funds verified by phone');
	await page.click('#wd-decision button:text("Approve")');
	const s1 = await waitStatus(page, /Approved/);
	check(/1 of 2/.test(s1) && /PENDING_APPROVAL/.test(s1), '  first approval: 1 of 2, still waiting', s1);
	await page.waitForFunction((e) => document.getElementById('wd-approvals').textContent.includes(e), S.compliance.email);
	check(true, '  the approval listed with who gave it');
	await shot(page, '04-withdrawal-first-approval');
}

async function alertStep(p) {
	const { page } = p;
	// Alerts: the other withdrawal's alert, resolved as a false positive.
	await page.click('#staff-nav a:text("Alerts")');
	const arow = page.locator(`#alert-table tr[data-alert="${S.alertId}"]`);
	await arow.waitFor();
	check(/HIGH/.test(await arow.textContent()) && /NEW/.test(await arow.textContent()), 'alerts: the alert listed, HIGH and NEW');
	await arow.locator('button:text("Open")').click();
	await page.waitForSelector('#alert-resolve');
	check(/LARGE_TRANSACTION/.test(await page.locator('#alert-facts').textContent()), '  its type shown');
	await page.selectOption('#alert-resolve select[name=resolution]', 'FALSE_POSITIVE');
	await page.fill('#alert-resolve textarea[name=note]', 'Known customer, salary payment');
	await page.click('#alert-resolve button:text("Save resolution")');
	check(/FALSE_POSITIVE/.test(await waitStatus(page, /is now/)), '  resolved: FALSE_POSITIVE');
	await page.waitForSelector('#alert-resolve', { state: 'detached' });
	check(/FALSE_POSITIVE/.test(await page.locator('#alert-facts').textContent()), '  the alert shows its new state');
	await shot(page, '05-alert-resolved');
}

async function readOnlyStep(p) {
	const { page } = p;
	// What COMPLIANCE may only read: markets and configuration.
	await page.click('#staff-nav a:text("Markets")');
	await page.waitForSelector('#market-table tr[data-symbol="BTCTRY"]');
	check(await page.locator('text=Read only').isVisible(), 'markets: read only for COMPLIANCE');
	check(await page.locator('#market-create').count() === 0, '  no form to create a market');
	await page.click('#market-table tr[data-symbol="BTCTRY"] button');
	await page.waitForSelector('#market-facts');
	check(await page.locator('#market-status').count() === 0, '  no status change offered');
	await page.click('#staff-nav a:text("Configuration")');
	await page.waitForSelector('#config-keys');
	check(/Version \d+/.test(await page.locator('#config-version').textContent()), 'configuration: the version in effect');
	check(await page.locator('#config-set').count() === 0, '  no form to change it');
}

async function reportsAuditStep(p) {
	const { page } = p;
	// Reports.
	await page.click('#staff-nav a:text("Reports")');
	await page.click('#report-trading button[type=submit]');
	await waitStatus(page, /Trading report ready/);
	check(/row\(s\), day by market/.test(await page.locator('#report-trading-out').textContent()), 'reports: the trading report');
	await page.click('#report-masak button[type=submit]');
	await page.waitForSelector('#report-masak-cases');
	check(await page.locator('#report-masak-cases tbody tr').count() >= 1, '  the MASAK cases drafted');
	await shot(page, '06-reports');

	// The audit log and its chain verifier.
	await page.click('#staff-nav a:text("Audit log")');
	await page.waitForSelector('#audit-table');
	const events = await page.locator('#audit-table tbody').textContent();
	check(/WITHDRAWAL_APPROVAL APPROVED/.test(events) && /KYC/.test(events), 'audit: the approvals listed', events.slice(0, 200));
	await page.click('#audit-verify');
	await page.waitForSelector('#audit-verdict');
	const verdict = await page.locator('#audit-verdict').textContent();
	check(/intact: \d+ entries checked/.test(verdict), '  the chain verifier passes', verdict);
	check(await page.locator('#audit-verdict.verdict-ok').count() === 1, '  shown as passed');
	await shot(page, '07-audit-verified');
}

async function complianceWalk() {
	const p = await openPage('COMPLIANCE', { width: 1280, height: 900 });
	const { page } = p;
	for (const step of [signInChecks, kycStep, withdrawalStep, alertStep, readOnlyStep, reportsAuditStep])
		await step(p);
	const bearer = p.bearer;
	await page.click('#logout');
	await page.waitForSelector('#staff-login');
	check(await page.locator('#staff-nav').isHidden() && /Signed out/.test(await status(page)), 'signed out: the sign-in again');
	// The token the page used is revoked: asked from outside the page.
	const after = await fetch(base + '/api/v1/admin/kyc/pending', { headers: { Authorization: bearer } });
	check(/^Bearer /.test(bearer || '') && after.status === 401, '  the session is revoked on the server', after.status);
	check(p.allowed.length === 0 && p.refused.length === 1, 'COMPLIANCE: the one refusal provoked happened');
	check(p.errors.length === 0, 'COMPLIANCE: no script error, console error or failed request', p.errors.join('; '));
	await p.ctx.close();
}

async function adminWalk() {
	const p = await openPage('ADMIN', { width: 1024, height: 800 });
	const { page } = p;
	await login(p, S.admin, 'ADMIN');
	await page.goto(entry + '#/withdrawals/' + S.withdrawalId);
	await page.waitForSelector('#wd-decision');
	check(/1 of 2/.test(await page.locator('#wd-approvals').textContent()), 'ADMIN: the withdrawal shows 1 of 2 approvals');
	// The review at phone width: every factor still named, nothing wider than the screen.
	await page.setViewportSize({ width: 390, height: 844 });
	check(await noOverflow(page), '  the review fits 390 px');
	check(await page.locator('#wd-factors td[data-label="Factor"]:text("OVER_DAILY_LIMIT")').isVisible(), '  the factors as labelled cards');
	await shot(page, '08a-withdrawal-review-390');
	await page.setViewportSize({ width: 1024, height: 800 });
	await page.fill('#wd-decision input[name=reason]', 'Second check: address and history fine');
	await page.click('#wd-decision button:text("Approve")');
	const s2 = await waitStatus(page, /Approved/);
	check(/2 of 2/.test(s2) && /PENDING_SIGNATURE/.test(s2), '  second approval: 2 of 2, on to signing', s2);
	await page.waitForSelector('#wd-decision', { state: 'detached' });
	check(true, '  no decision offered any more');
	await shot(page, '08-withdrawal-approved');

	// The other withdrawal (its alert a false positive, still waiting): rejected with a reason.
	await page.goto(entry + '#/withdrawals/' + S.rejectId);
	await page.waitForSelector('#wd-decision');
	await page.click('#wd-decision button:text("Reject")');
	check(/reason is required/.test(await waitStatus(page, /reason/)), 'ADMIN: no rejection without a reason');
	await page.fill('#wd-decision input[name=reason]', 'Destination not explained');
	await page.click('#wd-decision button:text("Reject")');
	check(/Rejected: status REJECTED/.test(await waitStatus(page, /Rejected/)), '  rejected: the status line says so');
	await page.waitForSelector('#wd-decision', { state: 'detached' });
	check(/REJECTED/.test(await page.locator('#wd-facts').textContent()), '  the withdrawal shows REJECTED');

	// Markets: create one, change its status; the live configuration.
	await page.click('#staff-nav a:text("Markets")');
	await page.waitForSelector('#market-create');
	const f = { symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT', pricePrecision: '2', quantityPrecision: '6',
	    minQuantity: '0.0001', minNotional: '10', makerFee: '0.001', takerFee: '0.002' };
	for (const [k, v] of Object.entries(f))
		await page.fill(`#market-create input[name=${k}]`, v);
	await page.click('#market-create button[type=submit]');
	check(/BTCUSDT created, HALTED/.test(await waitStatus(page, /created/)), 'ADMIN: a market created, HALTED');
	await page.waitForSelector('#market-table tr[data-symbol="BTCUSDT"]');
	await page.click('#market-table tr[data-symbol="BTCUSDT"] button');
	await page.waitForSelector('#market-status');
	await page.selectOption('#market-status select[name=status]', 'CANCEL_ONLY');
	await page.fill('#market-status input[name=reason]', 'Opening in steps');
	await page.click('#market-status button:text("Change status")');
	check(/HALTED → CANCEL_ONLY/.test(await waitStatus(page, /→/)), '  its status changed');
	await page.click('#staff-nav a:text("Configuration")');
	await page.waitForSelector('#config-set');
	await page.fill('#config-set input[name=key]', 'market_fee.BTCUSDT.maker');
	await page.fill('#config-set input[name=value]', '0.0015');
	await page.fill('#config-set input[name=reason]', 'Launch fee');
	await page.click('#config-set button[type=submit]');
	check(/market_fee\.BTCUSDT\.maker: .* → 0\.0015/.test(await waitStatus(page, /version/)), '  a live setting changed');
	await page.waitForFunction(() => document.getElementById('config-history').textContent.includes('Launch fee'));
	check(true, '  the change in the history with its reason');
	await shot(page, '09-config');
	check(p.errors.length === 0, 'ADMIN: no script error, console error or failed request', p.errors.join('; '));
	await p.ctx.close();
}

async function supportWalk() {
	const p = await openPage('SUPPORT', { width: 390, height: 844 });
	const { page } = p;
	await login(p, S.support, 'SUPPORT');
	await page.waitForSelector('#user-table');
	const nav = await navItems(page);
	check(nav.join('|') === 'Users|Markets', 'SUPPORT: only Users and Markets in the navigation', nav.join('|'));
	check(/#\/users$/.test(page.url()), '  lands on Users', page.url());
	check(await noOverflow(page), '  the page fits 390 px');
	await page.locator('#user-table tbody tr').first().locator('button').click();
	await page.waitForSelector('#user-facts');
	check(await page.locator('#user-facts').isVisible(), '  a profile opens');
	await shot(page, '10-support-users-390');
	await page.click('#staff-nav a:text("Markets")');
	await page.waitForSelector('#market-table tr[data-symbol="BTCTRY"]');
	check(await page.locator('text=Read only').isVisible() && await page.locator('#market-create').count() === 0,
	    '  markets read only, nothing to create');
	check(await noOverflow(page), '  markets fit 390 px');
	// A page of another role, opened by its address: the refusal shown, nothing to press.
	p.allowed.push(['GET', new RegExp('/api/v1/admin/withdrawals/' + S.withdrawalId + '$'), 403]);
	await page.goto(entry + '#/withdrawals/' + S.withdrawalId);
	await page.waitForSelector('[data-refused="403"]');
	const why = await page.locator('[data-refused="403"]').textContent();
	check(/may not review withdrawals/.test(why) && /403/.test(why), '  a withdrawal by its address: the 403 said plainly', why);
	check(await page.locator('button:text("Approve")').count() === 0 && await page.locator('button:text("Reject")').count() === 0,
	    '  no approve or reject buttons');
	await shot(page, '11-support-refused-390');
	// Appendix G: the session is in the page's memory only.
	const stored = await page.evaluate(() => localStorage.length + sessionStorage.length + document.cookie.length);
	check(stored === 0, '  nothing in web storage or cookies', stored);
	await page.reload();
	await page.waitForSelector('#staff-login');
	check(await page.locator('#staff-nav').isHidden(), '  a reload ends the session: the sign-in again');
	check(p.allowed.length === 0 && p.refused.length === 1, 'SUPPORT: the one 403 probed happened');
	check(p.errors.length === 0, 'SUPPORT: no script error, console error or failed request', p.errors.join('; '));
	await p.ctx.close();
}

try {
	for (const walk of [complianceWalk, adminWalk, supportWalk]) {
		try {
			await walk();
		} catch (e) {
			check(false, walk.name + ' went through', e.message);
		}
	}
} finally {
	await browser.close();
}
