/* www/console/staff/login.js — staff sign-in: e-mail, password and the 2FA code every staff account has */

import * as session from './session.js';
import { el, box, form, say, sayNext } from '../js/ui.js';
import { go } from '../js/router.js';
import { home } from './common.js';

export function render(main) {
	if (session.member()) {
		go(home());
		return null;
	}
	const f = form('staff-login', [
		{ name: 'email', label: 'E-mail', type: 'email', required: true, autocomplete: 'username' },
		{ name: 'password', label: 'Password', type: 'password', required: true, autocomplete: 'current-password' },
		{ name: 'code', label: '2FA code', inputmode: 'numeric', pattern: '[0-9]{6}', required: true,
		    autocomplete: 'one-time-code', hint: 'Six digits from your authenticator app.' },
	], 'Sign in', async (v) => {
		say('Signing in…', '');
		const m = await session.login(v.email, v.password, v.code);
		if (!m.role) {
			await session.logout();
			throw new Error('This account has no staff role.');
		}
		sayNext('Signed in as ' + m.email + ' (' + m.role + ').');
		go(home());
	});
	main.append(box('section', { 'aria-labelledby': 'login-h' },
	    el('h1', 'Staff sign-in', { id: 'login-h' }),
	    el('p', 'For ADMIN, COMPLIANCE and SUPPORT staff. The session lives in this tab only: reloading it signs you out.'),
	    f));
	f.querySelector('input').focus();
	return null;
}
