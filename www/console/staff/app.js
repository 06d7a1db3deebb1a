/* www/console/staff/app.js — the staff console's entry: routes, the navigation by role, sign-in and sign-out */

import * as session from './session.js';
import { route, otherwise, setGuard, start, go } from '../js/router.js';
import { fail, sayNext } from '../js/ui.js';

const v = (name) => () => import('./' + name + '.js');

route('/login', v('login'), { title: 'Staff sign-in' });
route('/kyc', v('kyc'), { title: 'KYC queue', auth: true });
route('/withdrawals', v('withdrawals'), { title: 'Withdrawals', auth: true });
route('/withdrawals/:id', v('withdrawal'), { title: 'Withdrawal review', auth: true });
route('/alerts', v('alerts'), { title: 'Compliance alerts', auth: true });
route('/alerts/:id', v('alert'), { title: 'Alert', auth: true });
route('/users', v('users'), { title: 'Users', auth: true });
route('/markets', v('markets'), { title: 'Markets', auth: true });
route('/config', v('config'), { title: 'Configuration', auth: true });
route('/reports', v('reports'), { title: 'Reports', auth: true });
route('/audit', v('audit'), { title: 'Audit log', auth: true });
otherwise('/login');

setGuard((r) => {
	if (r.auth && !session.member())
		return '/login';
	return null;
});

function showNav(m) {
	document.getElementById('staff-nav').hidden = !m;
	document.getElementById('who').hidden = !m;
	document.getElementById('who-email').textContent = m ? m.email || '' : '';
	document.getElementById('who-role').textContent = m ? m.role || '' : '';
	for (const li of document.querySelectorAll('#staff-nav li'))
		li.hidden = !session.may(li.dataset.right);
}

session.onChange((m) => {
	showNav(m);
	if (!m) {
		sayNext('Signed out.');
		go('/login');
	}
});

document.getElementById('logout').addEventListener('click', () => {
	session.logout().catch(fail);
});

showNav(null);
start();
