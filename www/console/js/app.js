/* www/console/js/app.js — the console's entry: routes, the navigation by session, restoring a session on load */

import * as api from './api.js';
import { route, otherwise, setGuard, start, render, go } from './router.js';
import { sayNext, fail } from './ui.js';

const v = (name) => () => import('./views/' + name + '.js');

route('/login', v('login'), { title: 'Log in' });
route('/register', v('register'), { title: 'Sign up' });
route('/verify', v('verify'), { title: 'Verify e-mail' });
route('/reset', v('reset'), { title: 'Reset password' });
route('/markets', v('markets'), { title: 'Markets' });
route('/markets/:symbol', v('market'), { title: 'Market' });
route('/orders', v('orders'), { title: 'Orders', auth: true });
route('/wallets', v('wallets'), { title: 'Wallets', auth: true });
route('/bots', v('bots'), { title: 'Bots', auth: true });
route('/bots/:id', v('bot'), { title: 'Bot', auth: true });
route('/api-keys', v('apikeys'), { title: 'API keys', auth: true });
route('/profile', v('profile'), { title: 'Profile', auth: true });
route('/kyc', v('kyc'), { title: 'Identity verification', auth: true });
otherwise('/markets');

let wanted = null;

/* A page that needs a session sends a guest to the login, and back after it. */
setGuard((r) => {
	if (r.auth && !api.currentUser()) {
		wanted = location.hash.replace(/^#/, '');
		return '/login';
	}
	return null;
});

/*
 * Where to go after a login: the page that asked for one (the guard's, or
 * next, a route a page's own login link names), else the markets.
 */
export function afterLogin(next) {
	const w = wanted || (next && next.startsWith('/') ? next : null);
	wanted = null;
	go(w || '/markets');
}

function showNav(user) {
	document.getElementById('nav-user').hidden = !user;
	document.getElementById('nav-guest').hidden = !!user;
	document.getElementById('who').hidden = !user;
	document.getElementById('who-email').textContent = user ? user.email || '' : '';
}

/* Logged out here: the login page; the session ended elsewhere: this page again, without it. */
api.onAuthChange((user, why) => {
	showNav(user);
	if (user)
		return;
	if (why === 'logout') {
		sayNext('Logged out.');
		go('/login');
	} else {
		sayNext(api.ENDED);
		render().catch(fail);
	}
});

document.getElementById('logout').addEventListener('click', () => {
	api.logout().catch(fail);
});

showNav(null);
api.restore().catch(() => null).finally(() => { start(); });
