/* www/console/staff/withdrawal.js — one withdrawal under review: the risk score and its named factors, the user, history and address, approvals so far; approve (a second approver where two are required) or reject with a reason */

import * as session from './session.js';
import { el, box, field, values, button, say, show, table, when } from '../js/ui.js';
import { refused, pageHead, facts, objectFacts, riskBadge, section } from './common.js';

function factors(w) {
	const rows = w.riskFactors || [];
	return table([
		['Factor', (f) => f.factor],
		['Points', (f) => f.points],
		['Why', (f) => f.detail],
	], rows, { id: 'wd-factors', caption: 'Risk factors', empty: 'No risk factors.' });
}

function approvals(w) {
	const a = w.approvals || [];
	return box('div', { id: 'wd-approvals' },
	    el('p', a.length + ' of ' + w.approvalsRequired + ' approval(s) given.' +
		(w.approvalsRequired > 1 ? ' Two different reviewers must approve this withdrawal.' : '')),
	    table([
		['Reviewer', (x) => x.adminEmail || x.adminUserId],
		['When', (x) => when(x.at || x.approvedAt || x.createdAt)],
		['Reason', (x) => x.reason],
	    ], a, { empty: 'No approvals yet.' }));
}

function decision(w, reload) {
	const reason = field({ name: 'reason', label: 'Reason (required, recorded in the audit log)', required: true });
	const note = field({ name: 'note', label: 'Note (optional)', type: 'textarea' });
	const suspend = field({ name: 'suspendAccount', label: 'Suspend the account on rejection', type: 'checkbox' });
	const wrap = box('div', { id: 'wd-decision' }, reason, note, suspend);
	const post = async (what) => {
		const v = values(wrap);
		if (!v.reason) {
			wrap.querySelector('[name=reason]').focus();
			throw new Error('A reason is required.');
		}
		const body = { reason: v.reason };
		if (v.note)
			body.note = v.note;
		if (what === 'reject' && v.suspendAccount)
			body.suspendAccount = true;
		const d = await session.call('POST', '/admin/withdrawals/' + encodeURIComponent(w.withdrawalId) + '/' + what, body);
		say(what === 'approve' ?
		    'Approved: ' + d.approvalsGiven + ' of ' + d.approvalsRequired + ' approval(s); status ' + d.status + '.' :
		    'Rejected: status ' + d.status + (d.accountSuspended ? ', account suspended.' : '.'), 'ok');
		await reload();
	};
	wrap.append(box('div', { class: 'actions' },
	    button('Approve', () => post('approve')),
	    button('Reject', () => post('reject'), { class: 'danger' })));
	return wrap;
}

function view(w, reload) {
	const u = w.user || {};
	const kids = [
		facts([['Withdrawal', w.withdrawalId], ['Status', w.status], ['Amount', w.amount + ' ' + w.asset],
		    ['Fee', w.fee], ['Network', w.network], ['Address', w.address], ['Value (TRY)', w.valueInTRY],
		    ['Requested', when(w.createdAt)], ['Risk', riskBadge(w.riskLevel, w.riskScore)],
		    ['Why it waits', (w.reviewReasons || []).join(', ')],
		    ['Alert', w.alert ? w.alert.alertId + ' ' + w.alert.severity + ' ' + w.alert.type + ' ' + w.alert.resolution : null]],
		    { id: 'wd-facts' }),
		section('Risk score ' + w.riskScore + ' (' + w.riskLevel + ')', factors(w)),
		section('User', facts([['User', u.userId], ['E-mail', u.email], ['Status', u.status], ['KYC', u.kycLevel],
		    ['Account age (days)', u.accountAgeDays], ['2FA', u.twoFactorEnabled]])),
		section('History', objectFacts(w.history)),
		section('Destination address', objectFacts(w.addressAnalysis, { id: 'wd-address' })),
		section('Approvals', approvals(w)),
	];
	if (session.may('withdrawals.decide') && w.status === 'PENDING_APPROVAL')
		kids.push(section('Decision', decision(w, reload)));
	return kids;
}

export async function render(main, params) {
	main.append(...pageHead('Withdrawal review', 'withdrawals.decide'));
	const body = el('div', null, { id: 'wd-body' });
	main.append(body);
	const reload = async () => {
		const w = await session.call('GET', '/admin/withdrawals/' + encodeURIComponent(params.id));
		show(body, view(w, reload));
	};
	try {
		await reload();
	} catch (e) {
		refused(main, e, 'review withdrawals');
	}
	return null;
}
