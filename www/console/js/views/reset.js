/* www/console/js/views/reset.js — a forgotten password: ask for a code by e-mail, then set a new password with it */

import * as api from '../api.js';
import { el, box, form, say, sayNext, show } from '../ui.js';
import { go } from '../router.js';

export function render(main) {
	const emailField = (value) => ({ name: 'email', label: 'E-mail', type: 'email', autocomplete: 'username',
	    required: true, value });
	const second = el('section', null, { id: 'reset-code', hidden: true });
	const request = form('reset-request-form', [emailField('')], 'Send me a code', async (v) => {
		await api.call('POST', '/auth/password/reset-request', { email: v.email });
		// The answer is the same whether the address has an account or not.
		say('If ' + v.email + ' has an account, we sent a 6-digit code to it.', 'ok');
		show(second, el('h2', 'New password'), el('p', 'Enter the code from the e-mail and your new password.'),
		    form('reset-form', [
			emailField(v.email),
			{ name: 'code', label: 'Code', inputmode: 'numeric', pattern: '[0-9]{6}',
			    autocomplete: 'one-time-code', required: true },
			{ name: 'newPassword', label: 'New password', type: 'password', autocomplete: 'new-password',
			    required: true, hint: 'At least 12 characters with upper and lower case letters, a digit and a symbol.' },
		    ], 'Set new password', async (w) => {
			const d = await api.call('POST', '/auth/password/reset',
			    { email: w.email, code: w.code, newPassword: w.newPassword });
			sayNext('Password changed' + (d.twoFactorDisabled ? '; two-factor authentication was turned off' : '') +
			    '. Every session was ended: log in with the new password.');
			go('/login');
		    }));
		second.hidden = false;
		second.querySelector('input[name=code]').focus();
	});
	show(main,
	    el('h1', 'Reset your password'),
	    el('p', 'We send a 6-digit code to your e-mail address.'),
	    request, second,
	    box('p', null, 'Remembered it? ', el('a', 'Log in', { href: '#/login' }), '.'));
}
