# tests/api/69_flow_deposit_trade_withdraw.t — flow §11.2 end to end: a new customer registers, is verified, pays TRY in by bank transfer, buys BTC at market, turns 2FA on and withdraws BTC to the chain; balances and the ledger checked at each step
use strict;
use warnings;
use Test::More;
use JSON::PP;
use Math::BigInt;
use Time::HiRes qw(time sleep);
use Hzm;
use HzmTrade;
use HzmBank;
use HzmChain;
use HzmWithdraw;
use HzmImages;

plan skip_all => 'no stand-in bank in this stack'
    unless -s "$ENV{HZM_VAR}/bank/bank.conf" && bank_alive();
plan skip_all => 'no stand-in Bitcoin node in this stack'
    unless -s "$ENV{HZM_VAR}/bitcoind/bitcoin.conf" && btc_alive();
plan skip_all => 'cron-withdraw not built' unless -x "$ENV{HZM_VAR}/bin/cron-withdraw";

mc_flush();
bank_reset();
worker_pause();
# The sandbox's node started with coins of its own (scripts/stack), mined.
my ($premine) = grep { ($_->{label} // '') eq 'hot' && $_->{category} eq 'receive'
    && $_->{amount} == 100 } @{ btc('listtransactions', '*', 1000) };
ok($premine && $premine->{confirmations} >= 1,
    'the sandbox node holds 100 BTC of its own, confirmed');
fund_node(5);

my $iso = qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
my %SCALE = (TRY => 2, BTC => 8);

# What the API shows of an asset ("available locked") and what the
# user's ledger rows add up to: the two must be one.
sub shown {
	my ($u, $asset) = @_;
	my $b = balances($u->{token})->{$asset} // { available => fmt(0, $SCALE{$asset}),
	    locked => fmt(0, $SCALE{$asset}) };
	return "$b->{available} $b->{locked}";
}
sub ledger_sum {
	my ($u, $asset) = @_;
	my $s = $SCALE{$asset};
	return psql("SELECT coalesce(sum(l.delta_available), 0)::numeric(38,$s) || ' ' ||"
	    . " coalesce(sum(l.delta_locked), 0)::numeric(38,$s) FROM ledger l JOIN users u"
	    . " ON u.id = l.user_id WHERE u.public_id = '$u->{userId}' AND l.asset = '$asset'");
}
# The step's expected "available locked" of each asset, shown and in the
# ledger, and money conserved across the platform.
sub step_ok {
	my ($u, $name, %want) = @_;
	for my $a (sort keys %want) {
		is(shown($u, $a), $want{$a}, "$name: $a available and locked $want{$a}");
		is(ledger_sum($u, $a), $want{$a}, "$name: $a ledger rows add up to it");
	}
	invariant_ok($name);
}
# The user's ledger rows of a kind: "ASSET delta_available delta_locked ref".
sub ledger_rows {
	my ($u, $where) = @_;
	return [split /\n/, psql("SELECT l.asset || ' ' || l.delta_available::numeric(38,8)"
	    . " || ' ' || l.delta_locked::numeric(38,8) || ' ' || coalesce(l.ref, '')"
	    . " FROM ledger l JOIN users u ON u.id = l.user_id WHERE u.public_id ="
	    . " '$u->{userId}' AND $where ORDER BY l.id")];
}

# ==== 1. register, verify the e-mail address ======================================
my $phone = '+90555' . sprintf('%07d', int rand 1e7);
my $u = new_user('flow112', phone => $phone);
$u->{token} = $u->{access};
my $r = api(GET => '/api/v1/users/profile', bearer($u->{token}));
is($r->{status}, 200, 'profile') or diag($r->{body});
ok($r->{json}{data}{emailVerified}, 'the e-mail address is verified (by the code mailed)');
is($r->{json}{data}{phoneNumber}, $phone, 'the phone number given at registration is on record');
is($r->{json}{data}{kycLevel}, 'LEVEL_0', 'LEVEL_0 before KYC');
my $b = balances($u->{token});
ok(keys %$b && !grep({ $_->{total} !~ /^0\.0+$/ || $_->{locked} !~ /^0\.0+$/ } values %$b),
    'a new account holds nothing of any asset') or diag(explain($b));
