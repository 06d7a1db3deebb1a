/* www/settings/notifications/settings.js — the notification settings page: the console's session (renewed from its refresh cookie), then preferences, webhook endpoints and the delivery log through /api/v1 */

/*
 * The session is the console's own (www/console/js/api.js): the access
 * token in memory only, the refresh token in the httpOnly cookie, so a
 * user coming from the console is logged in here already and a reload
 * keeps the session without any token in web storage.
 */
import * as api from '/console/js/api.js';
import { el, say, fail } from '/console/js/ui.js';

const $ = (id) => document.getElementById(id);
const call = api.call;

function loggedOut() {
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

api.onAuthChange((user) => {
	if (!user)
		loggedOut();
});

$('login-form').addEventListener('submit', (ev) => {
	ev.preventDefault();
	api.login($('login-email').value, $('login-password').value, $('login-code').value).then((u) => {
		$('login-password').value = '';
		say('Logged in as ' + u.email + '.', 'ok');
		return loggedIn();
	}).catch(fail);
});
$('logout').addEventListener('click', () => {
	api.logout().catch(() => {}).finally(() => {
		loggedOut();
		say('Logged out.', 'ok');
	});
});
$('prefs-save').addEventListener('click', () => savePrefs().catch(fail));
$('hook-form').addEventListener('submit', (ev) => addHook(ev).catch(fail));
$('log-refresh').addEventListener('click', () => loadLog().catch(fail));
$('log-status').addEventListener('change', () => loadLog().catch(fail));

/* A session the console (or this page) holds comes back from the refresh cookie. */
api.restore().catch(() => null).then((u) => (u ? loggedIn() : loggedOut())).catch(fail);
