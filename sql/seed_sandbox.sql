-- seed_sandbox.sql — sandbox users (spec §12.2); loaded only by make run/start and tests.
-- psql variables: pwhash (argon2id of the sandbox password), admin_totp (sealed seed, hex),
-- idn_a and idn_b (the LEVEL_2 users' sealed identity numbers, hex).

-- LEVEL_0 has its e-mail verified (EMAIL_VERIFIED); LEVEL_1 its phone too
-- (ACTIVE, Appendix C).
INSERT INTO users (public_id, email, password_hash, status, kyc_level,
    email_verified_at, phone_number, phone_verified_at) VALUES
	('usr_sandboxlevelzeroaaaa', 'test.level0@example.com', :'pwhash', 'EMAIL_VERIFIED', 0, now(), NULL, NULL),
	('usr_sandboxleveloneaaaaa', 'test.level1@example.com', :'pwhash', 'ACTIVE', 1, now(), '+905550000001', now()),
	('usr_sandboxleveltwoaaaaa', 'test.level2@example.com', :'pwhash', 'ACTIVE', 2, now(), '+905550000002', now()),
	('usr_sandboxleveltwobbbbb', 'test.level2b@example.com', :'pwhash', 'ACTIVE', 2, now(), '+905550000003', now());

INSERT INTO users (public_id, email, password_hash, status, kyc_level,
    email_verified_at, totp_secret, totp_enabled) VALUES
	('usr_sandboxadminaaaaaaaa', 'admin@example.com', :'pwhash', 'ACTIVE', 3,
	 now(), decode(:'admin_totp', 'hex'), true);

INSERT INTO user_roles (user_id, role)
	SELECT id, 'USER' FROM users WHERE email LIKE 'test.%@example.com';
INSERT INTO user_roles (user_id, role)
	SELECT id, 'ADMIN' FROM users WHERE email = 'admin@example.com';

-- Both LEVEL_2 accounts are funded so they can trade with each other.
INSERT INTO ledger (user_id, asset, delta_available, delta_locked, kind, ref)
	SELECT u.id, f.asset, f.amount, 0, 'ADJUSTMENT', 'sandbox-seed'
	FROM users u
	CROSS JOIN (VALUES ('TRY', 1000000.00), ('BTC', 10.0), ('ETH', 100.0),
	    ('USDT', 100000.0)) AS f (asset, amount)
	WHERE u.email IN ('test.level2@example.com', 'test.level2b@example.com');

-- "Full KYC" (§12.2): the LEVEL_2 users hold an approved application, as a
-- user who went through flow §11.1 does, so that what needs the verified
-- name (a bank transfer's sender, flow §11.2) works for them too.
INSERT INTO kyc_submissions (public_id, user_id, status, first_name,
    last_name, date_of_birth, nationality, id_number, address, level,
    reviewed_at)
	SELECT k.public_id, u.id, 'APPROVED', k.first_name, 'Sandbox',
	    DATE '1990-01-01', 'TR', decode(k.idn, 'hex'),
	    'Sandbox Sk. 1, Istanbul', 2, now()
	FROM (VALUES ('kyc_sandboxleveltwoaaaaa', 'test.level2@example.com',
	    'Test', :'idn_a'), ('kyc_sandboxleveltwobbbbb',
	    'test.level2b@example.com', 'Testb', :'idn_b'))
	    AS k (public_id, email, first_name, idn)
	JOIN users u ON u.email = k.email;
