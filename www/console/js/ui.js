/* www/console/js/ui.js — small DOM helpers for the console: elements with text only, labelled forms, the status line, tables; decimals stay strings */

/*
 * An element whose text is set through textContent: nothing the API returns
 * ever becomes markup. attrs are attributes; a function value for a key
 * starting with "on" becomes an event listener.
 */
export function el(tag, text, attrs) {
	const e = document.createElement(tag);
	if (text !== undefined && text !== null)
		e.textContent = String(text);
	for (const [k, v] of Object.entries(attrs || {})) {
		if (typeof v === 'function' && k.startsWith('on'))
			e.addEventListener(k.slice(2), v);
		else if (v === true)
			e.setAttribute(k, '');
		else if (v !== false && v !== null && v !== undefined)
			e.setAttribute(k, String(v));
	}
	return e;
}

/* An element holding children (elements or strings). */
export function box(tag, attrs, ...kids) {
	const e = el(tag, null, attrs);
	e.append(...kids.flat().filter((k) => k !== null && k !== undefined && k !== false));
	return e;
}

export function heading(text, level) {
	return el('h' + (level || 2), text);
}

/* The status line under the navigation: one message, its kind (ok, error, or none). */
export function say(msg, kind) {
	const s = document.getElementById('status');
	if (!s)
		return;
	s.textContent = msg || '';
	s.className = kind || '';
}

let carried = null;

/* A message for the page about to open (the status line is cleared on each navigation). */
export function sayNext(msg) {
	carried = msg;
}

/* On navigation: the carried message, or nothing. */
export function sayCarried() {
	say(carried || '', carried ? 'ok' : '');
	carried = null;
}

const WORKING = 'Working…';

/* Clear the status line if it still says an action is under way. */
function done() {
	const s = document.getElementById('status');
	if (s && s.textContent === WORKING)
		say('', '');
}

/* Show an error from the API (or anything thrown) in the status line. */
export function fail(e) {
	say(e && e.message ? e.message : String(e), 'error');
}

let uid = 0;

/*
 * One labelled field. f: { name, label, type, value, options: [[value, text]],
 * required, pattern, inputmode, autocomplete, placeholder, hint }.
 */
export function field(f) {
	const id = 'f-' + f.name + '-' + (++uid);
	const wrap = el('div', null, { class: 'field' });
	wrap.append(el('label', f.label, { for: id }));
	let input;
	if (f.options) {
		input = el('select', null, { id, name: f.name });
		for (const [v, t] of f.options)
			input.append(el('option', t, { value: v }));
	} else if (f.type === 'textarea') {
		input = el('textarea', null, { id, name: f.name, rows: 3 });
	} else {
		input = el('input', null, {
			id, name: f.name, type: f.type || 'text', pattern: f.pattern,
			inputmode: f.inputmode, autocomplete: f.autocomplete || 'off',
			placeholder: f.placeholder, step: f.step,
		});
	}
	if (f.required)
		input.required = true;
	if (f.value !== undefined && f.value !== null) {
		if (f.type === 'checkbox')
			input.checked = !!f.value;
		else
			input.value = String(f.value);
	}
	wrap.append(input);
	if (f.hint)
		wrap.append(el('small', f.hint, { class: 'hint' }));
	return wrap;
}

/*
 * A form of labelled fields and one submit button; onSubmit(values, form)
 * runs with the fields' values as strings (checkboxes as booleans). Errors
 * it throws go to the status line; the button is disabled meanwhile.
 */
export function form(id, fields, submitText, onSubmit) {
	const f = el('form', null, { id, novalidate: false });
	for (const d of fields)
		f.append(d instanceof Node ? d : field(d));
	const btn = el('button', submitText, { type: 'submit' });
	f.append(btn);
	f.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		btn.disabled = true;
		say(WORKING, '');
		try {
			await onSubmit(values(f), f);
			done();
		} catch (e) {
			fail(e);
		} finally {
			btn.disabled = false;
		}
	});
	return f;
}

