/* www/console/js/views/apikeys.js — the platform's API keys (create with 2FA: the password shown once; list; revoke) and the user's Binance key for bots (save, shown masked, remove) */

import { call } from '../api.js';
import { el, box, form, field, show, table, when, say, button } from '../ui.js';

const SCOPES = ['read', 'trade', 'withdraw'];
const code = { name: 'twoFactorCode', label: '2FA code', inputmode: 'numeric', pattern: '[0-9]{6}',
    autocomplete: 'one-time-code', required: true };

function createForm(secretBox, reload) {
	const scopes = box('fieldset', { class: 'scopes' }, el('legend', 'Scopes'),
	    SCOPES.map((s) => field({ name: 'scope-' + s, label: s, type: 'checkbox', value: s === 'read' })));
	return form('key-form', [
		{ name: 'name', label: 'Name', required: true, placeholder: 'e.g. my trading script' },
		scopes,
		{ name: 'ipWhitelist', label: 'Allowed IP addresses (optional, comma-separated)' },
		code,
	], 'Create key', async (v, f) => {
		const body = { name: v.name, scopes: SCOPES.filter((s) => v['scope-' + s]), twoFactorCode: v.twoFactorCode };
		if (v.ipWhitelist)
			body.ipWhitelist = v.ipWhitelist.split(',').map((x) => x.trim()).filter(Boolean);
		const d = await call('POST', '/api-keys', body);
		show(secretBox,
		    el('p', 'Store the API password now: it will not be shown again.'),
		    el('dl', null), el('p'));
		const dl = secretBox.querySelector('dl');
		dl.append(el('dt', 'API key'), el('dd', d.apiKey, { class: 'secret', id: 'new-key' }),
		    el('dt', 'API password'), el('dd', d.apiPassword, { class: 'secret', id: 'new-password' }));
		secretBox.hidden = false;
		f.reset();
		say('Key ' + d.keyId + ' created.', 'ok');
		await reload();
	});
}

function keysTable(keys, reload) {
	return table([
		['Name', (k) => k.name], ['Key', (k) => k.apiKeyMasked], ['Scopes', (k) => (k.scopes || []).join(', ')],
		['Created', (k) => when(k.createdAt)], ['Last used', (k) => (k.lastUsedAt ? when(k.lastUsedAt) : 'never')],
		['Status', (k) => (k.revoked ? 'revoked' : 'active')],
		['', (k) => (k.revoked ? '' : button('Revoke', async () => {
			await call('POST', '/api-keys/' + encodeURIComponent(k.keyId) + '/revoke', {});
			say('Key ' + k.keyId + ' revoked.', 'ok');
			await reload();
		}, { class: 'danger', 'aria-label': 'Revoke key ' + k.name }))],
	], keys, { id: 'keys', empty: 'No API keys.', rowAttrs: (k) => ({ 'data-key': k.keyId }) });
}

async function binanceSection(area) {
	let k = null;
	try {
		k = await call('GET', '/api-keys/me');
	} catch (e) {
		if (e.status !== 404)
			throw e;
	}
	const again = () => binanceSection(area);
	if (k) {
		const dl = el('dl', null, { id: 'binance-key' });
		for (const [n, x] of [['Key', k.apiKeyMasked], ['Valid', k.isValid === false ? 'no' : 'yes'],
		    ['Checked', when(k.validatedAt)], ['Can trade', k.canTrade === false ? 'no' : 'yes']])
			dl.append(el('dt', n), el('dd', x, { 'data-field': n }));
		show(area, el('h2', 'Binance key (for bots)'), dl, button('Remove Binance key', async () => {
			await call('DELETE', '/api-keys/me');
			say('Binance key removed.', 'ok');
			await again();
		}, { class: 'danger', id: 'binance-remove' }));
		return;
	}
	show(area, el('h2', 'Binance key (for bots)'),
	    el('p', 'Bots on Binance trade with your own key. We check it with Binance before saving; the secret is never shown again. Give it no withdrawal permission.'),
	    form('binance-form', [
		{ name: 'apiKey', label: 'Binance API key', required: true },
		{ name: 'secretKey', label: 'Binance secret key', type: 'password', autocomplete: 'off', required: true },
	    ], 'Save Binance key', async (v) => {
		await call('POST', '/api-keys', { apiKey: v.apiKey, secretKey: v.secretKey });
		say('Binance key saved.', 'ok');
		await again();
	    }));
}

export async function render(main) {
	const list = el('div');
	const secretBox = el('div', null, { id: 'key-secret', class: 'panel', hidden: true, 'aria-live': 'polite' });
	const binance = el('section', null, { id: 'binance' });
	const reload = async () => show(list, keysTable(await call('GET', '/api-keys'), reload));
	show(main, el('h1', 'API keys'), el('h2', 'Your keys'), list, el('h2', 'New key'),
	    createForm(secretBox, reload), secretBox, binance);
	await reload();
	await binanceSection(binance);
}
