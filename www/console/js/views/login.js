/* www/console/js/views/login.js — log in with e-mail, password and, when the account has it, the 2FA code */

import * as api from '../api.js';
import { el, box, form, say, sayNext, show } from '../ui.js';
import { afterLogin } from '../app.js';

/* #/login?next=/markets/BTCTRY: back to that page after the login. */
export function render(main) {
	const next = new URLSearchParams(location.hash.split('?')[1] || '').get('next');
	if (api.currentUser()) {
		afterLogin(next);
		return;
	}
	const code = { name: 'code', label: '2FA code (if enabled)', inputmode: 'numeric',
	    pattern: '[0-9]{6}', autocomplete: 'one-time-code' };
	show(main,
	    el('h1', 'Log in'),
	    form('login-form', [
		{ name: 'email', label: 'E-mail', type: 'email', autocomplete: 'username', required: true },
		{ name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password', required: true },
		code,
	    ], 'Log in', async (v) => {
		try {
			await api.login(v.email, v.password, v.code);
		} catch (e) {
			if (e.details && e.details.twoFactorRequired) {
				say('Enter the 6-digit code from your authenticator app.', 'error');
				main.querySelector('input[name=code]').focus();
				return;
			}
			throw e;
		}
		sayNext('Logged in.');
		afterLogin(next);
	    }),
	    box('p', null, el('a', 'Forgot password?', { href: '#/reset', id: 'forgot' })),
	    box('p', null, 'No account yet? ', el('a', 'Sign up', { href: '#/register' }),
		'. Have a verification code? ', el('a', 'Verify your e-mail', { href: '#/verify' }), '.'));
}
