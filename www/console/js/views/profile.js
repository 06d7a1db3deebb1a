/* www/console/js/views/profile.js — the profile: account details, two-factor authentication (set up, enable, disable), the active sessions (end one), identity verification status */

import qrcode from '../../vendor/qrcode.js';
import * as api from '../api.js';
import { el, box, form, say, show, when, button, table } from '../ui.js';

function details(p) {
	const dl = el('dl', null, { id: 'profile-details' });
	for (const [k, v] of [
		['E-mail', p.email], ['Phone', p.phoneNumber || '—'], ['Status', p.status],
		['Identity level', p.kycLevel], ['Two-factor authentication', p.twoFactorEnabled ? 'on' : 'off'],
		['Referral code', p.referralCode], ['Member since', when(p.createdAt)],
	])
		dl.append(el('dt', k), el('dd', v, { 'data-field': k }));
	return dl;
}

const code = { name: 'code', label: '6-digit code', inputmode: 'numeric', pattern: '[0-9]{6}',
    autocomplete: 'one-time-code', required: true };

/* The otpauth URI as a QR code for the authenticator app to scan: a GIF, no script in the page's markup. */
function qrImage(uri) {
	const qr = qrcode(0, 'M');
	qr.addData(uri);
	qr.make();
	const px = qr.getModuleCount() * 4 + 2 * 16;
	return el('img', null, { src: qr.createDataURL(4, 16), id: 'twofa-qr', width: px, height: px,
	    alt: 'QR code of your authenticator key' });
}

function twofa(p, reload) {
	const s = el('section', null, { id: 'twofa' });
	s.append(el('h2', 'Two-factor authentication'));
	if (p.twoFactorEnabled) {
		s.append(el('p', 'On: logins, withdrawals and API keys ask for a code from your app.'),
		    form('twofa-disable', [code], 'Turn off', async (v) => {
			await api.call('POST', '/auth/2fa/disable', { code: v.code });
			say('Two-factor authentication is off.', 'ok');
			await reload();
		    }));
		return s;
	}
	const setup = el('div', null, { id: 'twofa-setup', hidden: true });
	s.append(el('p', 'Off. Withdrawals and API keys need it.'),
	    button('Set up', async () => {
		const d = await api.call('POST', '/auth/2fa/setup', {});
		show(setup,
		    el('p', 'Scan the QR code with your authenticator app, or add the key by hand (or open the link on your phone); then enter the code it shows.'),
		    qrImage(d.otpauthUri),
		    el('code', d.secret, { class: 'secret', id: 'twofa-secret' }),
		    el('a', 'Open in authenticator app', { href: d.otpauthUri }),
		    form('twofa-enable', [code], 'Turn on', async (v) => {
			await api.call('POST', '/auth/2fa/enable', { code: v.code });
			say('Two-factor authentication is on.', 'ok');
			await reload();
		    }));
		setup.hidden = false;
	    }, { id: 'twofa-start' }),
	    setup);
	return s;
}

/* The devices signed in: this one marked, any other can be ended (its tokens stop working at once). */
function sessions(list, reload) {
	return box('section', { id: 'sessions' }, el('h2', 'Active sessions'),
	    table([
		['Device', (x) => [x.deviceId, x.clientVersion].filter(Boolean).join(' ') || 'Unknown'],
		['IP address', (x) => x.ipAddress || ''],
		['Signed in', (x) => when(x.createdAt)], ['Last seen', (x) => when(x.lastSeenAt)],
		['', (x) => x.current ? el('strong', 'This session') : button('End', async () => {
			await api.call('DELETE', '/users/sessions/' + encodeURIComponent(x.sessionId));
			say('Session ended.', 'ok');
			await reload();
		}, { 'aria-label': 'End the session signed in ' + when(x.createdAt) })],
	    ], list, { id: 'sessions-table', empty: 'No active session.',
		rowAttrs: (x) => ({ 'data-session': x.sessionId, 'data-current': x.current ? 'true' : null }) }),
	    button('Refresh', reload, { id: 'sessions-refresh' }));
}

export async function render(main) {
	const reload = async () => {
		const [p, ss] = await Promise.all([api.call('GET', '/users/profile'), api.call('GET', '/users/sessions')]);
		show(main, el('h1', 'Profile'), details(p), twofa(p, reload), sessions(ss.sessions || ss, reload),
		    box('section', null, el('h2', 'Identity verification'),
			box('p', null, 'Your level: ', el('strong', p.kycLevel), '. ',
			    el('a', 'Verify your identity', { href: '#/kyc' }), ' to trade and withdraw.')));
	};
	await reload();
}
