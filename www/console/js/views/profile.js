/* www/console/js/views/profile.js — placeholder until the page lands */

import { el, show } from '../ui.js';

export function render(main) {
	show(main, el('h1', 'profile'), el('p', 'This page is not built yet.'));
}
