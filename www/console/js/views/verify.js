/* www/console/js/views/verify.js — verify the e-mail address, and the phone number when one was given, with the 6-digit codes they received */

import * as api from '../api.js';
import { el, form, say, sayNext, show } from '../ui.js';
import { go } from '../router.js';

const codeField = { name: 'code', label: 'Code', inputmode: 'numeric', pattern: '[0-9]{6}',
    autocomplete: 'one-time-code', required: true };

export function render(main) {
	const q = new URLSearchParams(location.hash.split('?')[1] || '');
	const email = q.get('email') || '';
	const emailField = { name: 'email', label: 'E-mail', type: 'email', autocomplete: 'username',
	    required: true, value: email };
	const phone = el('section', null, { id: 'verify-phone', hidden: q.get('phone') !== '1' });
	phone.append(el('h2', 'Your phone'), el('p', 'Enter the 6-digit code we sent by SMS.'),
	    form('verify-phone-form', [emailField, codeField], 'Verify phone', async (v) => {
		const d = await api.call('POST', '/auth/verify-phone', { email: v.email, code: v.code });
		if (d.verificationRequired && d.verificationRequired.length) {
			say('Phone verified. Now verify your e-mail.', 'ok');
			return;
		}
		sayNext('Phone verified. You can log in now.');
		go('/login');
	    }));
	show(main,
	    el('h1', 'Verify your e-mail'),
	    el('p', 'Enter the 6-digit code we sent to your address.'),
	    form('verify-form', [emailField, codeField], 'Verify e-mail', async (v) => {
		const d = await api.call('POST', '/auth/verify-email', { email: v.email, code: v.code });
		const more = d.verificationRequired || [];
		if (more.includes('PHONE')) {
			say('E-mail verified. Now verify your phone.', 'ok');
			phone.hidden = false;
			phone.querySelector('input[name=code]').focus();
			return;
		}
		sayNext('E-mail verified. You can log in now.');
		go('/login');
	    }),
	    phone);
}
