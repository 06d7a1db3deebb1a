/* www/console/js/views/market.js — placeholder until the page lands */

import { el, show } from '../ui.js';

export function render(main) {
	show(main, el('h1', 'market'), el('p', 'This page is not built yet.'));
}
