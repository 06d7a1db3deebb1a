/* www/console/js/router.js — hash routes (#/markets, #/orders, ...): each route a module exporting render(main, params) */

import { sayCarried } from './ui.js';

const routes = new Map();
let fallback = null;
let current = null;
let guard = null;

/*
 * Add a route. pattern: '/markets' or '/markets/:symbol'; load: () => import(...).
 * opts.auth: the route needs a session (the guard decides where to go instead).
 */
export function route(pattern, load, opts) {
	const names = [];
	const re = new RegExp('^' + pattern.replace(/:([a-zA-Z]+)/g, (_, n) => {
		names.push(n);
		return '([^/]+)';
	}) + '$');
	routes.set(pattern, { re, names, load, auth: !!(opts && opts.auth), title: opts && opts.title });
}

export function otherwise(pattern) {
	fallback = pattern;
}

/* guard(route) returns a path to go to instead, or null to proceed. */
export function setGuard(f) {
	guard = f;
}

export function go(path) {
	if (location.hash === '#' + path)
		render();
	else
		location.hash = '#' + path;
}

export function path() {
	return location.hash.replace(/^#/, '').split('?')[0] || '/';
}

function match(p) {
	for (const r of routes.values()) {
		const m = r.re.exec(p);
		if (m) {
			const params = {};
			r.names.forEach((n, i) => { params[n] = decodeURIComponent(m[i + 1]); });
			return { r, params };
		}
	}
	return null;
}

/* Where the page's links point: aria-current on the navigation's link to it. */
function markNav() {
	for (const a of document.querySelectorAll('nav a')) {
		const href = a.getAttribute('href');
		if (href === '#' + path() || path().startsWith(href.slice(1) + '/'))
			a.setAttribute('aria-current', 'page');
		else
			a.removeAttribute('aria-current');
	}
}

/*
 * Render the current hash's route into <main>; a view's stop() runs when it
 * is left. Each render gets a container of its own: a view still loading
 * when the user moves on writes into a container no longer shown, and its
 * stop() runs as soon as its render ends, leaving the page then shown alone.
 */
export async function render() {
	const main = document.getElementById('main');
	const m = match(path());
	if (!m) {
		if (fallback)
			go(fallback);
		return;
	}
	const other = guard ? guard(m.r) : null;
	if (other && other !== path()) {
		go(other);
		return;
	}
	if (current && current.stop)
		current.stop();
	current = null;
	const token = {};
	render.token = token;
	const root = document.createElement('div');
	main.replaceChildren(root);
	main.setAttribute('aria-busy', 'true');
	sayCarried();
	markNav();
	let view = null;
	try {
		const mod = await m.r.load();
		if (render.token === token) {
			document.title = 'hzm — ' + (m.r.title || 'Console');
			view = (await mod.render(root, m.params)) || null;
		}
	} catch (e) {
		if (render.token !== token)
			return;
		main.removeAttribute('aria-busy');
		throw e;
	}
	/* The user moved on meanwhile: this page is not shown, and stops at once. */
	if (render.token !== token) {
		if (view && view.stop)
			view.stop();
		return;
	}
	current = view;
	main.removeAttribute('aria-busy');
	main.focus({ preventScroll: true });
}

export function start() {
	window.addEventListener('hashchange', () => { render().catch(reportRenderError); });
	return render().catch(reportRenderError);
}

function reportRenderError(e) {
	const s = document.getElementById('status');
	if (s) {
		s.textContent = e && e.message ? e.message : String(e);
		s.className = 'error';
	}
}
