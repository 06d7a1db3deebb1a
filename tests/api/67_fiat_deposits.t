# tests/api/67_fiat_deposits.t — flow §11.2's TRY part: deposit intents, the bank's signed callbacks (forged, stale, foreign, replayed, repeated at once), the review queue and its resolution
use strict;
use warnings;
use Test::More;
use JSON::PP;
use Math::BigInt;
use Time::HiRes qw(time sleep);
use Hzm;
use HzmTrade;
use HzmBank;
use HzmImages;

plan skip_all => 'no stand-in bank in this stack'
    unless -s "$ENV{HZM_VAR}/bank/bank.conf" && bank_alive();
plan skip_all => 'cron-payout not built' unless -x "$ENV{HZM_VAR}/bin/cron-payout";

mc_flush();
bank_reset();

my $iso = qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
my $REF = qr/^RF\d\dHZM\d{12}$/;

sub intent {
	my ($u, $amount) = @_;
	return api(POST => '/api/v1/fiat/deposit', bearer($u->{token}), { amount => $amount });
}
sub ledger_count {
	my ($where) = @_;
	return psql("SELECT count(*) FROM ledger WHERE $where");
}
sub transfer_row {
	my ($txid, $cols) = @_;
	return psql("SELECT $cols FROM fiat_transfers WHERE bank_tx_id = '$txid'");
}
sub suspense_try {
	return units(psql("SELECT coalesce(sum(available + locked), 0)::numeric(38,2) FROM balances b"
	    . " JOIN users u ON u.id = b.user_id WHERE u.public_id = 'usr_fiatsuspenseaaaaaaaa'"
	    . " AND b.asset = 'TRY'"), 2);
}
sub deposit_ok {
	my ($d, $name) = @_;
	my $a = $d->{answers}[0];
	is($a->{status}, 200, "$name: the bank gets 200") or diag(encode_json($a));
	return $a->{body}{data} // {};
}

# ==== flow §11.2, the TRY part =====================================================
# A new customer, verified by KYC through the API (LEVEL_2, a Turkish name).
my $u = new_user('fiat-flow');
$u->{token} = $u->{access};
my $admin = bearer(admin_login());
my $r = api(POST => '/api/v1/kyc/submit', bearer($u->{token}),
    kyc_body(firstName => 'Ayşe', lastName => 'Yılmaz'));
is($r->{status}, 201, 'KYC submitted') or diag(substr($r->{body}, 0, 300));
my $kyc = $r->{json}{data}{kycId};

# Before the approval: the bank transfer needs a verified name.
$r = intent($u, '10000.00');
error_ok($r, 403, 'KYC_002', 'a deposit request while KYC is under review');
$r = api(POST => "/api/v1/admin/kyc/$kyc/approve", $admin, { level => 'LEVEL_2' });
is($r->{status}, 200, 'KYC approved at LEVEL_2') or diag($r->{body});

