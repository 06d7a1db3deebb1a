// tests/node/ws_asyncapi.mjs — what /ws really sends, held to docs/asyncapi.json's message schemas (ajv from docs/ui, ws from tests/node)
//
// Usage: node ws_asyncapi.mjs ASYNCAPI_JSON  (environment: HZM_WS, the /ws
// URL; HZM_BASE, the REST base; HZM_SYMBOL, a market; HZM_TOKEN_A and
// HZM_TOKEN_B, two funded traders' access tokens; HZM_PRICE, a price A's
// sell and B's buy meet at). Prints one TAP-like line per check for
// tests/api/95_docs.t. The schemas are closed (additionalProperties: false),
// so a field the streamer sends and the document lacks fails as well.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const WebSocket = require(path.join(here, 'node_modules/ws'));
const Ajv = require(path.join(here, '../../docs/ui/node_modules/ajv'));

const doc = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const sym = process.env.HZM_SYMBOL;
const ajv = new Ajv({ strict: false, allErrors: true });
const schemas = {};
for (const [k, m] of Object.entries(doc.components.messages))
	schemas[k] = ajv.compile(m.payload);

function check(ok, name, diag) {
	console.log((ok ? 'ok - ' : 'not ok - ') + name + (!ok && diag ? ' # ' + String(diag).replace(/\n/g, ' ') : ''));
}

async function connect(inbox) {
	const c = new WebSocket(process.env.HZM_WS);
	c.on('message', (d) => inbox.push(JSON.parse(d.toString())));
	await new Promise((ok, fail) => { c.on('open', ok); c.on('error', fail); });
	return c;
}

let inbox = [];
let ws = await connect(inbox);

// The next message that test() accepts, within two seconds.
async function next(test) {
	const t0 = Date.now();
	for (;;) {
		const i = inbox.findIndex(test);
		if (i >= 0)
			return inbox.splice(i, 1)[0];
		if (Date.now() - t0 > 2000)
			return undefined;
		await new Promise((r) => setTimeout(r, 20));
	}
}

// Send req; the answer (or stream message) test() picks must be message `kind` of the document.
async function expect(what, req, kind, test) {
	if (req)
		ws.send(typeof req === 'string' ? req : JSON.stringify(req));
	const msg = await next(test);
	check(msg !== undefined, `${what}: answered`, JSON.stringify(inbox));
	if (msg === undefined)
		return;
	const ok = schemas[kind](msg);
	check(ok, `${what}: a "${kind}" message as documented`,
	    JSON.stringify(msg) + ' ' + ajv.errorsText(schemas[kind].errors));
}

const ev = (e) => (m) => m.event === e;
await expect('PING', { method: 'PING', id: 7 }, 'pong', ev('pong'));
await expect('SUBSCRIBE orderbook', { method: 'SUBSCRIBE', id: 1, params: { channel: 'orderbook', symbol: sym, depth: 5 } },
    'subscribed', ev('subscribed'));
await expect('  its snapshot', null, 'orderbookSnapshot', (m) => m.channel === 'orderbook' && m.type === 'snapshot');
await expect('SUBSCRIBE ticker', { method: 'SUBSCRIBE', params: { channel: 'ticker', symbol: sym } },
    'subscribed', ev('subscribed'));
await expect('  the ticker', null, 'ticker', (m) => m.channel === 'ticker' && m.data);
await expect('SUBSCRIBE kline', { method: 'SUBSCRIBE', id: 'k', params: { channel: 'kline', symbol: sym, interval: '5m' } },
    'subscribed', ev('subscribed'));
await expect('LIST_SUBSCRIPTIONS', { method: 'LIST_SUBSCRIPTIONS' }, 'subscriptions', ev('subscriptions'));
await expect('UNSUBSCRIBE kline', { method: 'UNSUBSCRIBE', params: { channel: 'kline', symbol: sym, interval: '5m' } },
    'unsubscribed', ev('unsubscribed'));
await expect('UNSUBSCRIBE what is not subscribed', { method: 'UNSUBSCRIBE', id: 2, params: { channel: 'trade', symbol: sym } },
    'error', ev('error'));
await expect('an unknown symbol', { method: 'SUBSCRIBE', params: { channel: 'trade', symbol: 'NOPE9' } },
    'error', ev('error'));
await expect('a private channel without auth', { method: 'SUBSCRIBE', params: { channel: 'orders' } },
    'error', ev('error'));
await expect('not JSON', '{nope', 'error', ev('error'));
ws.close();

// A trade: the market's streams on one connection, A's own on another.
async function place(token, body) {
	const r = await fetch(process.env.HZM_BASE + '/api/v1/orders', {
		method: 'POST',
		headers: { authorization: 'Bearer ' + token, 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	check(r.status === 201, `${body.side} order placed`, r.status + ' ' + await r.text());
}
const px = process.env.HZM_PRICE;
const pub = [];
const own = [];
const market = await connect(pub);
const mine = await connect(own);
for (const ch of ['trade', 'orderbook', 'kline'])
	market.send(JSON.stringify({ method: 'SUBSCRIBE', params: { channel: ch, symbol: sym, interval: '1m' } }));
mine.send(JSON.stringify({ method: 'SUBSCRIBE', id: 'o', params: { channel: 'orders', auth: { token: process.env.HZM_TOKEN_A } } }));
mine.send(JSON.stringify({ method: 'SUBSCRIBE', id: 'b', params: { channel: 'balances', auth: { token: process.env.HZM_TOKEN_A } } }));
inbox = own;
await expect('orders subscribed by token', null, 'subscribed', (m) => m.id === 'o');
await expect('balances subscribed by token', null, 'subscribed', (m) => m.id === 'b');
inbox = pub;
await expect('  the book\'s snapshot', null, 'orderbookSnapshot', (m) => m.type === 'snapshot');
await place(process.env.HZM_TOKEN_A, { symbol: sym, side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', price: px, quantity: '0.02000000' });
await place(process.env.HZM_TOKEN_B, { symbol: sym, side: 'BUY', type: 'LIMIT', timeInForce: 'IOC', price: px, quantity: '0.01000000' });
await expect('the trade', null, 'trade', (m) => m.channel === 'trade' && m.data);
await expect('an order book update', null, 'orderbookUpdate', (m) => m.type === 'update');
await expect('the candle', null, 'kline', (m) => m.channel === 'kline' && m.data);
inbox = own;
await expect('A\'s order.new', null, 'order', (m) => m.event === 'order.new');
await expect('A\'s order.partial', null, 'order', (m) => m.event === 'order.partial');
await expect('A\'s balance.update', null, 'balance', (m) => m.event === 'balance.update');
market.close();
mine.close();
