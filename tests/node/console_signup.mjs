// tests/node/console_signup.mjs — flow §11.1 in the console at phone width: sign up, verify e-mail and phone, log in, turn on 2FA, log in with a code, a reload keeping the session, the active sessions (one ended), KYC, logout, a password reset by e-mail
//
// Environment: HZM_BASE, HZM_EMAIL, HZM_PASSWORD, HZM_PHONE, HZM_DOC_ID,
// HZM_DOC_ADDRESS, HZM_DOC_SELFIE (files), HZM_SHOTS, CHROMIUM. Questions:
// mail-code EMAIL, sms-code PHONE, kyc-approve EMAIL, other-login EMAIL,
// other-status, reset-code EMAIL.
import jsQR from 'jsqr';
import { base, check, ask, open, shot, statusMatching, freshTotp, finish } from './console_lib.mjs';

const email = process.env.HZM_EMAIL;
const password = process.env.HZM_PASSWORD;
const phone = process.env.HZM_PHONE;
const b = await open();
const { page } = b;
const text = (sel) => page.locator(sel).textContent();
const dd = (name) => text(`dd[data-field="${name}"]`);

try {
	const resp = await page.goto(base + '/console/');
	check(resp.status() === 200, 'GET /console/: 200', resp.status());
	await page.waitForSelector('#markets tbody tr');
	check(await page.locator('#markets tbody tr[data-symbol="BTCTRY"]').count() === 1, 'a guest sees the markets, BTCTRY among them');
	check(await page.locator('#nav-guest').isVisible() && await page.locator('#nav-user').isHidden(),
	    '  the guest navigation: log in, sign up');
	const wide = await page.evaluate(() => document.documentElement.scrollWidth);
	check(wide <= 390, '  nothing wider than the 390 px screen', wide);
	await shot(page, 'markets-guest');

	// Sign up.
	await page.click('#nav-guest a[href="#/register"]');
	await page.fill('#register-form input[name=email]', email);
	await page.fill('#register-form input[name=password]', password);
	await page.fill('#register-form input[name=phoneNumber]', phone);
	await shot(page, 'signup');
	await page.click('#register-form button[type=submit]');
	let s = await statusMatching(page, /Account created|INVALID|ERROR/);
	check(/Account created: we sent a 6-digit code to/.test(s), 'signed up: told a code was mailed', s);
	await page.waitForSelector('#verify-form');
	check(await page.inputValue('#verify-form input[name=email]') === email, '  the verification form, address filled in');

	// Verify the e-mail, then the phone.
	b.expect(400, /verify-email$/);
	await page.fill('#verify-form input[name=code]', '000000');
	await page.click('#verify-form button[type=submit]');
	s = await statusMatching(page, /INVALID|AUTH|VALIDATION|_0/);
	check(!/verified/.test(s), 'a wrong code: refused, the reason shown', s);
	await page.fill('#verify-form input[name=code]', await ask('mail-code', email));
	await page.click('#verify-form button[type=submit]');
	s = await statusMatching(page, /E-mail verified/);
	check(/Now verify your phone/.test(s), 'e-mail verified: the phone next', s);
	check(await page.locator('#verify-phone').isVisible(), '  the phone form shown');
	await page.fill('#verify-phone-form input[name=code]', await ask('sms-code', phone));
	await page.click('#verify-phone-form button[type=submit]');
	s = await statusMatching(page, /Phone verified/);
	check(/log in now/.test(s), 'phone verified: on to the login', s);
	await page.waitForSelector('#login-form');

	// A wrong password, then the right one.
	b.expect(401, /auth\/login$/);
	await page.fill('#login-form input[name=email]', email);
	await page.fill('#login-form input[name=password]', 'wrong-' + password);
	await page.click('#login-form button[type=submit]');
	s = await statusMatching(page, /AUTH_001/);
	check(true, 'a wrong password: AUTH_001 shown');
	await page.fill('#login-form input[name=password]', password);
	await page.click('#login-form button[type=submit]');
	await page.waitForSelector('#who:not([hidden])');
	check(await text('#who-email') === email, 'logged in: the address in the header');

	// The active sessions: this one, and another device's, ended from here.
	await page.click('#nav-user a[href="#/profile"]');
	await page.waitForSelector('#sessions-table tbody tr[data-current]');
	check(await page.locator('#sessions-table tbody tr').count() === 1, 'profile: one active session, this one');
	check(await ask('other-login', email) === 'ok', 'the account logs in on another device');
	await page.click('#sessions-refresh');
	await page.waitForFunction(() => document.querySelectorAll('#sessions-table tbody tr').length === 2);
	const other = '#sessions-table tbody tr:not([data-current]) td[data-label="Device"]';
	check(/^phone-\d+ ios-2\.4\.1$/.test(await text(other)), '  two sessions listed, the other device named', await text(other));
	await shot(page, 'sessions');
	await page.click('#sessions-table tbody tr:not([data-current]) button');
	s = await statusMatching(page, /Session ended|_0/);
	await page.waitForFunction(() => document.querySelectorAll('#sessions-table tbody tr').length === 1);
	check(await page.locator('#sessions-table tbody tr[data-current]').count() === 1, '  the other ended: this one left');
	check(await ask('other-status') === '401', '  the other device\'s token stops working');

	// 2FA on.
	await page.click('#nav-user a[href="#/profile"]');
	await page.waitForSelector('#profile-details');
	check(await dd('Two-factor authentication') === 'off', 'profile: 2FA off');
	check(await dd('Identity level') === 'LEVEL_1', '  identity LEVEL_1 (e-mail and phone)', await dd('Identity level'));
	await page.click('#twofa-start');
	await page.waitForSelector('#twofa-secret');
	const secret = (await text('#twofa-secret')).trim();
	check(/^[A-Z2-7]{16,}$/.test(secret), '2FA set-up: the key shown', secret);
	// The QR code, read back from the pixels the page shows.
	await page.locator('#twofa-qr').waitFor({ state: 'visible' });
	const img = await page.evaluate(async () => {
		const i = document.getElementById('twofa-qr');
		await i.decode();
		const c = document.createElement('canvas');
		c.width = i.naturalWidth;
		c.height = i.naturalHeight;
		const g = c.getContext('2d');
		g.drawImage(i, 0, 0);
		return { w: c.width, h: c.height, px: Array.from(g.getImageData(0, 0, c.width, c.height).data) };
	});
	const qr = img.w > 0 ? jsQR(Uint8ClampedArray.from(img.px), img.w, img.h) : null;
	const link = await page.locator('#twofa-setup a').getAttribute('href');
	check(qr !== null && qr.data === link, '2FA set-up: the QR code reads as the otpauth link', qr && qr.data);
	check(qr !== null && new URL(qr.data).searchParams.get('secret') === secret,
	    '  whose secret is the key shown', qr && qr.data);
	await shot(page, 'twofa-setup');
	await page.fill('#twofa-enable input[name=code]', await freshTotp(secret));
	await page.click('#twofa-enable button[type=submit]');
	await statusMatching(page, /is on/);
	await page.waitForSelector('#twofa-disable');
	check(await dd('Two-factor authentication') === 'on', '2FA on');

	// Log out, log in with the code.
	await page.click('#logout');
	await page.waitForSelector('#login-form');
	check(await page.locator('#who').isHidden(), 'logged out');
	b.expect(401, /auth\/login$/);
	await page.fill('#login-form input[name=email]', email);
	await page.fill('#login-form input[name=password]', password);
	await page.click('#login-form button[type=submit]');
	s = await statusMatching(page, /6-digit code/);
	check(true, 'a login without the code: asked for it');
	await page.fill('#login-form input[name=code]', await freshTotp(secret));
	await page.click('#login-form button[type=submit]');
	await page.waitForSelector('#who:not([hidden])');
	check(true, 'logged in with the 2FA code');

	// The session survives a reload through the httpOnly cookie, nowhere else.
	await page.goto(base + '/console/#/profile');
	await page.waitForSelector('#profile-details');
	check(await text('#who-email') === email, 'a reload keeps the session (the refresh cookie)');
	const store = await page.evaluate(() => JSON.stringify([localStorage, sessionStorage, document.cookie]));
	check(!/eyJ|rt_/.test(store), '  no token in localStorage, sessionStorage or script-visible cookies', store);
	const jar = await b.context.cookies();
	const c = jar.find((x) => x.name === 'hzm_refresh');
	check(c && c.httpOnly && c.sameSite === 'Strict' && c.secure && c.path === '/api/v1/auth',
	    '  the browser holds hzm_refresh: httpOnly, SameSite=Strict, Secure, /api/v1/auth', JSON.stringify(c));

	// KYC.
	await page.click('a[href="#/kyc"]');
	await page.waitForSelector('#kyc-status');
	check(await dd('Status') === 'NOT_STARTED', 'KYC: NOT_STARTED');
	const limit = /^\d+\.\d\d of \d+\.\d\d TRY used$/;
	check(limit.test(await dd('Withdrawals today')) && limit.test(await dd('Withdrawals this month')) &&
	    limit.test(await dd('Trading today')), '  the level\'s limits shown, with what is used of them',
	    await text('#kyc-limits'));
	const f = '#kyc-form ';
	await page.fill(f + 'input[name=firstName]', 'Ayse');
	await page.fill(f + 'input[name=lastName]', "O'Neil-Yilmaz");
	await page.fill(f + 'input[name=dateOfBirth]', '1990-05-17');
	await page.fill(f + 'input[name=nationality]', 'TR');
	await page.fill(f + 'input[name=idNumber]', '10000000146');
	// An address typed on three lines: the API takes one line.
	await page.fill(f + '[name=address]', 'Bagdat Cad. 1\n34710 Kadikoy\nIstanbul');
	await page.setInputFiles(f + 'input[name=idDocument]', process.env.HZM_DOC_ID);
	await page.setInputFiles(f + 'input[name=addressProof]', process.env.HZM_DOC_ADDRESS);
	await page.setInputFiles(f + 'input[name=selfie]', process.env.HZM_DOC_SELFIE);
	await shot(page, 'kyc-form');
	await page.click(f + 'button[type=submit]');
	s = await statusMatching(page, /submitted|_0|INVALID/);
	check(/Application kyc_\w+ submitted: PENDING_REVIEW/.test(s), 'KYC submitted: PENDING_REVIEW', s);
	await page.waitForFunction(() => {
		const d = document.querySelector('dd[data-field="Status"]');
		return d && d.textContent === 'PENDING_REVIEW';
	});
	check(await page.locator('#kyc-form').count() === 0, '  the form gone while under review');
	check(await ask('kyc-approve', email) === 'ok', 'staff approve the application');
	await page.reload();
	await page.waitForSelector('#kyc-status');
	check(await dd('Status') === 'APPROVED', 'KYC: APPROVED', await dd('Status'));
	check(await dd('Level') === 'LEVEL_2', '  LEVEL_2', await dd('Level'));
	await shot(page, 'kyc-approved');

	// Logging out ends the session for good: a reload stays logged out.
	await page.click('#logout');
	await page.waitForSelector('#login-form');
	await page.reload();
	await page.waitForSelector('#markets, #login-form');
	check(await page.locator('#who').isHidden(), 'after logout a reload stays logged out');
	check(!(await b.context.cookies()).some((x) => x.name === 'hzm_refresh'), '  the cookie is gone');

	// A forgotten password: a mailed code, a new password, a login with it (2FA stays at LEVEL_2).
	await page.goto(base + '/console/#/login');
	await page.click('#forgot');
	await page.fill('#reset-request-form input[name=email]', email);
	await page.click('#reset-request-form button[type=submit]');
	s = await statusMatching(page, /we sent|_0|INVALID/);
	check(/6-digit code/.test(s), 'forgot password: a code is mailed', s);
	await page.waitForSelector('#reset-form');
	check(await page.inputValue('#reset-form input[name=email]') === email, '  the reset form, address filled in');
	const newPassword = 'Reset-' + password;
	await page.fill('#reset-form input[name=code]', await ask('reset-code', email));
	await page.fill('#reset-form input[name=newPassword]', newPassword);
	await shot(page, 'password-reset');
	await page.click('#reset-form button[type=submit]');
	s = await statusMatching(page, /Password changed|_0|INVALID/);
	check(/^Password changed\. Every session was ended/.test(s), 'password changed, 2FA kept', s);
	await page.waitForSelector('#login-form');
	b.expect(401, /auth\/login$/);
	await page.fill('#login-form input[name=email]', email);
	await page.fill('#login-form input[name=password]', password);
	await page.fill('#login-form input[name=code]', await freshTotp(secret));
	await page.click('#login-form button[type=submit]');
	s = await statusMatching(page, /AUTH_001|_0/);
	check(/AUTH_001/.test(s), '  the old password refused', s);
	await page.fill('#login-form input[name=password]', newPassword);
	await page.fill('#login-form input[name=code]', await freshTotp(secret));
	await page.click('#login-form button[type=submit]');
	await page.waitForSelector('#who:not([hidden])');
	check(await text('#who-email') === email, '  logged in with the new password');
	await page.click('#logout');
	await page.waitForSelector('#login-form');
} catch (e) {
	check(false, 'the flow went through', e.stack);
	await shot(page, 'failure').catch(() => null);
}
await finish(b);
