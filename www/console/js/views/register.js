/* www/console/js/views/register.js — sign up: e-mail, password, optional phone; then the e-mail's code */

import * as api from '../api.js';
import { el, box, form, sayNext, show } from '../ui.js';
import { go } from '../router.js';

export function render(main) {
	show(main,
	    el('h1', 'Sign up'),
	    form('register-form', [
		{ name: 'email', label: 'E-mail', type: 'email', autocomplete: 'email', required: true },
		{ name: 'password', label: 'Password', type: 'password', autocomplete: 'new-password', required: true,
		    hint: 'At least 12 characters with upper and lower case letters, a digit and a symbol.' },
		{ name: 'phoneNumber', label: 'Phone (optional)', type: 'tel', autocomplete: 'tel',
		    placeholder: '+905551234567' },
	    ], 'Create account', async (v) => {
		const body = { email: v.email, password: v.password };
		if (v.phoneNumber)
			body.phoneNumber = v.phoneNumber;
		const d = await api.call('POST', '/auth/register', body);
		sayNext('Account created: we sent a 6-digit code to ' + (d.email || v.email) + '.');
		go('/verify?email=' + encodeURIComponent(v.email) + (v.phoneNumber ? '&phone=1' : ''));
	    }),
	    box('p', null, 'Already registered? ', el('a', 'Log in', { href: '#/login' }), '.'));
}
