/* www/console/js/ws.js — the console's one WebSocket to /ws: subscriptions by channel and symbol, private ones with the in-memory access token (renewed when it runs out), reconnecting with backoff */

import { accessToken, refresh } from './api.js';

let sock = null;
let backoff = 500;
let nextId = 1;
const subs = new Map();		/* key -> { params, handlers:Set } */

function key(p) {
	return [p.channel, p.symbol || '', p.interval || ''].join('/');
}

function sendSub(p) {
	if (!sock || sock.readyState !== WebSocket.OPEN)
		return;
	const params = Object.assign({}, p);
	if (p.private) {
		delete params.private;
		params.auth = { token: accessToken() };
	}
	sock.send(JSON.stringify({ method: 'SUBSCRIBE', id: nextId++, params }));
}

/*
 * The streamer ends a private subscription when the access token it was
 * made with runs out ({"event":"unsubscribed", "error":{"code":"AUTH_002"}}):
 * take a new token from the refresh cookie and subscribe again, unless
 * the session is gone.
 */
async function renew(channel) {
	if (!await refresh().catch(() => false))
		return;
	for (const s of subs.values())
		if (s.params.private && s.params.channel === channel)
			sendSub(s.params);
}

function route(m) {
	if (!m.channel)
		return;
	for (const s of subs.values()) {
		const p = s.params;
		if (p.channel !== m.channel || (p.symbol && m.symbol && p.symbol !== m.symbol) ||
		    (p.interval && m.interval && p.interval !== m.interval))
			continue;
		for (const h of s.handlers)
			h(m);
	}
}

function connect() {
	if (sock || !subs.size)
		return;
	const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws';
	const s = new WebSocket(url);
	sock = s;
	s.addEventListener('open', () => {
		backoff = 500;
		for (const x of subs.values())
			sendSub(x.params);
	});
	s.addEventListener('message', (ev) => {
		let m;
		try {
			m = JSON.parse(ev.data);
		} catch (e) {
			return;
		}
		if (m.event === 'subscribed' || m.event === 'pong')
			return;
		if (m.event === 'unsubscribed') {
			if (m.error && m.error.code === 'AUTH_002' && m.channel)
				renew(m.channel);
			return;
		}
		route(m);
	});
	s.addEventListener('close', () => {
		if (sock === s)
			sock = null;
		if (subs.size) {
			setTimeout(connect, backoff);
			backoff = Math.min(backoff * 2, 15000);
		}
	});
}

/*
 * Call handler(message) for each message of a channel ({ channel, symbol,
 * interval, depth, private }); a (re)connection subscribes again (the book
 * then starts from a new snapshot). Returns the function that unsubscribes.
 */
export function subscribe(params, handler) {
	const k = key(params);
	let s = subs.get(k);
	if (!s) {
		s = { params, handlers: new Set() };
		subs.set(k, s);
		sendSub(params);
	}
	s.handlers.add(handler);
	connect();
	let done = false;
	/* Once only: a second call must not end a newer subscription to the same channel. */
	return () => {
		if (done)
			return;
		done = true;
		s.handlers.delete(handler);
		if (s.handlers.size)
			return;
		subs.delete(k);
		if (sock && sock.readyState === WebSocket.OPEN) {
			const p = { channel: params.channel };
			if (params.symbol)
				p.symbol = params.symbol;
			if (params.interval)
				p.interval = params.interval;
			sock.send(JSON.stringify({ method: 'UNSUBSCRIBE', params: p }));
		}
		if (!subs.size && sock) {
			const old = sock;
			sock = null;
			old.close(1000);
		}
	};
}
