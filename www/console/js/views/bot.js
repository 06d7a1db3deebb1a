/* www/console/js/views/bot.js — placeholder until the page lands */

import { el, show } from '../ui.js';

export function render(main) {
	show(main, el('h1', 'bot'), el('p', 'This page is not built yet.'));
}
