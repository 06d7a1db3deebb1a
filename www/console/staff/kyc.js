/* www/console/staff/kyc.js — the KYC queue: applications waiting, their documents opened one at a time, approve, reject with a reason, the video review for LEVEL_3 */

import * as session from './session.js';
import { el, box, button, field, values, say, show, table, when } from '../js/ui.js';
import { refused, pageHead, facts, section } from './common.js';

const DOC_PATH = { ID_DOCUMENT: 'idDocument', ADDRESS_PROOF: 'addressProof', SELFIE: 'selfie' };
const REASONS = [['INVALID_DOCUMENT', 'Invalid document'], ['BLURRY_IMAGE', 'Blurry image'],
    ['EXPIRED_ID', 'Expired ID'], ['OTHER', 'Other']];

let objectUrl = null;

function releaseDoc() {
	if (objectUrl)
		URL.revokeObjectURL(objectUrl);
	objectUrl = null;
}

/*
 * The document's bytes come through the API with the bearer token (each
 * read is an audit row); an image is shown from a blob: URL, anything else
 * is offered as a download, never rendered as a page.
 */
async function openDoc(viewer, app, kind) {
	releaseDoc();
	const name = DOC_PATH[kind] || kind;
	const d = await session.bytes('/admin/kyc/' + encodeURIComponent(app.userId) + '/documents/' + name);
	objectUrl = URL.createObjectURL(d.blob);
	const label = kind + ' of ' + app.email;
	const view = /^image\//.test(d.type) ?
	    el('img', null, { src: objectUrl, alt: label }) :
	    el('a', 'Download ' + label + ' (' + d.type + ')', { href: objectUrl, download: name });
	show(viewer, box('figure', { class: 'doc-view' }, view, el('figcaption', label + ', ' + d.blob.size + ' bytes')));
	say('Opened ' + label + ' (the view is audited).', 'ok');
}

/* One decision: its fields and button in a fieldset of their own. */
function decisionSet(legend, fields, label, attrs, act) {
	const fs = box('fieldset', { class: 'decision' }, el('legend', legend), ...fields);
	fs.append(button(label, () => act(values(fs)), attrs));
	return fs;
}

function decisionForms(app, reload) {
	const post = async (what, body, note, done) => {
		if (note)
			body.note = note;
		await session.call('POST', '/admin/kyc/' + encodeURIComponent(app.kycId) + '/' + what, body);
		say(done, 'ok');
		await reload();
	};
	const note = () => field({ name: 'note', label: 'Note (optional)', type: 'textarea' });
	return box('div', { class: 'decisions' },
	    decisionSet('Approve', [field({ name: 'level', label: 'Level to grant',
		options: [['LEVEL_2', 'LEVEL_2'], ['LEVEL_1', 'LEVEL_1']] }), note()], 'Approve', { id: 'kyc-approve' },
		(v) => post('approve', { level: v.level }, v.note, 'KYC ' + app.kycId + ' approved.')),
	    decisionSet('Reject', [field({ name: 'reason', label: 'Rejection reason', options: REASONS }), note()],
		'Reject', { id: 'kyc-reject', class: 'danger' },
		(v) => post('reject', { reason: v.reason }, v.note, 'KYC ' + app.kycId + ' rejected.')),
	    decisionSet('Video review (LEVEL_3)', [field({ name: 'outcome', label: 'Video call outcome',
		options: [['PASSED', 'Passed'], ['FAILED', 'Failed']] }), note()], 'Record video review',
		{ id: 'kyc-video', class: 'secondary' },
		(v) => post('video-review', { outcome: v.outcome }, v.note, 'Video review of ' + app.kycId + ' recorded.')));
}

function detail(app, reload) {
	const viewer = el('div', null, { id: 'doc-viewer', 'aria-live': 'polite' });
	const docs = box('div', { class: 'actions' }, (app.documents || []).map((d) =>
	    button('Open ' + d.kind + ' (' + d.contentType + ')', () => openDoc(viewer, app, d.kind), { class: 'secondary' })));
	const kids = [
		el('h2', 'Application of ' + app.firstName + ' ' + app.lastName, { tabindex: '-1' }),
		facts([['Application', app.kycId], ['User', app.userId], ['E-mail', app.email],
		    ['Name', app.firstName + ' ' + app.lastName], ['Date of birth', app.dateOfBirth],
		    ['Nationality', app.nationality], ['Address', app.address], ['Current level', app.currentLevel],
		    ['Submitted', when(app.submittedAt)],
		    ['Screening hold', app.screeningHold ? 'yes, alert ' + app.screeningAlertId : 'no']]),
		section('Documents', docs, viewer),
	];
	if (session.may('kyc.decide'))
		kids.push(section('Decision', decisionForms(app, reload)));
	return box('article', { id: 'kyc-detail', 'aria-label': 'Application ' + app.kycId }, kids);
}

export async function render(main) {
	main.append(...pageHead('KYC queue', 'kyc.decide'));
	const list = el('div', null, { id: 'kyc-list' });
	const pane = el('div', null, { id: 'kyc-pane' });
	main.append(list, pane);
	const reload = async () => {
		releaseDoc();
		show(pane);
		const { data, meta } = await session.list('/admin/kyc/pending?pageSize=100');
		show(list, el('p', (meta.totalCount ?? data.length) + ' application(s) waiting.'),
		    table([
			['Submitted', (a) => when(a.submittedAt)],
			['E-mail', (a) => a.email],
			['Name', (a) => a.firstName + ' ' + a.lastName],
			['Level', (a) => a.currentLevel],
			['Hold', (a) => a.screeningHold ? 'screening' : ''],
			['', (a) => button('Review', () => {
				releaseDoc();
				show(pane, detail(a, reload));
				pane.querySelector('h2').focus();
			}, { 'aria-label': 'Review ' + a.email })],
		    ], data, { id: 'kyc-table', empty: 'No applications waiting.', rowAttrs: (a) => ({ 'data-kyc': a.kycId }) }));
	};
	try {
		await reload();
	} catch (e) {
		refused(main, e, 'read the KYC queue');
	}
	return { stop: releaseDoc };
}