# 1. POST /fiat/deposit: the account to pay into and a reference code.
my $t0 = time;
$r = intent($u, '10000.00');
is($r->{status}, 201, 'deposit request: 201') or diag($r->{body});
envelope_ok($r, 'deposit request');
my $d = $r->{json}{data};
like($d->{depositId}, qr/^fdp_[a-z2-7]{20}$/, 'depositId fdp_');
is($d->{asset}, 'TRY', 'asset TRY');
is($d->{amount}, '10000.00', 'amount at 2 decimals');
is($d->{iban}, $SANDBOX_IBAN, "the platform's IBAN (fiat_iban)");
is($d->{ibanDisplay}, 'TR33 0006 1005 1978 6457 8413 26', 'and printed in fours');
is($d->{bankName}, 'hzm Sandbox Bank', 'bank name (fiat_bank_name)');
is($d->{accountHolder}, 'hzm Sandbox A.S.', 'account holder (fiat_account_holder)');
like($d->{referenceCode}, $REF, 'a reference code: RF, check digits, HZM, 12 digits');
is($d->{referenceCodeDisplay} =~ s/ //gr, $d->{referenceCode}, 'its printed form');
is($d->{status}, 'PENDING', 'PENDING');
like($d->{expiresAt}, $iso, 'expiresAt');
like($d->{createdAt}, $iso, 'createdAt');
my $ttl = psql("SELECT round(extract(epoch FROM expires_at - created_at)) FROM fiat_deposits"
    . " WHERE public_id = '$d->{depositId}'");
is($ttl, 86400, 'valid 24 hours (fiat_deposit_ttl_hours)');
my $d2 = intent($u, '10000.00')->{json}{data};
isnt($d2->{referenceCode}, $d->{referenceCode}, 'another request, another reference');

# 2. The customer pays from their own account, with the printed reference
# in the description; the bank's callback credits it.
my $try0 = balance($u->{token}, 'TRY');
my $m0 = time - 1;
my $dep = bank_deposit(amount => '10000.00', senderName => 'AYSE YILMAZ',
    senderIban => iban_tr(62, 1), description => "Yatirim $d->{referenceCodeDisplay} tesekkurler");
my $ans = deposit_ok($dep, 'the callback');
is($ans->{status}, 'CREDITED', 'answered CREDITED');
is($ans->{transactionId}, $dep->{transactionId}, "the bank's transaction id echoed");
like($ans->{transferId}, qr/^ftr_[a-z2-7]{20}$/, 'a transferId');
is(balance($u->{token}, 'TRY'), $try0 + 1000000, 'GET /wallets: TRY balance 10,000.00 more');
is(balances($u->{token})->{TRY}{available}, '10000.00', 'available 10000.00');
is(ledger_count("kind = 'DEPOSIT' AND ref = 'fiat:tx:$dep->{transactionId}'"), 1,
    "one DEPOSIT ledger row, keyed by the bank's transaction id");
is(psql("SELECT delta_available::numeric(38,2) FROM ledger WHERE ref = 'fiat:tx:$dep->{transactionId}'"),
    '10000.00', '  of 10000.00');
is(psql("SELECT status || ' ' || credited_amount::numeric(38,2) FROM fiat_deposits"
    . " WHERE public_id = '$d->{depositId}'"), 'COMPLETED 10000.00', 'the deposit is COMPLETED');
my $evt = psql("SELECT payload FROM outbox o JOIN users u ON u.id = o.user_id"
    . " WHERE u.public_id = '$u->{userId}' AND o.event_type = 'deposit.confirmed'");
my $ev = eval { decode_json($evt) } // {};
is($ev->{asset}, 'TRY', 'deposit.confirmed event, asset TRY');
is($ev->{depositId}, $d->{depositId}, '  for the deposit');
is($ev->{amount}, '10000.00', '  its amount');
my $mail = mail_for($u->{email}, $m0, qr/credited/);
ok($mail, 'the user is told by mail')
    or diag($mail ? $mail->{headers}{subject} : 'no mail');
like($mail->{text} // '', qr/10000\.00 TRY/, '  with the amount');

$r = api(GET => '/api/v1/fiat/transactions', bearer($u->{token}));
is($r->{status}, 200, 'GET /fiat/transactions') or diag($r->{body});
my ($row) = grep { $_->{transactionId} eq $d->{depositId} } @{ $r->{json}{data} };
is($row->{type}, 'DEPOSIT', '  the deposit listed');
is($row->{status}, 'COMPLETED', '  COMPLETED');
is($row->{amount}, '10000.00', '  10000.00');
like($row->{completedAt}, $iso, '  completedAt');
is($r->{json}{meta}{totalCount}, 2, '  two requests in all');

# 3. With it, a market buy (flow §11.2 step 3).
my $B = token('test.level2b@example.com');
cancel_open($B);
my $px = market_price('BTCTRY', '1850000.00');
$r = place($B, { symbol => 'BTCTRY', side => 'SELL', type => 'LIMIT', price => $px,
    quantity => '0.01000000' });
is($r->{status}, 201, 'a resting sell at the market price') or diag($r->{body});
$r = place($u->{token}, { symbol => 'BTCTRY', side => 'BUY', type => 'MARKET',
    quoteOrderQty => '9000.00' });
is($r->{status}, 201, 'the new customer buys BTC with the deposit') or diag($r->{body});
is($r->{json}{data}{status}, 'FILLED', '  FILLED');
ok(balance($u->{token}, 'BTC') > 0, '  BTC bought');
ok(balance($u->{token}, 'TRY') <= $try0 + 1000000 - 899900, '  paid in TRY');
cancel_open($B);
wait_matcher();
invariant_ok('after the flow');

# ==== the callback's authentication ===================================================
my $v = fiat_user('fiat-auth', first => 'İsmail', last => 'Öztürk');
my $vd = intent($v, '500.00')->{json}{data};
my $n_tr = psql('SELECT count(*) FROM fiat_transfers');
my %body = (transactionId => 'AUTH-' . int(time * 1000), amount => '500.00', currency => 'TRY',
    senderName => 'ISMAIL OZTURK', senderIban => iban_tr(64, 777),
    description => $vd->{referenceCode});

$r = callback_send(\%body, secret => 'not-the-secret-of-the-bank');
error_ok($r, 401, 'UNAUTHORIZED', 'a forged signature');
like($r->{json}{error}{details}{reason} // '', qr/X-Bank-Signature/, '  says which header');
{
	my $ts = int(time * 1000);
	$r = callback_send(\%body, ts => $ts, sig => uc callback_sign($ts, encode_json(\%body)));
	error_ok($r, 401, 'UNAUTHORIZED', 'the right signature in upper-case hex');
}
$r = callback_send(\%body, sig => undef);
error_ok($r, 401, 'UNAUTHORIZED', 'no signature');
$r = callback_send(\%body, ts => undef);
error_ok($r, 401, 'UNAUTHORIZED', 'no timestamp');
$r = callback_send(\%body, ts => int(time * 1000) - 301_000);
error_ok($r, 401, 'UNAUTHORIZED', 'a timestamp 301 s old (bank_callback_skew_seconds 300)');
like($r->{json}{error}{details}{reason} // '', qr/window/, '  outside the window');
$r = callback_send(\%body, ts => int(time * 1000) + 301_000);
error_ok($r, 401, 'UNAUTHORIZED', 'a timestamp 301 s ahead');
$r = callback_send(\%body, ts => int(time));
error_ok($r, 401, 'UNAUTHORIZED', 'seconds, not milliseconds');
$r = callback_send(\%body, ts => '1e12');
error_ok($r, 401, 'UNAUTHORIZED', 'a timestamp not in digits');
{
	my $raw = encode_json(\%body);
	my $ts = int(time * 1000);
	my $sig = callback_sign($ts, $raw);
	(my $tampered = $raw) =~ s/"500\.00"/"5000.00"/;
	$r = callback_send($tampered, ts => $ts, sig => $sig);
	error_ok($r, 401, 'UNAUTHORIZED', 'a body changed after signing');
	$r = callback_send($raw, ts => $ts + 1, sig => $sig);
	error_ok($r, 401, 'UNAUTHORIZED', 'the timestamp changed after signing');
}
# From an address outside bank_callback_ips (127.0.0.1/32, ::1/128): the
# connection's own address decides, not what a header claims.
$r = callback_send(\%body, local_address => '127.0.0.2');
error_ok($r, 403, 'FORBIDDEN', 'a foreign address (127.0.0.2)');
$r = callback_send(\%body, local_address => '127.0.0.2',
    headers => { 'X-Forwarded-For' => '127.0.0.1', 'X-Real-IP' => '127.0.0.1' });
error_ok($r, 403, 'FORBIDDEN', '  however X-Forwarded-For reads');
is(psql('SELECT count(*) FROM fiat_transfers'), $n_tr, 'none of them recorded a transfer');
is(balance($v->{token}, 'TRY'), 0, 'none of them credited anything');

# Replayed: the very same delivery again is refused; the bank's own repeat,
# signed anew, gets the first answer.
$r = callback_send(\%body, ts => 1700000000000);
error_ok($r, 401, 'UNAUTHORIZED', 'a captured delivery from long ago');
$dep = bank_deposit(amount => '500.00', senderName => 'ISMAIL OZTURK', senderIban => iban_tr(64, 777),
    description => $vd->{referenceCode}, repeat => 2, sameDelivery => 1);
is($dep->{answers}[0]{status}, 200, 'a delivery: 200');
is($dep->{answers}[0]{body}{data}{status}, 'CREDITED', '  CREDITED ("ISMAIL OZTURK" is "İsmail Öztürk")');
is($dep->{answers}[1]{status}, 409, 'the same delivery replayed: 409');
is($dep->{answers}[1]{body}{error}{code}, 'CONFLICT', '  CONFLICT');
my $again = bank_deposit(amount => '500.00', senderName => 'ISMAIL OZTURK', senderIban => iban_tr(64, 777),
    description => $vd->{referenceCode}, transactionId => $dep->{transactionId});
is($again->{answers}[0]{status}, 200, "the bank's repeat, signed anew: 200");
is_deeply($again->{answers}[0]{body}{data}, $dep->{answers}[0]{body}{data},
    '  the same answer (idempotent by transaction id)');
is(balance($v->{token}, 'TRY'), 50000, 'credited once: 500.00');
is(ledger_count("kind = 'DEPOSIT' AND ref = 'fiat:tx:$dep->{transactionId}'"), 1, '  one ledger row');
$r = callback_send({ %body, transactionId => $dep->{transactionId}, amount => '501.00' });
error_ok($r, 409, 'CONFLICT', 'the same transaction id with other content');
is(balance($v->{token}, 'TRY'), 50000, '  nothing more credited');

# Twenty repeats at once, each a delivery of its own: one credit.
my $w = fiat_user('fiat-burst', first => 'Gül', last => 'Şahin');
my $wd = intent($w, '777.77')->{json}{data};
$dep = bank_deposit(amount => '777.77', senderName => "SAHIN GUL", senderIban => iban_tr(10, 4242),
    description => "ref $wd->{referenceCode}", repeat => 20, concurrent => 1);
my %st;
$st{ $_->{status} . ' ' . ($_->{body}{data}{status} // $_->{body}{error}{code} // '?') }++
    for @{ $dep->{answers} };
is_deeply(\%st, { '200 CREDITED' => 20 }, '20 concurrent repeats: all 200 CREDITED')
    or diag(encode_json(\%st));
my %tids = map { ($_->{body}{data}{transferId} // '') => 1 } @{ $dep->{answers} };
is(scalar keys %tids, 1, '  all naming one transfer');
is(balance($w->{token}, 'TRY'), 77777, '  credited once: 777.77 (surname first, no diacritics)');
is(ledger_count("ref = 'fiat:tx:$dep->{transactionId}'"), 1, '  one ledger row');
is(psql("SELECT count(*) FROM fiat_transfers WHERE bank_tx_id = '$dep->{transactionId}'"), 1,
    '  one transfer row');
is(psql("SELECT count(*) FROM outbox o JOIN users u ON u.id = o.user_id WHERE u.public_id ="
    . " '$w->{userId}' AND o.event_type = 'deposit.confirmed'"), 1, '  one event');

# ==== every field of the callback, malformed (correctly signed) =======================
my %good = (transactionId => 'BAD-1', amount => '10.00', currency => 'TRY',
    senderName => 'Ayse Yilmaz', senderIban => iban_tr(10, 1), description => 'x');
my @bad = (
	[ transactionId => undef, 'missing' ], [ transactionId => '', 'empty' ],
	[ transactionId => 'a b', 'a space' ], [ transactionId => 'x' x 65, '65 characters' ],
	[ transactionId => 42, 'a number' ], [ transactionId => "t\xc3\xa9", 'not ASCII' ],
	[ amount => undef, 'missing' ], [ amount => 10, 'a number' ], [ amount => '10.001', '3 decimals' ],
	[ amount => '0', 'zero' ], [ amount => '-5.00', 'negative' ], [ amount => '1e3', 'an exponent' ],
	[ amount => ' 10', 'a space' ], [ amount => '010.00', 'a leading zero' ],
	[ amount => '99999999999999999999', 'out of range' ],
	[ currency => 'USD', 'not TRY' ], [ currency => undef, 'missing' ], [ currency => 'try', 'lower case' ],
	[ senderName => undef, 'missing' ], [ senderName => '', 'empty' ], [ senderName => "A\tB", 'a tab' ],
	[ senderName => '- .', 'no letters' ], [ senderName => 'A' x 257, 'too long' ],
	[ senderIban => undef, 'missing' ], [ senderIban => 'TR330006100519786457841327', 'a wrong check' ],
	[ senderIban => 'TR3300061005197864578413', 'too short for TR' ], [ senderIban => 'hello', 'no IBAN' ],
	[ description => undef, 'missing' ], [ description => 'x' x 1025, 'too long' ],
	[ description => ['x'], 'an array' ],
	[ extra => 1, 'an unknown field' ],
);
for my $b (@bad) {
	my ($f, $val, $why) = @$b;
	my %x = %good;
	if (defined $val) { $x{$f} = $val } else { delete $x{$f} }
	$r = callback_send(\%x);
	error_ok($r, 400, 'INVALID_REQUEST', "callback $f: $why");
	is($r->{json}{error}{details}{field}, $f, "  details.field $f");
}
$r = callback_send('{"transactionId":"DUP","transactionId":"DUP2"}');
error_ok($r, 400, 'INVALID_REQUEST', 'callback with a duplicate member');
$r = callback_send(encode_json({ %good, description => "a\x{0}b" }));
error_ok($r, 400, 'INVALID_REQUEST', 'callback with a NUL in a string');
$r = callback_send('[1,2]');
error_ok($r, 400, 'INVALID_REQUEST', 'callback body not an object');
$r = callback_send('{"a":');
error_ok($r, 400, 'INVALID_REQUEST', 'callback body not JSON');
{
	my $ts = int(time * 1000);
	$r = callback_send('', ts => $ts, sig => callback_sign($ts, ''));
}
error_ok($r, 400, 'INVALID_REQUEST', 'callback without a body');
$r = api(GET => '/api/v1/fiat/bank/callback');
error_ok($r, 405, 'METHOD_NOT_ALLOWED', 'GET on the callback');
is(psql("SELECT count(*) FROM fiat_transfers WHERE bank_tx_id LIKE 'BAD-%'"), 0,
    'no malformed callback recorded anything');

# ==== the review queue ============================================================
my $q = fiat_user('fiat-queue', first => 'Deniz', last => 'Kaya');
my $qd = intent($q, '1000.00')->{json}{data};
my $s0 = suspense_try();
my (%txid, %tr);
my @cases = (
	[ NO_REFERENCE => { description => 'yatirim' } ],
	[ UNKNOWN_REFERENCE => { description => 'RF' . '00' . 'HZM000000000000' =~ s/^00/00/r } ],
	[ AMBIGUOUS_REFERENCE => { description => "$qd->{referenceCode} $vd->{referenceCode}" } ],
	[ NAME_MISMATCH => { description => $qd->{referenceCode}, senderName => 'Mehmet Demir' } ],
	[ USED_REFERENCE => { description => $vd->{referenceCode}, senderName => 'Ismail Ozturk' } ],
);
# An unknown reference with valid check digits: made as hzm makes them.
{
	my $body = 'HZM' . join('', map { int rand 10 } 1 .. 12);
	my $num = join '', map { /\d/ ? $_ : ord($_) - 55 } split //, $body . 'RF00';
	my $rem = 0;
	$rem = ($rem * 10 + $_) % 97 for split //, $num;
	$cases[1][1]{description} = sprintf('RF%02d%s', 98 - $rem, $body);
}
for my $c (@cases) {
	my ($why, $o) = @$c;
	$dep = bank_deposit(amount => '123.45', senderName => 'Deniz Kaya', senderIban => iban_tr(12, 9999),
	    %$o);
	my $a = deposit_ok($dep, $why);
	is($a->{status}, 'QUEUED', "$why: answered QUEUED");
	is(transfer_row($dep->{transactionId}, 'status || \' \' || queue_reason'), "QUEUED $why",
	    "  queued with reason $why");
	$txid{$why} = $dep->{transactionId};
	$tr{$why} = $a->{transferId};
}
# An expired reference.
my $xd = intent($q, '50.00')->{json}{data};
psql("UPDATE fiat_deposits SET expires_at = now() - interval '1 minute' WHERE public_id = '$xd->{depositId}'");
$dep = bank_deposit(amount => '50.00', senderName => 'Deniz Kaya', description => $xd->{referenceCode});
is(deposit_ok($dep, 'expired')->{status}, 'QUEUED', 'an expired reference: QUEUED');
is(transfer_row($dep->{transactionId}, 'queue_reason'), 'EXPIRED_REFERENCE', '  EXPIRED_REFERENCE');
$tr{EXPIRED_REFERENCE} = $dep->{answers}[0]{body}{data}{transferId};
$r = api(GET => '/api/v1/fiat/transactions?filter_status=EXPIRED', bearer($q->{token}));
is($r->{json}{meta}{totalCount}, 1, 'the user sees the intent EXPIRED');

is(suspense_try(), $s0 + 5 * 12345 + 5000, 'the queued money is on the suspense account');
is(balance($q->{token}, 'TRY'), 0, 'the user got nothing yet');
is(ledger_count("kind = 'DEPOSIT' AND ref = 'fiat:suspense:$txid{NAME_MISMATCH}'"), 1,
    '  a DEPOSIT row for the suspense account');
my $alert = psql("SELECT severity || ' ' || type || ' ' || risk_score FROM compliance_alerts"
    . " WHERE subject = 'fiat-transfer:$tr{NAME_MISMATCH}'");
is($alert, 'MEDIUM SUSPICIOUS_PATTERN 50', 'a third-party payment raises a compliance alert');
my $others = join ', ', map { "'fiat-transfer:$tr{$_}'" } grep { $_ ne 'NAME_MISMATCH' } sort keys %tr;
is(psql("SELECT count(*) FROM compliance_alerts WHERE subject IN ($others)"),
    0, '  the other reasons do not');
# A repeat of a queued transfer: the same answer.
$again = bank_deposit(amount => '123.45', senderName => 'Deniz Kaya', senderIban => iban_tr(12, 9999),
    description => 'yatirim', transactionId => $txid{NO_REFERENCE});
is($again->{answers}[0]{body}{data}{status}, 'QUEUED', 'a queued transfer repeated: QUEUED again');
is(suspense_try(), $s0 + 5 * 12345 + 5000, '  parked once');

# The console lists and resolves them.
my $staff = bearer(admin_login());
$r = api(GET => '/api/v1/admin/fiat/queue?pageSize=500', $staff);
is($r->{status}, 200, 'GET /admin/fiat/queue') or diag($r->{body});
my %inq = map { $_->{transferId} => $_ } @{ $r->{json}{data} };
ok($inq{$tr{$_}}, "  lists the $_ transfer") for sort keys %tr;
my $item = $inq{ $tr{NAME_MISMATCH} };
is($item->{queueReason}, 'NAME_MISMATCH', '  with its reason');
is($item->{senderName}, 'Mehmet Demir', '  the sender');
is($item->{amount}, '123.45', '  the amount');
is($item->{asset}, 'TRY', '  TRY');
is($item->{depositId}, $qd->{depositId}, '  the deposit its reference names');
is($item->{depositUserId}, $q->{userId}, '  and whose it is');
ok(!$inq{ $ans->{transferId} }, '  not the credited ones');
$r = api(GET => '/api/v1/admin/fiat/queue?filter_reason=NAME_MISMATCH&pageSize=500', $staff);
ok(!(grep { $_->{queueReason} ne 'NAME_MISMATCH' } @{ $r->{json}{data} }), 'filter_reason');
$r = api(GET => '/api/v1/admin/fiat/queue?filter_status=CREDITED&pageSize=1&sort=-createdAt', $staff);
is($r->{json}{data}[0]{status}, 'CREDITED', 'filter_status=CREDITED shows credited ones');
$r = api(GET => "/api/v1/admin/fiat/queue/$tr{UNKNOWN_REFERENCE}", $staff);
is($r->{json}{data}{queueReason}, 'UNKNOWN_REFERENCE', 'GET one transfer');
for my $qs ('?filter_status=NOPE', '?filter_reason=x', '?sort=amount', '?pageSize=501', '?x=1') {
	error_ok(api(GET => "/api/v1/admin/fiat/queue$qs", $staff), 400, 'INVALID_REQUEST', "queue$qs");
}
error_ok(api(GET => '/api/v1/admin/fiat/queue/ftr_aaaaaaaaaaaaaaaaaaaa', $staff), 404, 'NOT_FOUND',
    'an unknown transfer');
error_ok(api(GET => '/api/v1/admin/fiat/queue/nonsense', $staff), 404, 'NOT_FOUND', 'a malformed id');
error_ok(api(GET => '/api/v1/admin/fiat/queue'), 401, 'UNAUTHORIZED', 'the queue without a session');
error_ok(api(GET => '/api/v1/admin/fiat/queue', bearer($q->{token})), 403, 'FORBIDDEN',
    'the queue with a user session');
error_ok(api(POST => "/api/v1/admin/fiat/queue/$tr{NAME_MISMATCH}/credit", bearer($q->{token}),
    { userId => $q->{userId}, reason => 'mine' }), 403, 'FORBIDDEN', 'a user crediting themselves');

# Credit the third party's payment to the user after all (staff checked it).
my $credit = "/api/v1/admin/fiat/queue/$tr{NAME_MISMATCH}/credit";
for my $c ([ {}, 'no fields' ], [ { userId => $q->{userId} }, 'no reason' ],
    [ { userId => $q->{userId}, reason => 'ok' }, 'a reason too short' ],
    [ { userId => $q->{userId}, reason => "a\xe2\x80\xaeb okay" }, 'a bidi control in the reason' ],
    [ { userId => $q->{userId}, reason => 'checked', note => 1 }, 'an unknown field' ],
    [ { userId => 'usr_fiatsuspenseaaaaaaaa', reason => 'checked the sender' }, 'the suspense account' ],
    [ { userId => 'usr_feeaccountaaaaaaaaaa', reason => 'checked the sender' }, 'the fee account' ]) {
	error_ok(api(POST => $credit, $staff, $c->[0]), 400, 'INVALID_REQUEST', "credit: $c->[1]");
}
error_ok(api(POST => $credit, $staff, { userId => 'usr_aaaaaaaaaaaaaaaaaaaa', reason => 'checked' }),
    404, 'NOT_FOUND', 'credit: an unknown user');
my $m1 = time - 1;
$r = api(POST => $credit, $staff, { userId => $q->{userId},
    reason => 'Sender is the spouse; documents on file' });
is($r->{status}, 200, 'credit the queued transfer to the user') or diag($r->{body});
is($r->{json}{data}{status}, 'CREDITED', '  CREDITED');
is($r->{json}{data}{creditedUserId}, $q->{userId}, '  to the user');
like($r->{json}{data}{resolvedBy} // '', qr/admin\@example\.com/, '  by the admin');
is($r->{json}{data}{answer}, 'QUEUED', "  the bank's answer stays what it was");
is(balance($q->{token}, 'TRY'), 12345, 'the user has the 123.45');
is(suspense_try(), $s0 + 4 * 12345 + 5000, 'the suspense account gave it');
is(ledger_count("ref = 'fiat:tx:$txid{NAME_MISMATCH}' AND kind = 'DEPOSIT'"), 1, '  a DEPOSIT for the user');
is(ledger_count("ref = 'fiat:tx:$txid{NAME_MISMATCH}' AND kind = 'ADJUSTMENT'"), 1, '  out of suspense');
is(psql("SELECT status FROM fiat_deposits WHERE public_id = '$qd->{depositId}'"), 'COMPLETED',
    "  the user's intent it named is completed");
is(psql("SELECT action || ' ' || reason FROM audit_log WHERE event_type = 'FIAT_REVIEW'"
    . " AND target_ref = '$tr{NAME_MISMATCH}'"), 'CREDITED Sender is the spouse; documents on file',
    'audited, with the reason');
is(psql("SELECT count(*) FROM audit_verify()"), 0, 'the audit chain holds');
$mail = mail_for($q->{email}, $m1, qr/credited/);
ok($mail, 'the user is told by mail');
$r = api(POST => $credit, $staff, { userId => $q->{userId}, reason => 'again, by mistake' });
error_ok($r, 409, 'CONFLICT', 'credit twice');
is($r->{json}{error}{details}{status}, 'CREDITED', '  it is CREDITED');
is(balance($q->{token}, 'TRY'), 12345, '  nothing more');
# A transfer with no intent of the user's: a deposit recorded for it.
$r = api(POST => "/api/v1/admin/fiat/queue/$tr{NO_REFERENCE}/credit", $staff,
    { userId => $q->{userId}, reason => 'Customer called, forgot the reference' });
is($r->{status}, 200, 'credit a transfer without a reference') or diag($r->{body});
my $cd = $r->{json}{data}{creditedDepositId};
like($cd, qr/^fdp_/, '  a deposit recorded for it');
$r = api(GET => '/api/v1/fiat/transactions?filter_type=DEPOSIT&filter_status=COMPLETED', bearer($q->{token}));
ok((grep { $_->{transactionId} eq $cd && !defined $_->{referenceCode} } @{ $r->{json}{data} }),
    '  the user sees it, without a reference');

# Send the unknown one back to its sender, by payout.
my $ret = "/api/v1/admin/fiat/queue/$tr{UNKNOWN_REFERENCE}/return";
error_ok(api(POST => $ret, $staff, {}), 400, 'INVALID_REQUEST', 'return without a reason');
$r = api(POST => $ret, $staff, { reason => 'No customer of ours; back to the sender' });
is($r->{status}, 202, 'return the transfer') or diag($r->{body});
is($r->{json}{data}{status}, 'RETURNING', '  RETURNING');
my $rid = $r->{json}{data}{returnId};
like($rid, qr/^fwd_[a-z2-7]{20}$/, '  a payout for it');
is(psql("SELECT kind || ' ' || status || ' ' || iban || ' ' || amount::numeric(38,2) FROM fiat_withdrawals"
    . " WHERE public_id = '$rid'"), 'RETURN PROCESSING ' . iban_tr(12, 9999) . ' 123.45',
    "  to the sender's IBAN, the amount");
error_ok(api(POST => $ret, $staff, { reason => 'once more please' }), 409, 'CONFLICT', 'return twice');
error_ok(api(POST => "/api/v1/admin/fiat/queue/$tr{UNKNOWN_REFERENCE}/credit", $staff,
    { userId => $q->{userId}, reason => 'changed my mind' }), 409, 'CONFLICT', 'credit one being returned');
invariant_ok('a return locked');
my $s1 = suspense_try();
my ($rc, $out) = payout_run();
is($rc, 0, 'cron-payout runs') or diag($out);
my $key = psql("SELECT idempotency_key FROM fiat_withdrawals WHERE public_id = '$rid'");
my $bp = bank_payout($key);
ok($bp, 'the bank got the return');
is($bp->{amount}, '123.45', '  its amount');
is($bp->{iban}, iban_tr(12, 9999), "  to the sender's IBAN");
is($bp->{name}, 'Deniz Kaya', '  in their name');
is($bp->{status}, 'COMPLETED', '  paid');
is(psql("SELECT status FROM fiat_transfers WHERE public_id = '$tr{UNKNOWN_REFERENCE}'"), 'RETURNED',
    'the transfer is RETURNED');
is(ledger_count("ref = 'fiat:$rid' AND kind = 'RETURN'"), 1, 'a RETURN ledger row');
is(suspense_try(), $s1 - 12345, 'the suspense account no longer holds it');
is(psql("SELECT string_agg(action, ',' ORDER BY id) FROM audit_log WHERE event_type = 'FIAT_REVIEW'"
    . " AND target_ref = '$tr{UNKNOWN_REFERENCE}'"), 'RETURN_REQUESTED,RETURNED', 'audited both steps');

# A return the bank refuses: the transfer is back in the queue, the money on suspense.
bank_fault(mode => 'reject', iban => iban_tr(12, 9999), reason => 'ACCOUNT_CLOSED');
$r = api(POST => "/api/v1/admin/fiat/queue/$tr{USED_REFERENCE}/return", $staff,
    { reason => 'Paid twice; send the second back' });
is($r->{status}, 202, 'return another') or diag($r->{body});
$rid = $r->{json}{data}{returnId};
$s1 = suspense_try();
($rc, $out) = payout_run();
is(psql("SELECT status || ' ' || status_reason FROM fiat_withdrawals WHERE public_id = '$rid'"),
    'FAILED ACCOUNT_CLOSED', 'the bank refused it: FAILED');
is(psql("SELECT status FROM fiat_transfers WHERE public_id = '$tr{USED_REFERENCE}'"), 'QUEUED',
    '  the transfer is QUEUED again');
like(psql("SELECT resolution_note FROM fiat_transfers WHERE public_id = '$tr{USED_REFERENCE}'"),
    qr/return failed: ACCOUNT_CLOSED/, '  with why');
is(ledger_count("ref = 'fiat:$rid' AND kind = 'WITHDRAWAL_UNLOCK'"), 1, '  unlocked once');
is(suspense_try(), $s1, '  the money still on suspense');

# ==== deposit requests refused ========================================================
my $z = new_user('fiat-l0');
error_ok(api(POST => '/api/v1/fiat/deposit', bearer($z->{access}), { amount => '100.00' }), 403,
    'KYC_REQUIRED', 'a LEVEL_0 user');
psql("UPDATE users SET kyc_level = 2 WHERE public_id = '$z->{userId}'");
$r = api(POST => '/api/v1/fiat/deposit', bearer($z->{access}), { amount => '100.00' });
error_ok($r, 403, 'KYC_REQUIRED', 'LEVEL_2 without a verified name on record');
# §12.2's "Full KYC" sandbox user starts flow §11.2 as one who went through §11.1.
$r = api(POST => '/api/v1/fiat/deposit', bearer(token('test.level2@example.com')), { amount => '10000.00' });
is($r->{status}, 201, 'the sandbox LEVEL_2 user asks for a bank deposit') or diag($r->{body});
like($r->{json}{data}{iban} // '', qr/^TR/, '  and gets the IBAN to pay into');
error_ok(api(POST => '/api/v1/fiat/deposit', {}, { amount => '100.00' }), 401, 'UNAUTHORIZED',
    'no session');
for my $c ([ {}, 'amount', 'no amount' ], [ { amount => 100 }, 'amount', 'a number' ],
    [ { amount => '100.001' }, 'amount', '3 decimals' ], [ { amount => '-1' }, 'amount', 'negative' ],
    [ { amount => '0.00' }, 'amount', 'zero' ], [ { amount => '9.99' }, 'amount', 'below fiat_deposit_min' ],
    [ { amount => '10000000.01' }, 'amount', 'above fiat_deposit_max' ],
    [ { amount => 'abc' }, 'amount', 'not a number' ], [ { amount => '' }, 'amount', 'empty' ],
    [ { amount => '100', iban => 'x' }, 'iban', 'an unknown field' ]) {
	$r = intent($v, @{ [ $c->[0]{amount} ] }) if 0;
	$r = api(POST => '/api/v1/fiat/deposit', bearer($v->{token}), $c->[0]);
	error_ok($r, 400, 'INVALID_REQUEST', "deposit: $c->[2]");
	is($r->{json}{error}{details}{field}, $c->[1], "  details.field $c->[1]");
}
# fiat_deposit_open_max (10) open requests at once.
my $o = fiat_user('fiat-open');
intent($o, '10.00') for 1 .. 10;
$r = intent($o, '10.00');
error_ok($r, 400, 'LIMIT_EXCEEDED', 'an eleventh open request');
is($r->{json}{error}{details}{limit}, 10, '  details.limit');
psql("UPDATE fiat_deposits d SET expires_at = now() - interval '1 second' FROM users u"
    . " WHERE u.id = d.user_id AND u.public_id = '$o->{userId}' AND d.id = (SELECT min(id)"
    . " FROM fiat_deposits WHERE user_id = u.id)");
is(intent($o, '10.00')->{status}, 201, 'one expired: room for another');

# ==== the history's parameters =========================================================
for my $qs ('?filter_type=NOPE', '?filter_status=x', '?sort=-amount', '?page=0', '?foo=1',
    '?filter_type=DEPOSIT&filter_type=WITHDRAWAL') {
	error_ok(api(GET => "/api/v1/fiat/transactions$qs", bearer($u->{token})), 400,
	    'INVALID_REQUEST', "transactions$qs");
}
$r = api(GET => '/api/v1/fiat/transactions?sort=%2BcreatedAt&pageSize=1&filter_type=DEPOSIT',
    bearer($u->{token}));
is($r->{json}{data}[0]{transactionId}, $d->{depositId}, 'oldest first');
is($r->{json}{meta}{totalPages}, 2, '  paged');
like($r->{json}{links}{next} // '', qr/filter_type=DEPOSIT/, '  links keep the filter');
error_ok(api(GET => '/api/v1/fiat/transactions'), 401, 'UNAUTHORIZED', 'the history without a session');

invariant_ok('after the fiat deposits');
done_testing;
