/* www/console/js/views/wallets.js — wallets: balances, a crypto deposit address per asset and network, the TRY deposit reference, withdrawals (crypto and TRY) with the 2FA code, deposits and withdrawals with their status */

import { call } from '../api.js';
import { el, box, form, show, table, when, say, button } from '../ui.js';

const code = { name: 'twoFactorCode', label: '2FA code', inputmode: 'numeric', pattern: '[0-9]{6}',
    autocomplete: 'one-time-code', required: true };
const amount = (label) => ({ name: 'amount', label, inputmode: 'decimal', pattern: '[0-9]+(\\.[0-9]+)?', required: true });

function balancesTable(bs) {
	return table([
		['Asset', (b) => b.asset], ['Available', (b) => b.available], ['Locked', (b) => b.locked],
		['Total', (b) => b.total], ['Value (TRY)', (b) => b.valueInTRY],
	], bs, { id: 'balances', empty: 'No balances.', rowAttrs: (b) => ({ 'data-asset': b.asset }) });
}

function depositCrypto(assets) {
	const out = el('div', null, { id: 'deposit-address' });
	return box('section', null, el('h2', 'Deposit crypto'),
	    form('deposit-form', [
		{ name: 'asset', label: 'Asset', options: assets.map((a) => [a, a]) },
		{ name: 'network', label: 'Network (optional)', placeholder: 'the asset\'s own' },
	    ], 'Show my address', async (v) => {
		const q = v.network ? '?network=' + encodeURIComponent(v.network) : '';
		const d = await call('GET', '/wallets/' + encodeURIComponent(v.asset) + '/deposit-address' + q);
		const dl = el('dl');
		for (const [k, x] of [['Asset', d.asset], ['Network', d.network], ['Address', d.address],
		    ['Memo', d.memo || '—'], ['Minimum deposit', d.minDeposit],
		    ['Confirmations needed', d.requiredConfirmations]])
			if (x !== undefined)
				dl.append(el('dt', k), el('dd', x, { 'data-field': k }));
		show(out, dl, el('p', 'Send only ' + d.asset + ' on the ' + d.network + ' network to this address.'));
	    }), out);
}

function depositTry(reload) {
	const out = el('div', null, { id: 'try-reference' });
	return box('section', null, el('h2', 'Deposit TRY by bank transfer'),
	    form('try-deposit-form', [amount('Amount (TRY)')], 'Get transfer details', async (v) => {
		const d = await call('POST', '/fiat/deposit', { amount: v.amount });
		const dl = el('dl');
		for (const [k, x] of [['Bank', d.bankName], ['Account holder', d.accountHolder], ['IBAN', d.ibanDisplay],
		    ['Reference', d.referenceCodeDisplay], ['Amount', d.amount], ['Valid until', when(d.expiresAt)]])
			dl.append(el('dt', k), el('dd', x, { 'data-field': k }));
		show(out, el('p', 'Transfer from an account in your own name and put the reference in the description.'), dl);
		await reload();
	    }), out);
}

function withdrawCrypto(assets, reload) {
	return box('section', null, el('h2', 'Withdraw crypto'),
	    form('withdraw-form', [
		{ name: 'asset', label: 'Asset', options: assets.map((a) => [a, a]) },
		{ name: 'address', label: 'Address', required: true },
		{ name: 'network', label: 'Network (optional)' },
		amount('Amount'), code,
	    ], 'Withdraw', async (v, f) => {
		const body = { amount: v.amount, address: v.address, twoFactorCode: v.twoFactorCode };
		if (v.network)
			body.network = v.network;
		const d = await call('POST', '/wallets/' + encodeURIComponent(v.asset) + '/withdraw', body);
		say('Withdrawal ' + d.withdrawalId + ': ' + d.status + ' (fee ' + d.fee + ' ' + d.asset + ').', 'ok');
		f.elements.twoFactorCode.value = '';
		await reload();
	    }));
}

function withdrawTry(reload) {
	return box('section', null, el('h2', 'Withdraw TRY to a bank account'),
	    form('try-withdraw-form', [
		{ name: 'iban', label: 'IBAN (in your name)', autocomplete: 'off', required: true },
		{ name: 'accountHolder', label: 'Account holder', autocomplete: 'name', required: true },
		amount('Amount (TRY)'), code,
	    ], 'Withdraw TRY', async (v, f) => {
		const d = await call('POST', '/fiat/withdraw', v);
		say('TRY withdrawal ' + (d.withdrawalId || d.transactionId) + ': ' + d.status + '.', 'ok');
		f.elements.twoFactorCode.value = '';
		await reload();
	    }));
}

function history(deps, wds, fiat) {
	return [
		el('h2', 'Deposits'),
		table([['Time', (d) => when(d.createdAt)], ['Asset', (d) => d.asset], ['Amount', (d) => d.amount],
		    ['Status', (d) => d.status], ['Confirmations', (d) => d.confirmations + ' / ' + d.requiredConfirmations]],
		deps, { id: 'deposits', empty: 'No deposits yet.' }),
		el('h2', 'Withdrawals'),
		table([['Time', (w) => when(w.createdAt)], ['Asset', (w) => w.asset], ['Amount', (w) => w.amount],
		    ['Fee', (w) => w.fee], ['Address', (w) => w.address], ['Status', (w) => w.status]],
		wds, { id: 'withdrawals', empty: 'No withdrawals yet.', rowAttrs: (w) => ({ 'data-id': w.withdrawalId }) }),
		el('h2', 'TRY transfers'),
		table([['Time', (t) => when(t.createdAt)], ['Type', (t) => t.type], ['Amount', (t) => t.amount],
		    ['Reference', (t) => t.referenceCode || ''], ['Status', (t) => t.status]],
		fiat, { id: 'fiat', empty: 'No TRY transfers yet.', rowAttrs: (t) => ({ 'data-id': t.transactionId }) }),
	];
}

export async function render(main) {
	const top = el('div', null, { id: 'wallet-balances' });
	const hist = el('div', null, { id: 'wallet-history' });
	const reload = async () => {
		const [bs, deps, wds, fiat] = await Promise.all([
			call('GET', '/wallets/balances'), call('GET', '/wallets/deposits?pageSize=50'),
			call('GET', '/wallets/withdrawals?pageSize=50'), call('GET', '/fiat/transactions?pageSize=50'),
		]);
		show(top, balancesTable(bs));
		show(hist, history(deps, wds, fiat));
		return bs;
	};
	const bs = await reload();
	const crypto = bs.map((b) => b.asset).filter((a) => a !== 'TRY');
	show(main, el('h1', 'Wallets'), top, button('Refresh', reload, { id: 'wallet-refresh', class: 'secondary' }),
	    box('div', { class: 'row' }, depositCrypto(crypto), depositTry(reload)),
	    box('div', { class: 'row' }, withdrawCrypto(crypto, reload), withdrawTry(reload)), hist);
}
