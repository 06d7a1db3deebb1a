// tests/api/lib/ws_driver.js — WebSocket clients for the API tests, driven by JSON lines on stdin
// (one command a line, one answer a line), on the npm ws library.
'use strict';
const path = require('path');
const WebSocket = require(path.join(__dirname, '../../node/node_modules/ws'));
const readline = require('readline');

const base = process.argv[2];
const clients = new Map();

function client(name) {
	const c = clients.get(name);
	if (!c) throw new Error('no client ' + name);
	return c;
}

// A message matches when every key of want equals (or, for objects, matches) its own.
function matches(msg, want) {
	if (want === null || typeof want !== 'object') return msg === want;
	if (msg === null || typeof msg !== 'object') return false;
	return Object.keys(want).every((k) => matches(msg[k], want[k]));
}

function waitFor(test, timeout) {
	return new Promise((resolve) => {
		const t0 = Date.now();
		const poll = () => {
			const r = test();
			if (r !== undefined) return resolve(r);
			if (Date.now() - t0 > timeout) return resolve(undefined);
			setTimeout(poll, 5);
		};
		poll();
	});
}

const ops = {
	async open(a) {
		const ws = new WebSocket(base + (a.path || '/ws'), { headers: a.headers || {} });
		const c = { ws, msgs: [], closed: null, error: null };
		clients.set(a.name, c);
		ws.on('message', (data, isBinary) => {
			const text = data.toString();
			let j = null;
			try { j = JSON.parse(text); } catch (e) { j = { unparsed: text }; }
			j._at = Date.now();
			c.msgs.push(j);
		});
		ws.on('close', (code, reason) => { c.closed = { code, reason: reason.toString() }; });
		ws.on('error', (e) => { c.error = String(e.message || e); });
		ws.on('unexpected-response', (req, res) => { c.error = 'HTTP ' + res.statusCode; c.closed = { code: 0 }; });
		const ok = await waitFor(() => (ws.readyState === WebSocket.OPEN ? true :
		    (c.closed || c.error ? false : undefined)), a.timeout || 5000);
		if (ok && a.slow) ws._socket.pause();
		return { ok: !!ok, error: c.error };
	},
	async send(a) {
		const c = client(a.name);
		for (let i = 0; i < (a.times || 1); i++) {
			if (a.binary) c.ws.send(Buffer.from(a.raw), { binary: true });
			else c.ws.send(a.raw !== undefined ? a.raw : JSON.stringify(a.msg));
		}
		return { ok: true };
	},
	async next(a) {
		const c = client(a.name);
		const m = await waitFor(() => {
			const i = c.msgs.findIndex((m) => matches(m, a.match || {}));
			if (i >= 0) return c.msgs.splice(i, 1)[0];
			return c.closed && !a.afterClose ? null : undefined;
		}, a.timeout || 5000);
		return m ? { ok: true, msg: m } : { ok: false, closed: c.closed, have: c.msgs.slice(-5) };
	},
	async collect(a) {
		const c = client(a.name);
		await new Promise((r) => setTimeout(r, a.ms || 0));
		const all = c.msgs;
		c.msgs = [];
		return { ok: true, msgs: all, closed: c.closed };
	},
	async closed(a) {
		const c = client(a.name);
		const r = await waitFor(() => c.closed || undefined, a.timeout || 5000);
		return r ? { ok: true, code: r.code, reason: r.reason } : { ok: false };
	},
	async resume(a) {
		client(a.name).ws._socket.resume();
		return { ok: true };
	},
	async close(a) {
		const c = client(a.name);
		c.ws.terminate();
		clients.delete(a.name);
		return { ok: true };
	},
};

const rl = readline.createInterface({ input: process.stdin });
let chain = Promise.resolve();
rl.on('line', (line) => {
	chain = chain.then(async () => {
		let out;
		try {
			const a = JSON.parse(line);
			out = await ops[a.op](a);
		} catch (e) {
			out = { ok: false, error: String(e.message || e) };
		}
		process.stdout.write(JSON.stringify(out) + '\n');
	});
});
rl.on('close', () => { chain.then(() => process.exit(0)); });
