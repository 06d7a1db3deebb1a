/* www/console/js/views/verify.js — verify the e-mail address with the 6-digit code it received */

import * as api from '../api.js';
import { el, form, say, show } from '../ui.js';
import { go } from '../router.js';

export function render(main, params) {
	const q = new URLSearchParams(location.hash.split('?')[1] || '');
	show(main,
	    el('h1', 'Verify your e-mail'),
	    el('p', 'Enter the 6-digit code we sent to your address.'),
	    form('verify-form', [
		{ name: 'email', label: 'E-mail', type: 'email', autocomplete: 'username', required: true,
		    value: q.get('email') || '' },
		{ name: 'code', label: 'Code', inputmode: 'numeric', pattern: '[0-9]{6}',
		    autocomplete: 'one-time-code', required: true },
	    ], 'Verify', async (v) => {
		await api.call('POST', '/auth/verify-email', { email: v.email, code: v.code });
		say('E-mail verified. You can log in now.', 'ok');
		go('/login');
	    }));
}
