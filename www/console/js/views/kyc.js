/* www/console/js/views/kyc.js — identity verification: the application's status and limits, and the form with its three documents */

import * as api from '../api.js';
import { el, box, form, field, say, show, when } from '../ui.js';

const DOCS = [
	['idDocument', 'Identity document (PNG, JPEG or PDF)', 'image/png,image/jpeg,application/pdf'],
	['addressProof', 'Proof of address (PNG, JPEG or PDF)', 'image/png,image/jpeg,application/pdf'],
	['selfie', 'Selfie holding the document (PNG or JPEG)', 'image/png,image/jpeg'],
];

/* A file as the API takes it: { contentType, data (base64) }. */
async function fileBody(file) {
	const bytes = new Uint8Array(await file.arrayBuffer());
	let bin = '';
	for (let i = 0; i < bytes.length; i += 0x8000)
		bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
	return { contentType: file.type || 'application/octet-stream', data: btoa(bin) };
}

function statusBlock(s) {
	const dl = el('dl', null, { id: 'kyc-status' });
	const rows = [['Status', s.status], ['Level', s.level]];
	if (s.submittedAt)
		rows.push(['Submitted', when(s.submittedAt)]);
	if (s.approvedAt)
		rows.push(['Approved', when(s.approvedAt)]);
	if (s.rejectedReason)
		rows.push(['Reason', s.rejectedReason]);
	if (s.missingDocuments && s.missingDocuments.length)
		rows.push(['Still missing', s.missingDocuments.join(', ')]);
	for (const [k, v] of rows)
		dl.append(el('dt', k), el('dd', v, { 'data-field': k }));
	return dl;
}

/*
 * The limits the API gives with the status: each withdrawal limit as
 * { limit, used, currency }, the trading limit a string beside its used amount.
 */
function limitsBlock(l) {
	const cur = (l.dailyWithdrawal && l.dailyWithdrawal.currency) || '';
	const of = (used, limit, c) => used + ' of ' + limit + ' ' + c + ' used';
	const rows = [];
	for (const [k, name] of [['dailyWithdrawal', 'Withdrawals today'], ['monthlyWithdrawal', 'Withdrawals this month']])
		if (l[k])
			rows.push([name, of(l[k].used, l[k].limit, l[k].currency)]);
	if (l.dailyTrading)
		rows.push(['Trading today', of(l.dailyTradingUsed || '0', l.dailyTrading, cur)]);
	const dl = el('dl', null, { id: 'kyc-limits' });
	for (const [k, v] of rows)
		dl.append(el('dt', k), el('dd', v, { 'data-field': k }));
	return box('section', null, el('h2', 'Your limits'), dl);
}

/*
 * The API takes the address as one line of text (no control characters):
 * the lines typed in the box are sent joined with ", ".
 */
function oneLine(text) {
	return text.split(/[\r\n]+/).map((s) => s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim())
	    .filter((s) => s).join(', ');
}

function applicationForm(reload) {
	const files = DOCS.map(([name, label, accept]) => {
		const f = field({ name, label, type: 'file' });
		f.querySelector('input').setAttribute('accept', accept);
		return f;
	});
	return form('kyc-form', [
		{ name: 'firstName', label: 'First name', autocomplete: 'given-name', required: true },
		{ name: 'lastName', label: 'Last name', autocomplete: 'family-name', required: true },
		{ name: 'dateOfBirth', label: 'Date of birth', type: 'date', autocomplete: 'bday', required: true },
		{ name: 'nationality', label: 'Nationality (two letters, e.g. TR)', autocomplete: 'country',
		    pattern: '[A-Za-z]{2}', required: true },
		{ name: 'idNumber', label: 'Identity number', required: true },
		{ name: 'idExpiryDate', label: 'Document valid until (optional)', type: 'date' },
		{ name: 'address', label: 'Address', type: 'textarea', autocomplete: 'street-address', required: true,
		    hint: 'Its lines are sent as one, joined with commas.' },
		...files,
	], 'Submit for review', async (v, f) => {
		const body = {
			firstName: v.firstName, lastName: v.lastName, dateOfBirth: v.dateOfBirth,
			nationality: v.nationality.toUpperCase(), idNumber: v.idNumber, address: oneLine(v.address),
			documents: {},
		};
		if (v.idExpiryDate)
			body.idExpiryDate = v.idExpiryDate;
		for (const [name] of DOCS) {
			const input = f.querySelector('input[name=' + name + ']');
			if (input.files && input.files[0])
				body.documents[name] = await fileBody(input.files[0]);
		}
		const d = await api.call('POST', '/kyc/submit', body);
		say('Application ' + d.kycId + ' submitted: ' + d.status + '.', 'ok');
		await reload();
	});
}

export async function render(main) {
	const reload = async () => {
		const s = await api.call('GET', '/kyc/status');
		const open = ['NOT_STARTED', 'PENDING_SUBMISSION', 'REJECTED', 'EXPIRED'].includes(s.status);
		show(main, el('h1', 'Identity verification'), statusBlock(s), s.limits ? limitsBlock(s.limits) : null,
		    open ? box('section', null, el('h2', 'Your application'), applicationForm(reload)) :
			el('p', s.status === 'PENDING_REVIEW' ? 'We are reviewing your application.' : ''));
	};
	await reload();
}
