/* www/console/js/api.js — the console's one way to the REST API (the notification settings page's too): calls, the session (access token in memory only, refresh token in an httpOnly cookie), login, logout */

const API = '/api/v1';

/*
 * Appendix G: the access token lives in this module's memory only, never in
 * localStorage or sessionStorage, where any script could read it. The refresh
 * token never reaches script at all: the server sets it as an httpOnly,
 * SameSite=Strict cookie scoped to /api/v1/auth when asked with the header
 * below, and takes it back from that cookie on /auth/refresh.
 */
const COOKIE_HEADER = 'X-Refresh-Cookie';

/*
 * Whether this browser holds a refresh cookie, so a page load without one
 * does not ask the server for nothing. A marker only, never a token.
 */
const MARK = 'hzm.console.session';

let token = null;
let user = null;
let refreshing = null;
const listeners = new Set();

/* An API error: the envelope's code, message and details, and the HTTP status. */
export class ApiError extends Error {
	constructor(status, err) {
		const d = err.details && err.details.field ?
		    ' (' + err.details.field + ': ' + (err.details.reason || '') + ')' : '';
		super(err.code + ': ' + err.message + d);
		this.status = status;
		this.code = err.code;
		this.apiMessage = err.message;
		this.details = err.details || null;
	}
}

function notify(why) {
	for (const f of listeners)
		f(user, why);
}

/*
 * Call f(user, why) whenever the session starts or ends: user null, why
 * 'logout' (this page logged out) or 'ended' (the session ended elsewhere).
 */
export function onAuthChange(f) {
	listeners.add(f);
	return () => listeners.delete(f);
}

export function currentUser() {
	return user;
}

export function accessToken() {
	return token;
}

function idemKey() {
	const b = new Uint8Array(16);
	crypto.getRandomValues(b);
	return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

async function send(method, path, body, extra) {
	const h = Object.assign({ Accept: 'application/json' }, extra || {});
	if (token)
		h.Authorization = 'Bearer ' + token;
	if (body !== undefined)
		h['Content-Type'] = 'application/json';
	if (method === 'POST')
		h['X-Idempotency-Key'] = idemKey();
	const r = await fetch(API + path, {
		method, headers: h, credentials: 'same-origin', cache: 'no-store',
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	let j = null;
	try {
		j = await r.json();
	} catch (e) {
		j = null;
	}
	return { r, j };
}

/* The 401s that mean the session's access token no longer works (not a wrong password or 2FA code). */
function sessionGone(r, j) {
	const c = j && j.error ? j.error.code : '';
	return r.status === 401 && (c === 'AUTH_002' || c === 'AUTH_003' || c === 'UNAUTHORIZED');
}

/*
 * What the user is told when the session ended elsewhere (logged out on
 * another device, its refresh token refused): said plainly, not as a code.
 */
export const ENDED = 'You were logged out.';

/* A refusal because the session ended: its message is ENDED, the code kept. */
class SessionEnded extends ApiError {
	constructor(status, err) {
		super(status, err);
		this.message = ENDED;
	}
}

/*
 * Every call goes through here: an expired access token is renewed once
 * from the refresh cookie and the call sent again; a session that cannot
 * be renewed ends. Resolves to the whole envelope.
 */
async function request(method, path, body) {
	const had = token !== null;
	let { r, j } = await send(method, path, body);
	const auth = path.startsWith('/auth/');
	if (sessionGone(r, j) && token && !auth) {
		if (await refresh())
			({ r, j } = await send(method, path, body));
	}
	if (r.ok && j && j.success)
		return j;
	const err = j && j.error ? j.error :
	    { code: 'HTTP_' + r.status, message: r.statusText || 'request failed' };
	if (sessionGone(r, j) && !auth) {
		dropSession('ended');
		if (had)
			throw new SessionEnded(r.status, err);
	}
	throw new ApiError(r.status, err);
}

/* One API call: resolves to the envelope's data, throws an ApiError. */
export async function call(method, path, body) {
	return (await request(method, path, body)).data;
}

/* A list call, with the envelope's paging kept: { data, meta, links }. */
export async function list(path) {
	const j = await request('GET', path);
	return { data: j.data, meta: j.meta || {}, links: j.links || {} };
}

async function loadUser() {
	try {
		user = await call('GET', '/users/profile');
	} catch (e) {
		user = { id: null };
	}
}

function dropSession(why) {
	const had = token !== null;
	token = null;
	user = null;
	if (had)
		notify(why);
}

async function takeSession(d) {
	token = d.accessToken;
	await loadUser();
	notify();
	return user;
}

/* Log in; code is the 2FA code when the account has 2FA on. Throws ApiError. */
export async function login(email, password, code) {
	const body = { email, password };
	if (code)
		body.twoFactorCode = code;
	const { r, j } = await send('POST', '/auth/login', body, { [COOKIE_HEADER]: '1' });
	if (!(r.ok && j && j.success))
		throw new ApiError(r.status, j && j.error ? j.error : { code: 'HTTP_' + r.status, message: r.statusText });
	localStorage.setItem(MARK, '1');
	return takeSession(j.data);
}

/* A new access token from the refresh cookie; false when there is no session to restore. */
export function refresh() {
	if (!refreshing) {
		refreshing = (async () => {
			const { r, j } = await send('POST', '/auth/refresh', {}, { [COOKIE_HEADER]: '1' });
			if (r.ok && j && j.success) {
				token = j.data.accessToken;
				return true;
			}
			localStorage.removeItem(MARK);
			dropSession('ended');
			return false;
		})().finally(() => { refreshing = null; });
	}
	return refreshing;
}

/* On page load: a session held in the refresh cookie comes back without a login. */
export async function restore() {
	token = null;
	if (localStorage.getItem(MARK) === '1' && await refresh()) {
		await loadUser();
		notify();
		return user;
	}
	return null;
}

/* Log out: the server revokes the session and clears the cookie. */
export async function logout() {
	try {
		if (token)
			await send('POST', '/auth/logout', {}, { [COOKIE_HEADER]: '1' });
	} finally {
		localStorage.removeItem(MARK);
		dropSession('logout');
	}
}