is(psql("SELECT count(*) FROM ledger l JOIN users u ON u.id = l.user_id"
    . " WHERE u.public_id = '$u->{userId}'"), '0', '  and has no ledger row');

# Before KYC: no bank transfer, no trading.
$r = api(POST => '/api/v1/fiat/deposit', bearer($u->{token}), { amount => '10000.00' });
error_ok($r, 403, 'KYC_REQUIRED', 'a TRY deposit before KYC');

# ==== 2. KYC, approved by staff through the admin API ================================
$r = api(POST => '/api/v1/kyc/submit', bearer($u->{token}),
    kyc_body(firstName => 'Ayse', lastName => 'Yilmaz'));
is($r->{status}, 201, 'KYC submitted') or diag(substr($r->{body}, 0, 300));
my $kyc = $r->{json}{data}{kycId};
my $admin = bearer(admin_login());
$r = api(GET => '/api/v1/admin/kyc/pending?pageSize=100', $admin);
ok((grep { $_->{kycId} eq $kyc } @{ $r->{json}{data} // [] }), 'staff see it pending');
$r = api(POST => "/api/v1/admin/kyc/$kyc/approve", $admin, { level => 'LEVEL_2',
    note => 'documents match' });
is($r->{status}, 200, 'staff approve it at LEVEL_2') or diag($r->{body});
is($r->{json}{data}{userKycLevel}, 'LEVEL_2', '  the user is LEVEL_2');
$r = api(GET => '/api/v1/kyc/status', bearer($u->{token}));
is($r->{json}{data}{status}, 'APPROVED', 'GET /kyc/status: APPROVED');
is($r->{json}{data}{level}, 'LEVEL_2', '  LEVEL_2');
ok(units($r->{json}{data}{limits}{dailyWithdrawal}{limit}, 2) > 0, '  withdrawals allowed');

# ==== 3. TRY in: a reference, the bank's signed callback ==============================
$r = api(POST => '/api/v1/fiat/deposit', bearer($u->{token}), { amount => '10000.00' });
is($r->{status}, 201, 'POST /fiat/deposit 10000.00: 201') or diag($r->{body});
my $dep = $r->{json}{data};
is($dep->{iban}, $SANDBOX_IBAN, "  pay into the platform's IBAN");
like($dep->{referenceCode}, qr/^RF\d\dHZM\d{12}$/, '  with a reference code');
is($dep->{status}, 'PENDING', '  PENDING');
step_ok($u, 'a deposit requested, nothing paid yet', TRY => '0.00 0.00');

my $tx = bank_deposit(amount => '10000.00', senderName => 'AYSE YILMAZ',
    senderIban => iban_tr(62, 112), description => "Yatirim $dep->{referenceCodeDisplay}");
my $ans = $tx->{answers}[0];
is($ans->{status}, 200, "the bank's signed callback: 200") or diag(encode_json($ans));
is($ans->{body}{data}{status}, 'CREDITED', '  CREDITED');
$r = api(GET => '/api/v1/fiat/transactions', bearer($u->{token}));
my ($fx) = grep { ($_->{transactionId} // '') eq $dep->{depositId} } @{ $r->{json}{data} // [] };
is($fx && $fx->{status}, 'COMPLETED', 'the deposit is COMPLETED in the TRY history')
    or diag($r->{body});
step_ok($u, 'TRY credited', TRY => '10000.00 0.00');
is_deeply(ledger_rows($u, "l.asset = 'TRY'"),
    ["TRY 10000.00000000 0.00000000 fiat:tx:$tx->{transactionId}"],
    "one DEPOSIT ledger row, keyed by the bank's transaction id");

# ==== 4. a market buy of 0.005 BTC against a resting ask ==============================
my $price = market_price('BTCTRY', '1850000.00');
my $seller = trader('flow112-seller', BTC => 1);
$r = place($seller->{token}, { symbol => 'BTCTRY', side => 'SELL', type => 'LIMIT',
    quantity => '0.01000000', price => $price, timeInForce => 'GTC' });
is($r->{status}, 201, "another user's ask rests: 0.01 BTC at $price") or diag($r->{body});
my $ask = $r->{json}{data}{orderId};
my $fee_try0 = fee_balance('TRY');
$r = place($u->{token}, { symbol => 'BTCTRY', side => 'BUY', type => 'MARKET',
    quantity => '0.00500000' });
is($r->{status}, 201, 'market buy of 0.005 BTC: 201') or diag($r->{body});
my $buy = $r->{json}{data};
is($buy->{status}, 'FILLED', '  FILLED');
is($buy->{executedQuantity}, '0.00500000', '  0.005 BTC bought');
my $quote = units($buy->{cumulativeQuoteQuantity}, 2);
my $fee = units($buy->{fee}{amount}, 2);
is($buy->{fee}{currency}, 'TRY', '  the taker fee in TRY');
my $q = Math::BigInt->new(0);
$q += units($_->{quoteQuantity}, 2) for @{ $buy->{fills} };
is($q, $quote, '  its fills add up to what it cost');
ok(!grep({ units($_->{price}, 2) > units($price, 2) } @{ $buy->{fills} }),
    '  no fill above the resting ask');
my $want_fee = Math::BigInt->new(0);
$want_fee += units($_->{quoteQuantity}, 2) * 2 / 1000 for @{ $buy->{fills} };
is($fee, $want_fee, '  the fee is 0.2% of each fill\'s cost, rounded down to 0.01');
ok($quote + $fee <= 1000000, "  within the 10000.00 TRY paid in");
wait_matcher();
step_ok($u, 'BTC bought', TRY => fmt(1000000 - $quote - $fee, 2) . ' 0.00',
    BTC => '0.00500000 0.00000000');
is(fee_balance('TRY') - $fee_try0 >= $fee, 1, 'the fee account got the taker fee (and the maker\'s)');
my $trades = ledger_rows($u, "l.kind = 'TRADE'");
is(scalar @$trades, 2 * @{ $buy->{fills} }, 'two TRADE ledger rows of the buyer per fill');
cancel($seller->{token}, $ask);

# ==== 5. BTC out: 2FA first =============================================================
my $addr = foreign_address();
$r = withdraw_raw($u, { amount => '0.004', address => $addr, twoFactorCode => '123456' });
error_ok($r, 403, 'FORBIDDEN', 'a withdrawal without 2FA');
$u->{secret} = twofa_on($u);
$r = api(GET => '/api/v1/users/profile', bearer($u->{token}));
ok($r->{json}{data}{twoFactorEnabled}, '2FA enabled');
step_ok($u, 'refusals move nothing', BTC => '0.00500000 0.00000000');

# Step 6 of the flow: staff approve a withdrawal over the user's limit.
# The console sets this user's daily limit between 1/2 and 3/4 of what
# 0.004 BTC is worth at the last trade price, so the request waits for
# one approval (OVER_DAILY_LIMIT; withdraw_limit_review_pct allows up to
# twice the limit with approval).
my $last = psql("SELECT last_price::numeric(38,2) FROM matcher_state WHERE symbol = 'BTCTRY'");
my $value = units($last, 2) * 4 / 1000;
my $limit = fmt($value * 3 / 4, 2);
$r = api(PUT => "/api/v1/admin/users/$u->{userId}/limits", $admin, { dailyWithdrawal => $limit,
    monthlyWithdrawal => fmt($value * 10, 2), dailyTrading => '1000000.00',
    reason => 'new account: first withdrawals reviewed' });
is($r->{status}, 200, "staff set the daily withdrawal limit to $limit TRY") or diag($r->{body});

my $t0 = time;
$r = withdraw($u, { amount => '0.004', address => $addr });
is($r->{status}, 201, 'POST /wallets/BTC/withdraw 0.004 with a 2FA code: 201') or diag($r->{body});
my $w = $r->{json}{data};
my $id = $w->{withdrawalId};
like($id, qr/^wdr_[a-z2-7]{20}$/, '  withdrawalId');
is($w->{amount}, '0.00400000', '  amount');
my $wfee = units($w->{fee}, 8);
my $locked = units('0.004', 8) + $wfee;
step_ok($u, 'withdrawal requested', BTC => fmt(units('0.005', 8) - $locked, 8) . ' '
    . fmt($locked, 8));
is_deeply(ledger_of($id), ["WITHDRAWAL_LOCK $u->{userId} -" . fmt($locked, 8) . ' '
    . fmt($locked, 8)], 'the amount and its fee locked by one ledger row');

# ==== 6. staff approval: over the daily limit =========================================
my $row = withdrawal_row($id, qw(status review_reasons approvals_required));
is($w->{status}, 'PENDING_APPROVAL', 'it waits for staff') or diag(explain($row));
like($row->{review_reasons}, qr/OVER_DAILY_LIMIT/, "  over the daily limit ($row->{review_reasons})");
is($row->{approvals_required}, '1', '  one approval (worth less than withdraw_dual_approval_try)');
$r = api(GET => '/api/v1/admin/withdrawals/pending?pageSize=500', $admin);
my ($p) = grep { $_->{withdrawalId} eq $id } @{ $r->{json}{data} // [] };
ok($p, 'staff see it in the pending list') or diag($r->{body});
{
	# The worker leaves a request waiting for staff alone.
	my ($rc, $out) = worker_run();
	is($rc, 0, 'cron-withdraw before the approval: exit 0') or diag($out);
	is(withdrawal_row($id, 'status')->{status}, 'PENDING_APPROVAL', '  nothing sent');
}
$r = api(POST => "/api/v1/admin/withdrawals/$id/approve", $admin,
    { reason => 'Funds from a verified bank transfer', reviewedDocuments => ['kyc_doc'] });
is($r->{status}, 200, 'staff approve it') or diag($r->{body});
is($r->{json}{data}{status}, 'PENDING_SIGNATURE', '  PENDING_SIGNATURE');
step_ok($u, 'approved, not sent', BTC => fmt(units('0.005', 8) - $locked, 8) . ' '
    . fmt($locked, 8));

# ==== 7. the worker broadcasts; the node confirms ======================================
sub status_of {
	my $r = api(GET => '/api/v1/wallets/withdrawals?pageSize=500', bearer($u->{token}));
	my ($x) = grep { $_->{withdrawalId} eq $id } @{ $r->{json}{data} // [] };
	return $x // {};
}
my ($rc, $out) = worker_run();
is($rc, 0, 'cron-withdraw: exit 0') or diag($out);
like($out, qr/sent 1\b/, '  one payment sent');
my $s = status_of();
is($s->{status}, 'PROCESSING', 'GET /wallets/withdrawals: PROCESSING');
like($s->{txHash} // '', qr/^[0-9a-f]{64}$/, '  with its txHash');
is($s->{completedAt}, undef, '  not completed');
my $chain = btc('gettransaction', $s->{txHash});
is($chain->{details}[0]{address}, $addr, 'the node paid the address');
is(sprintf('%.8f', -$chain->{details}[0]{amount}), '0.00400000', '  0.004 BTC');
step_ok($u, 'sent, confirming', BTC => fmt(units('0.005', 8) - $locked, 8) . ' '
    . fmt($locked, 8));

my $need = $s->{requiredConfirmations};
ok($need >= 1, "$need confirmations needed");
btc('test_mine', $need - 1);
($rc, $out) = worker_run();
is(status_of()->{status}, 'PROCESSING', ($need - 1) . ' confirmations: still PROCESSING');
btc('test_mine', 1);
($rc, $out) = worker_run();
is($rc, 0, 'cron-withdraw after the last confirmation: exit 0') or diag($out);
$s = status_of();
is($s->{status}, 'COMPLETED', 'COMPLETED');
is($s->{confirmations}, $need, "  $need confirmations");
like($s->{txHash}, qr/^[0-9a-f]{64}$/, '  txHash');
like($s->{completedAt} // '', $iso, '  completedAt');
step_ok($u, 'completed', TRY => fmt(1000000 - $quote - $fee, 2) . ' 0.00',
    BTC => fmt(units('0.005', 8) - $locked, 8) . ' 0.00000000');
is_deeply(ledger_of($id), [
	"WITHDRAWAL_LOCK $u->{userId} -" . fmt($locked, 8) . ' ' . fmt($locked, 8),
	"WITHDRAWAL $u->{userId} 0.00000000 -0.00400000",
	"FEE $u->{userId} 0.00000000 -" . fmt($wfee, 8),
	"FEE $FEE_ID " . fmt($wfee, 8) . ' 0.00000000',
], 'the ledger: lock, WITHDRAWAL and FEE from locked, the fee credited');
my $m = mail_for($u->{email}, $t0, qr/complete/);
ok($m, 'the user is mailed it is complete')
    or diag($m ? $m->{headers}{subject} : 'no mail');
is(scalar @{ sends_of($id) }, 1, 'paid once');

worker_resume();
done_testing;
