#!/usr/bin/env node
// tests/bench/webhook_sink.js — the webhook receiver of the notification bench: plain HTTP on loopback, 200 at once, every delivery counted by its webhook-id and its Standard Webhooks signature checked
//
//   node tests/bench/webhook_sink.js PORT SECRET
//
// SECRET is the endpoint's whsec_... secret. GET /count answers the tally
// as JSON: posts, unique ids, repeated ids, bad (a header missing or a
// signature that does not verify), and the times of the first and last
// delivery (ms since the epoch).
'use strict';
const http = require('http');
const crypto = require('crypto');

const [port, secret] = process.argv.slice(2);
const key = Buffer.from((secret || '').replace(/^whsec_/, ''), 'base64');
const seen = new Set();
let posts = 0, repeated = 0, bad = 0, first = 0, last = 0;

// v1,<base64 HMAC-SHA256 of "id.timestamp.body">; a rotation sends two.
function signed(id, ts, sig, body) {
	const want = 'v1,' + crypto.createHmac('sha256', key)
	    .update(id + '.' + ts + '.').update(body).digest('base64');
	return sig.split(' ').includes(want);
}

const srv = http.createServer((req, res) => {
	if (req.method === 'GET' && req.url === '/count') {
		res.writeHead(200, { 'Content-Type': 'application/json' });
		res.end(JSON.stringify({ posts, unique: seen.size, repeated, bad,
		    first, last }));
		return;
	}
	const chunks = [];
	req.on('data', (c) => chunks.push(c));
	req.on('end', () => {
		const id = req.headers['webhook-id'];
		const ts = req.headers['webhook-timestamp'];
		const sig = req.headers['webhook-signature'];

		last = Date.now();
		if (posts++ === 0)
			first = last;
		if (req.method !== 'POST' || !id || !ts || !sig ||
		    !signed(id, ts, sig, Buffer.concat(chunks)))
			bad++;
		if (id && seen.has(id))
			repeated++;
		else if (id)
			seen.add(id);
		res.writeHead(200, { 'Content-Type': 'text/plain' });
		res.end('ok');
	});
});
srv.keepAliveTimeout = 30000;
srv.listen(Number(port), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
