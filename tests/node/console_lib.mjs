// tests/node/console_lib.mjs — what the console's browser tests share: Chromium, TAP-like checks, questions to the Perl side, screenshots, and every console error or failed request counted
//
// The Perl wrapper (tests/api/lib/HzmConsole.pm) answers questions on stdin:
// the script prints "ask NAME ARG..." and reads one line back (a mail's code,
// a deposit made on the node stand-in, ...).
import { chromium } from 'playwright-core';
import { createInterface } from 'node:readline';
import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';

export const base = process.env.HZM_BASE;
const shots = process.env.HZM_SHOTS;
let nshot = 0;
let failed = 0;

export function check(ok, name, diag) {
	if (!ok)
		failed++;
	console.log((ok ? 'ok - ' : 'not ok - ') + name +
	    (!ok && diag !== undefined ? ' # ' + String(diag).replace(/\n/g, ' ') : ''));
	return ok;
}

const lines = createInterface({ input: process.stdin });
const pending = [];
const queued = [];
lines.on('line', (l) => {
	const p = pending.shift();
	if (p)
		p(l);
	else
		queued.push(l);
});

/* Ask the Perl side; resolves to its one-line answer. */
export function ask(name, ...args) {
	console.log('ask ' + [name, ...args].join(' '));
	if (queued.length)
		return Promise.resolve(queued.shift());
	return new Promise((res) => pending.push(res));
}

/* RFC 6238 with SHA-1, 30 s steps, 6 digits; t in seconds. */
export function totp(b32, t) {
	const alpha = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
	let bits = '';
	for (const c of b32.replace(/=+$/, '').toUpperCase())
		bits += alpha.indexOf(c).toString(2).padStart(5, '0');
	const key = Buffer.alloc(Math.floor(bits.length / 8));
	for (let i = 0; i < key.length; i++)
		key[i] = parseInt(bits.slice(i * 8, i * 8 + 8), 2);
	const ctr = Buffer.alloc(8);
	ctr.writeBigUInt64BE(BigInt(Math.floor((t === undefined ? Date.now() / 1000 : t) / 30)));
	const h = createHmac('sha1', key).update(ctr).digest();
	const o = h[h.length - 1] & 0x0f;
	return String((h.readUInt32BE(o) & 0x7fffffff) % 1000000).padStart(6, '0');
}

/*
 * A TOTP code not used before: a code is good once (replays refused), so
 * each use takes the next 30-second step, waiting for it when needed.
 */
let lastStep = 0;
export async function freshTotp(secret) {
	for (;;) {
		const step = Math.floor(Date.now() / 30000);
		if (step > lastStep) {
			lastStep = step;
			return totp(secret);
		}
		await new Promise((r) => setTimeout(r, (step + 1) * 30000 - Date.now() + 300));
	}
}

/*
 * The browser and one page, phone-sized (390 px wide) unless asked. Every
 * uncaught error, console error and failed request is recorded; responses
 * with an error status count too unless expected (expect(status, re)).
 */
export async function open(opts) {
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
	});
	const context = await browser.newContext({
		viewport: (opts && opts.viewport) || { width: 390, height: 844 },
	});
	const page = await context.newPage();
	page.setDefaultTimeout(20000);
	const problems = [];
	const expected = [];
	page.on('pageerror', (e) => problems.push('page error: ' + e.message));
	page.on('console', (m) => {
		// A response with an error status is logged as a failed load; those are judged below.
		if (m.type() === 'error' && !/Failed to load resource/.test(m.text()))
			problems.push('console: ' + m.text());
	});
	page.on('requestfailed', (r) => {
		// Leaving a page aborts its WebSocket and pending fetches: not a failure.
		if (!/ERR_ABORTED/.test(r.failure() && r.failure().errorText))
			problems.push('request failed: ' + r.url() + ' ' + (r.failure() && r.failure().errorText));
	});
	page.on('response', (r) => {
		if (r.status() < 400)
			return;
		const u = new URL(r.url());
		const i = expected.findIndex((e) => e.status === r.status() && e.re.test(u.pathname));
		if (i >= 0)
			expected.splice(i, 1);
		else
			problems.push('HTTP ' + r.status() + ' ' + r.request().method() + ' ' + u.pathname);
	});
	return {
		browser, context, page, problems,
		/* The next response with this status to a path matching re is wanted. */
		expect(status, re) { expected.push({ status, re }); },
	};
}

/* A full-page screenshot in the test's output directory. */
export async function shot(page, name) {
	if (!shots)
		return;
	mkdirSync(shots, { recursive: true });
	await page.screenshot({ path: `${shots}/${String(++nshot).padStart(2, '0')}-${name}.png`, fullPage: true });
}

/* The status line's text once it matches re (or the test's timeout). */
export async function statusMatching(page, re) {
	await page.waitForFunction((src) => new RegExp(src).test(document.getElementById('status').textContent),
	    re.source);
	return page.locator('#status').textContent();
}

/* End: the problems seen, then the browser closed; exit status as the checks went. */
export async function finish(b) {
	check(b.problems.length === 0, 'no script errors, console errors or failed requests', b.problems.join('; '));
	await b.browser.close();
	lines.close();
	process.exit(failed ? 1 : 0);
}
