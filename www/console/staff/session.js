/* www/console/staff/session.js — the staff console's session: POST /admin/auth/login with 2FA, the tokens in this module's memory only, calls with them, what each role may do */

import { ApiError } from '../js/api.js';

const API = '/api/v1';

/*
 * Appendix G: nothing of the session is written to web storage
 * or a cookie; a reload or a closed tab ends it. The refresh
 * token stays here too, so a session outlives the 15-minute access token
 * while the page is open, and logging out revokes both.
 */
let access = null;
let refreshToken = null;
let who = null;
let refreshing = null;
const listeners = new Set();

export const STAFF_ROLES = ['ADMIN', 'COMPLIANCE', 'SUPPORT'];

/*
 * What each role may use, as the route tables in handlers/admin*.c declare
 * it (ROLES_SUPPORT, ROLES_COMPLIANCE, ROLE_ADMIN). The server decides; the
 * pages only leave out what would be refused.
 */
const RIGHTS = {
	'users.read': ['ADMIN', 'COMPLIANCE', 'SUPPORT'],
	'markets.read': ['ADMIN', 'COMPLIANCE', 'SUPPORT'],
	'markets.write': ['ADMIN'],
	'kyc.read': ['ADMIN', 'COMPLIANCE'],
	'kyc.decide': ['ADMIN', 'COMPLIANCE'],
	'withdrawals.read': ['ADMIN', 'COMPLIANCE'],
	'withdrawals.decide': ['ADMIN', 'COMPLIANCE'],
	'alerts.read': ['ADMIN', 'COMPLIANCE'],
	'alerts.resolve': ['ADMIN', 'COMPLIANCE'],
	'config.read': ['ADMIN', 'COMPLIANCE'],
	'config.write': ['ADMIN'],
	'reports.read': ['ADMIN', 'COMPLIANCE'],
	'audit.read': ['ADMIN', 'COMPLIANCE'],
};

export function onChange(f) {
	listeners.add(f);
	return () => listeners.delete(f);
}

function notify() {
	for (const f of listeners)
		f(who);
}

/* The signed-in member: { userId, email, role } or null. */
export function member() {
	return who;
}

/* Whether the signed-in member's role may use a right (see RIGHTS). */
export function may(right) {
	return !!who && (RIGHTS[right] || []).includes(who.role);
}

function idemKey() {
	const b = new Uint8Array(16);
	crypto.getRandomValues(b);
	return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

async function send(method, path, body, accept) {
	const h = { Accept: accept || 'application/json' };
	if (access)
		h.Authorization = 'Bearer ' + access;
	if (body !== undefined)
		h['Content-Type'] = 'application/json';
	if (method === 'POST')
		h['X-Idempotency-Key'] = idemKey();
	return fetch(API + path, {
		method, headers: h, credentials: 'omit', cache: 'no-store',
		body: body === undefined ? undefined : JSON.stringify(body),
	});
}

async function envelope(r) {
	try {
		return await r.json();
	} catch (e) {
		return null;
	}
}

function refusal(r, j) {
	return new ApiError(r.status, j && j.error ? j.error :
	    { code: 'HTTP_' + r.status, message: r.statusText || 'request failed' });
}

function drop() {
	const had = who !== null;
	access = null;
	refreshToken = null;
	who = null;
	if (had)
		notify();
}

/* A new access token from the refresh token held here; false ends the session. */
function renew() {
	if (!refreshing) {
		refreshing = (async () => {
			if (!refreshToken)
				return false;
			const tok = access;
			access = null;
			const r = await send('POST', '/auth/refresh', { refreshToken });
			const j = await envelope(r);
			if (r.ok && j && j.success) {
				access = j.data.accessToken;
				refreshToken = j.data.refreshToken || refreshToken;
				return true;
			}
			access = tok;
			drop();
			return false;
		})().finally(() => { refreshing = null; });
	}
	return refreshing;
}

/* The raw answer of a call, renewing an expired access token once. */
async function exchange(method, path, body, accept) {
	let r = await send(method, path, body, accept);
	if (r.status === 401 && access && await renew())
		r = await send(method, path, body, accept);
	return r;
}

/* One call: resolves to the envelope's data, throws an ApiError (status 403: the role may not). */
export async function call(method, path, body) {
	const r = await exchange(method, path, body);
	const j = await envelope(r);
	if (r.ok && j && j.success)
		return j.data;
	if (r.status === 401)
		drop();
	throw refusal(r, j);
}

/* A list call: { data, meta }. */
export async function list(path) {
	const r = await exchange('GET', path);
	const j = await envelope(r);
	if (r.ok && j && j.success)
		return { data: j.data, meta: j.meta || {} };
	if (r.status === 401)
		drop();
	throw refusal(r, j);
}

/* A call answering bytes (a KYC document): { blob, type }. */
export async function bytes(path) {
	const r = await exchange('GET', path, undefined, '*/*');
	if (r.ok)
		return { blob: await r.blob(), type: r.headers.get('Content-Type') || '' };
	throw refusal(r, await envelope(r));
}

function staffRole(roles) {
	for (const x of STAFF_ROLES)
		if ((roles || []).includes(x))
			return x;
	return null;
}

/* Sign in with password and 2FA code. Throws ApiError. */
export async function login(email, password, code) {
	drop();
	const body = { email, password };
	if (code)
		body.twoFactorCode = code;
	const r = await send('POST', '/admin/auth/login', body);
	const j = await envelope(r);
	if (!(r.ok && j && j.success))
		throw refusal(r, j);
	const u = j.data.user || {};
	access = j.data.accessToken;
	refreshToken = j.data.refreshToken || null;
	who = { userId: u.userId, email: u.email, role: staffRole(u.roles) };
	notify();
	return who;
}

/* Sign out: the server revokes the session; the memory is cleared whatever it says. */
export async function logout() {
	try {
		if (access)
			await send('POST', '/auth/logout', {});
	} finally {
		drop();
	}
}
