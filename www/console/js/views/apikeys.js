/* www/console/js/views/apikeys.js — placeholder until the page lands */

import { el, show } from '../ui.js';

export function render(main) {
	show(main, el('h1', 'apikeys'), el('p', 'This page is not built yet.'));
}
