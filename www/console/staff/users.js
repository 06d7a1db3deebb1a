/* www/console/staff/users.js — users, read only: find by e-mail or status, each account's profile as the API gives it */

import * as session from './session.js';
import { el, box, field, button, show, table, when } from '../js/ui.js';
import { refused, pageHead, objectFacts, section } from './common.js';

export async function render(main) {
	main.append(...pageHead('Users'));
	const email = field({ name: 'filter_email', label: 'E-mail contains', type: 'search' });
	const list = el('div', null, { id: 'user-list' });
	const pane = el('div', null, { id: 'user-pane' });
	const load = async () => {
		const q = new URLSearchParams({ pageSize: '50', sort: '-createdAt' });
		const e = email.querySelector('input').value.trim();
		if (e)
			q.set('filter_email', e);
		const { data, meta } = await session.list('/admin/users?' + q.toString());
		show(list, el('p', (meta.totalCount ?? data.length) + ' user(s).'), table([
			['E-mail', (u) => u.email],
			['Status', (u) => u.status],
			['KYC', (u) => u.kycLevel],
			['Joined', (u) => when(u.createdAt)],
			['', (u) => button('Profile', async () => {
				const d = await session.call('GET', '/admin/users/' + encodeURIComponent(u.userId));
				show(pane, section(d.email || u.email, objectFacts(d, { id: 'user-facts' })));
			}, { class: 'secondary', 'aria-label': 'Profile of ' + u.email })],
		], data, { id: 'user-table', empty: 'No users match.' }));
	};
	main.append(box('div', { class: 'actions' }, email, button('Search', load)), list, pane);
	try {
		await load();
	} catch (e) {
		refused(main, e, 'read users');
	}
	return null;
}
