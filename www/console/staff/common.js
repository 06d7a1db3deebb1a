/* www/console/staff/common.js — what the staff pages share: a refusal shown plainly, facts as a definition list, risk levels, reason prompts; text only */

import { el, box, heading, say, table } from '../js/ui.js';

import { may } from './session.js';

/*
 * An error on a page: a 403 says the role may not, in the page itself, so a
 * member sees why rather than an empty table; anything else goes to the
 * status line as the API worded it.
 */
export function refused(main, e, what) {
	if (e && e.status === 403) {
		main.append(el('p', 'Your role may not ' + what + ' (403 ' + (e.code || 'FORBIDDEN') + ').',
		    { class: 'verdict-bad', role: 'alert', 'data-refused': '403' }));
		say('', '');
		return;
	}
	say(e && e.message ? e.message : String(e), 'error');
}

/* A page's heading and, for a role that may only read, a note saying so. */
export function pageHead(title, writeRight) {
	const h = [heading(title, 1)];
	if (writeRight && !may(writeRight))
		h.push(el('p', 'Read only: your role may not change anything here.', { class: 'readonly' }));
	return h;
}

function valueText(v) {
	if (v === null || v === undefined || v === '')
		return '—';
	if (typeof v === 'boolean')
		return v ? 'yes' : 'no';
	if (Array.isArray(v))
		return v.map(valueText).join('; ');
	if (typeof v === 'object')
		return Object.entries(v).map(([k, x]) => k + ': ' + valueText(x)).join(', ');
	return String(v);
}

/* Facts as <dl>: pairs [label, value or Node]. */
export function facts(pairs, attrs) {
	const d = el('dl', null, Object.assign({ class: 'facts' }, attrs || {}));
	for (const [k, v] of pairs) {
		d.append(el('dt', k));
		const dd = el('dd');
		if (v instanceof Node)
			dd.append(v);
		else
			dd.textContent = valueText(v);
		d.append(dd);
	}
	return d;
}

/* Every field of an object as facts, nested objects as text. */
export function objectFacts(o, attrs) {
	return facts(Object.entries(o || {}), attrs);
}

/* A risk level with its colour and its word (colour is never the only sign). */
export function riskBadge(level, score) {
	const t = (level || '') + (score !== undefined && score !== null ? ' (' + score + ')' : '');
	return el('span', t, { class: 'risk-' + (level || 'NONE') });
}

/* A section: a heading and its children. */
export function section(title, ...kids) {
	return box('section', { 'aria-label': title }, heading(title, 2), ...kids);
}

/* The first page the signed-in role may use, by the navigation's order. */
export function home() {
	for (const li of document.querySelectorAll('#staff-nav li')) {
		if (may(li.dataset.right))
			return li.querySelector('a').getAttribute('href').slice(1);
	}
	return '/login';
}

/* A table of API rows with a column per key of the first row; nested values as text. */
export function rowsTable(rows, opts) {
	const keys = rows.length ? Object.keys(rows[0]) : [];
	return table(keys.map((k) => [k, (r) => valueText(r[k])]), rows, opts);
}
