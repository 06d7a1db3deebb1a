/* www/settings/notifications/settings.js — the notification settings page: log in, then preferences, webhook endpoints and the delivery log through /api/v1 */
'use strict';

(function () {
	const API = '/api/v1';
	const KEY = 'hzm.accessToken';
	let token = sessionStorage.getItem(KEY);

	const $ = (id) => document.getElementById(id);

	/* An element with text only: nothing the API returns becomes markup. */
	function el(tag, text, attrs) {
		const e = document.createElement(tag);
		if (text !== undefined && text !== null)
			e.textContent = String(text);
		for (const [k, v] of Object.entries(attrs || {}))
			e.setAttribute(k, v);
		return e;
	}

	function say(msg, kind) {
		const s = $('status');
		s.textContent = msg;
		s.className = kind || '';
	}

	/* One API call; resolves to the envelope's data, rejects with its error. */
	async function call(method, path, body) {
		const h = { Accept: 'application/json' };
		if (token)
			h.Authorization = 'Bearer ' + token;
		if (body !== undefined)
			h['Content-Type'] = 'application/json';
		const r = await fetch(API + path, {
			method, headers: h, credentials: 'omit',
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		let j = null;
		try {
			j = await r.json();
		} catch (e) {
			j = null;
		}
		if (r.ok && j && j.success)
			return j.data;
		if (r.status === 401 && path !== '/auth/login')
			loggedOut();
		const err = j && j.error ? j.error : { code: 'HTTP_' + r.status, message: r.statusText };
		const d = err.details && err.details.field ?
		    ' (' + err.details.field + ': ' + err.details.reason + ')' : '';
		throw new Error(err.code + ': ' + err.message + d);
	}

	function fail(e) {
		say(e.message, 'error');
	}

	function loggedOut() {
		token = null;
		sessionStorage.removeItem(KEY);
		$('app').hidden = true;
		$('logout').hidden = true;
		$('login').hidden = false;
	}

	async function loggedIn() {
		$('login').hidden = true;
		$('app').hidden = false;
		$('logout').hidden = false;
		await Promise.all([loadPrefs(), loadHooks(), loadLog()]);
	}

	/* --- preferences */

	let prefs = [];

	async function loadPrefs() {
		const d = await call('GET', '/notifications/preferences');
		prefs = d.preferences;
		$('prefs-language').value = d.language;
		$('prefs-security').textContent = 'Security e-mails: ' + d.securityEmails + '.';
		const rows = $('prefs-rows');
		rows.replaceChildren();
		for (const p of prefs) {
			const tr = el('tr', null, { 'data-type': p.type });
			tr.append(el('td', p.title));
			for (const [field, avail] of [['emailEnabled', p.emailAvailable], ['webhookEnabled', true]]) {
				const td = el('td');
				const box = el('input', null, { type: 'checkbox', name: field,
				    'aria-label': p.title + (field === 'emailEnabled' ? ' by e-mail' : ' by webhook') });
				box.checked = p[field];
				box.disabled = !avail;
				td.append(box);
				tr.append(td);
			}
			rows.append(tr);
		}
	}

	async function savePrefs() {
		const out = prefs.map((p) => {
			const tr = document.querySelector('#prefs-rows tr[data-type="' + p.type + '"]');
			const o = {
				type: p.type,
				emailEnabled: tr.querySelector('input[name=emailEnabled]').checked,
				webhookEnabled: tr.querySelector('input[name=webhookEnabled]').checked,
			};
			if (p.webhookUrl)
				o.webhookUrl = p.webhookUrl;
			return o;
		});
		await call('PUT', '/notifications/preferences',
		    { language: $('prefs-language').value, preferences: out });
		await loadPrefs();
		say('Preferences saved.', 'ok');
	}

	/* --- webhook endpoints */

	function showSecret(s) {
		$('secret-value').textContent = s;
		$('secret').hidden = false;
	}

	function hookButton(label, fn) {
		const b = el('button', label, { type: 'button' });
		b.addEventListener('click', () => fn().catch(fail));
		return b;
	}

	async function loadHooks() {
		const hooks = await call('GET', '/notifications/webhooks');
		const rows = $('hook-rows');
		rows.replaceChildren();
		for (const h of hooks) {
			const tr = el('tr', null, { 'data-webhook': h.webhookId });
			tr.append(el('td', h.url), el('td', h.events.join(', ')), el('td', h.createdAt));
			const td = el('td');
			td.append(
			    hookButton('Send test', async () => {
				const d = await call('POST', '/notifications/webhooks/' + h.webhookId + '/test', {});
				say('Test event ' + d.eventId + ' queued.', 'ok');
				await loadLog();
			    }),
			    hookButton('Rotate secret', async () => {
				const d = await call('POST', '/notifications/webhooks/' + h.webhookId + '/rotate', {});
				showSecret(d.secret);
				say('New secret: the old one signs too until ' + d.previousSecretValidUntil + '.', 'ok');
				await loadHooks();
			    }),
			    hookButton('Delete', async () => {
				await call('DELETE', '/notifications/webhooks/' + h.webhookId);
				say('Endpoint deleted.', 'ok');
				await loadHooks();
			    }));
			tr.append(td);
			rows.append(tr);
		}
	}

	async function addHook(ev) {
		ev.preventDefault();
		const events = $('hook-events').value.split(',').map((s) => s.trim()).filter((s) => s);
		const d = await call('POST', '/notifications/webhooks', { url: $('hook-url').value, events });
		showSecret(d.secret);
		$('hook-url').value = '';
		say('Endpoint added.', 'ok');
		await loadHooks();
	}

	/* --- the delivery log */

	async function loadLog() {
		const st = $('log-status').value;
		const d = await call('GET', '/notifications?pageSize=50' + (st ? '&filter_status=' + st : ''));
		const rows = $('log-rows');
		rows.replaceChildren();
		for (const n of d) {
			const tr = el('tr', null, { 'data-notification': n.notificationId,
			    'data-type': n.eventType, 'data-status': n.status });
			tr.append(el('td', n.createdAt),
			    el('td', n.eventType + (n.eventsCount > 1 ? ' ×' + n.eventsCount : '')),
			    el('td', n.channel), el('td', n.status), el('td', n.attempts),
			    el('td', n.lastError || ''));
			const td = el('td');
			if (n.status === 'SENT' || n.status === 'FAILED')
				td.append(hookButton('Send again', async () => {
					await call('POST', '/notifications/' + n.notificationId + '/redeliver', {});
					say('Queued again.', 'ok');
					await loadLog();
				}));
			tr.append(td);
			rows.append(tr);
		}
	}

	/* --- wiring */

	document.addEventListener('DOMContentLoaded', () => {
		$('login-form').addEventListener('submit', (ev) => {
			ev.preventDefault();
			const body = { email: $('login-email').value, password: $('login-password').value };
			if ($('login-code').value)
				body.twoFactorCode = $('login-code').value;
			call('POST', '/auth/login', body).then((d) => {
				token = d.accessToken;
				sessionStorage.setItem(KEY, token);
				$('login-password').value = '';
				say('Logged in as ' + d.user.email + '.', 'ok');
				return loggedIn();
			}).catch(fail);
		});
		$('logout').addEventListener('click', () => {
			call('POST', '/auth/logout', {}).catch(() => {}).finally(() => {
				loggedOut();
				say('Logged out.', 'ok');
			});
		});
		$('prefs-save').addEventListener('click', () => savePrefs().catch(fail));
		$('hook-form').addEventListener('submit', (ev) => addHook(ev).catch(fail));
		$('log-refresh').addEventListener('click', () => loadLog().catch(fail));
		$('log-status').addEventListener('change', () => loadLog().catch(fail));
		if (token)
			loggedIn().catch(fail);
		else
			loggedOut();
	});
})();
