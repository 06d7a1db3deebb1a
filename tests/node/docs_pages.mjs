// tests/node/docs_pages.mjs — the API documentation pages in headless Chromium (playwright-core, Debian's chromium)
//
// Usage: node docs_pages.mjs  (environment: HZM_BASE, HZM_SHOTS (a directory
// for the screenshots), CHROMIUM). Prints one TAP-like line per check
// ("ok - ..." / "not ok - ...") for tests/api/95_docs.t.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';

const base = process.env.HZM_BASE;
const shots = process.env.HZM_SHOTS;

function check(ok, name, diag) {
	console.log((ok ? 'ok - ' : 'not ok - ') + name + (!ok && diag ? ' # ' + String(diag).replace(/\n/g, ' ') : ''));
}

// Open one page; every console error (CSP refusals are errors), script
// error, failed request or answer >= 400 on the way is a failure.
async function visit(browser, path, shot, ready) {
	const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
	const errors = [];
	page.setDefaultTimeout(20000);
	page.on('pageerror', (e) => errors.push('script error: ' + e.message));
	page.on('console', (m) => {
		if (m.type() === 'error')
			errors.push('console: ' + m.text());
	});
	page.on('requestfailed', (r) => errors.push('failed: ' + r.url() + ' ' + (r.failure() || {}).errorText));
	page.on('response', (r) => {
		if (r.status() >= 400)
			errors.push(r.status() + ': ' + r.url());
	});
	const outside = [];
	page.on('request', (r) => {
		const u = r.url();
		if (!u.startsWith(base) && !u.startsWith('blob:') && !u.startsWith('data:'))
			outside.push(u);
	});
	try {
		const resp = await page.goto(base + path);
		check(resp.status() === 200, `${path}: 200`, resp.status());
		await ready(page);
		await page.waitForLoadState('networkidle');
		await page.screenshot({ path: `${shots}/${shot}.png`, fullPage: false });
		check(true, `${path}: screenshot ${shot}.png`);
	} catch (e) {
		check(false, `${path}: rendered`, e.message);
	}
	check(errors.length === 0, `${path}: no console error, no failed request`, errors.join('; '));
	check(outside.length === 0, `${path}: nothing loaded from elsewhere`, outside.join(' '));
	await page.close();
}

mkdirSync(shots, { recursive: true });
const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
	args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
try {
	await visit(browser, '/api/docs', 'swagger-ui', async (page) => {
		const op = page.locator('.opblock-summary-path[data-path="/api/v1/orders"]');
		await op.first().waitFor();
		check(await op.count() >= 2, 'Swagger UI: /api/v1/orders listed (GET and POST)', await op.count());
		const n = await page.locator('.opblock').count();
		check(n > 100, `Swagger UI: every operation rendered (${n})`, n);
		check(/hzm exchange API/.test(await page.locator('.info .title').textContent()),
		    'Swagger UI: the document\'s title');
		// Opening an operation shows its parameters and responses.
		await page.locator('.opblock-post .opblock-summary-path[data-path="/api/v1/orders"]').first().click();
		await page.locator('.opblock.is-open .responses-wrapper').first().waitFor();
		check(await page.locator('.opblock.is-open .response-col_status:text-is("429")').count() > 0,
		    'Swagger UI: an opened operation lists its responses (429 among them)');
	});
	await visit(browser, '/api/redoc', 'redoc', async (page) => {
		await page.locator('.api-info h1').waitFor();
		check(/hzm exchange API/.test(await page.locator('.api-info h1').textContent()),
		    'ReDoc: the document\'s title');
		const h = page.locator('h2:text-is("Place an order")');
		await h.first().waitFor();
		check(await h.count() === 1, 'ReDoc: the operation "Place an order" rendered');
		const n = await page.locator('[data-section-id^="tag/"]').count();
		check(n > 10, `ReDoc: tag sections rendered (${n})`, n);
		// The search runs in its blob: worker (the CSP's worker-src).
		await page.fill('input[placeholder="Search..."]', 'orderbook');
		await page.locator('[data-role="search:results"] li').first().waitFor();
		check(true, 'ReDoc: the search finds operations');
	});
	await visit(browser, '/api/docs/ws', 'websocket', async (page) => {
		check(/WebSocket/.test(await page.locator('h1').textContent()), 'WebSocket page: its title');
		for (const t of ['SUBSCRIBE', 'orderbook', 'lastUpdateId', '4008', '4029', '1009'])
			check(await page.getByText(t).count() > 0, `WebSocket page: mentions ${t}`);
		const css = await page.evaluate(() => getComputedStyle(document.querySelector('pre')).backgroundColor);
		check(css !== 'rgba(0, 0, 0, 0)', 'WebSocket page: its stylesheet applied', css);
	});
} catch (e) {
	check(false, 'the pages went through', e.message);
} finally {
	await browser.close();
}
