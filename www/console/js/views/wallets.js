/* www/console/js/views/wallets.js — placeholder until the page lands */

import { el, show } from '../ui.js';

export function render(main) {
	show(main, el('h1', 'wallets'), el('p', 'This page is not built yet.'));
}