/* A form's values by field name. */
export function values(f) {
	const out = {};
	for (const i of f.querySelectorAll('input, select, textarea')) {
		if (!i.name)
			continue;
		out[i.name] = i.type === 'checkbox' ? i.checked : i.value.trim();
	}
	return out;
}

/* A button that runs an async action, reporting its errors. */
export function button(text, action, attrs) {
	const b = el('button', text, Object.assign({ type: 'button' }, attrs || {}));
	b.addEventListener('click', async () => {
		b.disabled = true;
		say(WORKING, '');
		try {
			await action();
			done();
		} catch (e) {
			fail(e);
		} finally {
			b.disabled = false;
		}
	});
	return b;
}

/*
 * A table: cols are [header, (row) => text or Node]; rows an array. Values are
 * shown as given: decimal strings from the API are never passed through numbers.
 * rowAttrs(row) may give attributes for each <tr>.
 */
export function table(cols, rows, opts) {
	const o = opts || {};
	const t = el('table', null, { id: o.id, class: 'cards' });
	if (o.caption)
		t.append(el('caption', o.caption));
	const hr = el('tr');
	for (const [h] of cols)
		hr.append(el('th', h, { scope: 'col' }));
	t.append(box('thead', null, hr));
	const tb = el('tbody');
	for (const row of rows) {
		const tr = el('tr', null, o.rowAttrs ? o.rowAttrs(row) : null);
		for (const [h, f] of cols) {
			const v = f(row);
			const td = el('td', null, { 'data-label': h });
			if (v instanceof Node)
				td.append(v);
			else
				td.textContent = v === null || v === undefined ? '' : String(v);
			tr.append(td);
		}
		tb.append(tr);
	}
	t.append(tb);
	if (!rows.length && o.empty)
		t.append(box('tfoot', null, box('tr', null, el('td', o.empty, { colspan: cols.length }))));
	return box('div', { class: 'table-wrap' }, t);
}

/*
 * Previous and next for a list the API pages: meta gives page, totalPages and
 * totalCount, links the previous and next pages (under /api/v1). turn(path)
 * loads one of them. Nothing when the list fits on one page.
 */
export function pager(label, meta, links, turn) {
	const rel = (u) => (u ? u.replace(/^\/api\/v1(?=\/)/, '') : null);
	const prev = rel(links.previous), next = rel(links.next);
	if (!prev && !next)
		return null;
	return box('nav', { class: 'pager', 'aria-label': label },
	    button('Previous', () => turn(prev), { disabled: !prev, 'data-page': 'previous' }),
	    el('span', 'Page ' + meta.page + ' of ' + meta.totalPages + ' (' + meta.totalCount + ' in all)'),
	    button('Next', () => turn(next), { disabled: !next, 'data-page': 'next' }));
}

/* A date-time from the API (ISO 8601 or epoch ms) shown in the reader's locale. */
export function when(t) {
	if (t === null || t === undefined || t === '')
		return '';
	const d = new Date(t);
	return isNaN(d) ? String(t) : d.toLocaleString();
}

/* Replace an element's content. */
export function show(parent, ...kids) {
	parent.replaceChildren(...kids.flat().filter((k) => k !== null && k !== undefined && k !== false));
}

/* Compare two non-negative decimal strings exactly (no floats): -1, 0 or 1. */
export function cmpDec(a, b) {
	const [ai, af = ''] = String(a).split('.');
	const [bi, bf = ''] = String(b).split('.');
	const x = ai.replace(/^0+(?=\d)/, ''), y = bi.replace(/^0+(?=\d)/, '');
	if (x.length !== y.length)
		return x.length < y.length ? -1 : 1;
	if (x !== y)
		return x < y ? -1 : 1;
	const n = Math.max(af.length, bf.length);
	const p = af.padEnd(n, '0'), q = bf.padEnd(n, '0');
	return p === q ? 0 : (p < q ? -1 : 1);
}

/* Whether a decimal string is zero. */
export function isZero(a) {
	return /^0*(\.0*)?$/.test(String(a));
}
