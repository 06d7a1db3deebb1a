/* www/console/staff/config.js — live configuration: the settings in effect, what each key means, the history of changes; ADMIN sets a key with a reason */

import * as session from './session.js';
import { el, form, say, show, table, when } from '../js/ui.js';
import { refused, pageHead, section } from './common.js';

export async function render(main) {
	main.append(...pageHead('Live configuration', 'config.write'));
	const body = el('div', null, { id: 'config-body' });
	main.append(body);
	const reload = async () => {
		const c = await session.call('GET', '/admin/system/config');
		const kids = [
			el('p', 'Version ' + c.version + '.', { id: 'config-version' }),
			table([['Key', (s) => s.key], ['Value', (s) => s.value], ['Version', (s) => s.version],
			    ['Changed', (s) => when(s.updatedAt)], ['By', (s) => s.updatedBy]],
			    c.settings || [], { id: 'config-table', caption: 'In effect', empty: 'Nothing set: the defaults apply.' }),
		];
		if (session.may('config.write')) {
			kids.push(section('Change a setting', form('config-set', [
				{ name: 'key', label: 'Key', required: true, placeholder: 'withdrawal_fee.BTC',
				    hint: 'See the keys below.' },
				{ name: 'value', label: 'Value', required: true },
				{ name: 'reason', label: 'Reason', required: true },
			], 'Apply', async (v, f) => {
				const d = await session.call('POST', '/admin/system/config', v);
				say(d.key + ': ' + (d.oldValue ?? '—') + ' → ' + d.value + ' (version ' + d.version + ').', 'ok');
				f.reset();
				await reload();
			})));
		}
		kids.push(section('Keys', table([['Key', (k) => k.key], ['Part', (k) => k.part], ['Value', (k) => k.value]],
		    c.keys || [], { id: 'config-keys' })));
		kids.push(section('History', table([['Version', (h) => h.version], ['Key', (h) => h.key],
		    ['Old', (h) => h.oldValue], ['New', (h) => h.newValue], ['By', (h) => h.changedBy],
		    ['Reason', (h) => h.reason], ['When', (h) => when(h.changedAt)]],
		    c.history || [], { id: 'config-history', empty: 'No changes yet.' })));
		show(body, kids);
	};
	try {
		await reload();
	} catch (e) {
		refused(main, e, 'read the live configuration');
	}
	return null;
}
