# tests/api/57_reports.t — the trading report against figures computed by hand from a scripted day of trades, and MASAK's: cases with their deadline in business days, filed or dismissed and audited, CSV; roles
use strict;
use warnings;
use Test::More;
use Math::BigInt;
use POSIX qw(strftime);
use Hzm;
use HzmTrade;
use HzmImages;

mc_flush();

my $A = bearer(admin_login());
my $sup = staff('SUPPORT');
my $S = bearer($sup->{token});
my $SYM = 'BTCTRY';	# ETHTRY's 24-hour figures are 73_market_data's own

# --- a scripted trading day: three trades between three known users ----------------------
my $a = trader('rep_a', TRY => 1000000, BTC => 10);
my $b = trader('rep_b', TRY => 1000000, BTC => 10);
my $c = trader('rep_c', TRY => 1000000, BTC => 10);
cancel_open($_->{token}) for $a, $b, $c;
my $m = api(GET => "/api/v1/admin/markets/$SYM", $A)->{json}{data};
my ($mk, $tk) = map { Math::BigInt->new(units($_, 6)) } @{$m}{qw(makerFee takerFee)};
# A round price near the market's, so every amount is exact in TRY.
my $p0 = units(market_price($SYM, '1850000.00'), 2) / 10000 * 10000;
my @P = map { Math::BigInt->new($_) } ($p0, $p0 + 10000, $p0);		# hundredths of TRY
my @Q = map { Math::BigInt->new($_) } (1000000, 500000, 200000);	# 0.01, 0.005, 0.002 BTC in 1e-8
my @who = ([$a, $b], [$c, $b], [$b, $a]);	# [maker (sells), taker (buys)]
my $t0 = strftime('%Y-%m-%dT%H:%M:%SZ', gmtime(time - 1));
for my $i (0 .. 2) {
	my ($mkr, $tkr) = @{$who[$i]};
	my %o = (symbol => $SYM, type => 'LIMIT', timeInForce => 'GTC',
	    price => fmt($P[$i], 2), quantity => fmt($Q[$i], 8));
	my $r = place($mkr->{token}, { %o, side => 'SELL' });
	is($r->{status}, 201, "trade $i: the maker's sell rests") or diag($r->{body});
	$r = place($tkr->{token}, { %o, side => 'BUY' });
	is($r->{json}{data}{status}, 'FILLED', "trade $i: the taker's buy fills") or diag($r->{body});
}
sleep 1;
my $t1 = strftime('%Y-%m-%dT%H:%M:%SZ', gmtime(time + 1));
my $day = strftime('%Y-%m-%d', gmtime);

# By hand: quote = price x qty; fees in TRY, rounded down to 0.01.
my (@quote, @mfee, @tfee);
for my $i (0 .. 2) {
	$quote[$i] = Math::BigInt->new($P[$i]) * $Q[$i] / 100000000;
	$mfee[$i] = $quote[$i] * $mk / 1000000;
	$tfee[$i] = $quote[$i] * $tk / 1000000;
}
my $sum = sub { my $s = Math::BigInt->new(0); $s += $_ for @_; $s };

my $r = api(GET => "/api/v1/admin/reports/trading?from=$t0&to=$t1&symbol=$SYM", $A);
is($r->{status}, 200, 'the trading report') or diag($r->{body});
my @rows = @{$r->{json}{data}{rows}};
is(scalar @rows, 1, 'one market, one day');
is_deeply($rows[0], {
	period => $day, symbol => $SYM, tradeCount => 3, volume => '0.01700000',
	quoteVolume => fmt($sum->(@quote), 2), feesBase => '0.00000000', baseAsset => 'BTC',
	feesQuote => fmt($sum->(@mfee, @tfee), 2), quoteAsset => 'TRY', uniqueTraders => 3,
}, 'volume, trades, fees earned and traders as computed by hand') or diag(explain($rows[0]));

$r = api(GET => "/api/v1/admin/reports/trading?from=$t0&to=$t1&symbol=$SYM&period=month", $A);
is($r->{json}{data}{rows}[0]{period}, substr($day, 0, 7), 'by month');
is($r->{json}{data}{rows}[0]{tradeCount}, 3, 'the same trades');

$r = api(GET => "/api/v1/admin/reports/trading?from=$t0&to=$t1&symbol=$SYM&groupBy=user", $A);
my %u = map { $_->{userId} => $_ } @{$r->{json}{data}{rows}};
is(scalar keys %u, 3, 'a row per user');
my %want = (
	$a->{userId} => [2, $Q[0] + $Q[2], $quote[0] + $quote[2], $mfee[0] + $tfee[2]],
	$b->{userId} => [3, $Q[0] + $Q[1] + $Q[2], $sum->(@quote), $tfee[0] + $tfee[1] + $mfee[2]],
	$c->{userId} => [1, $Q[1], $quote[1], $mfee[1]],
);
for my $id (sort keys %want) {
	my $w = $want{$id};
	is_deeply([@{$u{$id}}{qw(tradeCount volume quoteVolume feesQuote)}],
	    [$w->[0], fmt($w->[1], 8), fmt($w->[2], 2), fmt($w->[3], 2)], "user $id: trades, volume, fees paid");
}

$r = api(GET => "/api/v1/admin/reports/trading?from=$t0&to=$t1&symbol=$SYM&format=csv", $A);
like($r->{headers}{'content-type'}, qr{^text/csv}, 'CSV');
my @l = split /\r\n/, $r->{body};
is($l[0], 'period,symbol,tradeCount,volume,quoteVolume,feesBase,baseAsset,feesQuote,quoteAsset,uniqueTraders', 'its header');
is($l[1], join(',', $day, $SYM, 3, '0.01700000', fmt($sum->(@quote), 2), '0.00000000', 'BTC',
    fmt($sum->(@mfee, @tfee), 2), 'TRY', 3), 'its row');
$r = api(GET => "/api/v1/admin/reports/trading?from=$t0&to=$t1&symbol=$SYM&groupBy=user",
    { %$A, Accept => 'text/csv' });
is(scalar(split /\r\n/, $r->{body}), 4, 'per user, by Accept: text/csv');
$r = api(GET => "/api/v1/admin/reports/trading?from=2001-01-01&to=2001-01-02", $A);
is_deeply($r->{json}{data}{rows}, [], 'a day without trades');
for my $q ('period=week', 'groupBy=asset', 'from=today', 'symbol=x', 'format=xls', 'bogus=1') {
	error_ok(api(GET => "/api/v1/admin/reports/trading?$q", $A), 400, 'INVALID_REQUEST', "refused: $q");
}
is($r->{headers}{'x-ratelimit-limit'}, 1000, 'the reports rate limit (100/min at the sandbox scale)');

# --- MASAK: cases from alerts, with their deadline -------------------------------------------
my $cust = new_user('rep_cust');
my $k = api(POST => '/api/v1/kyc/submit', bearer($cust->{access}), kyc_body());
is($k->{status}, 201, 'the customer has a KYC application');
# Withdrawals worth 15,000.00 TL (the threshold: listed) and 14,999.99 (not).
my %wd;
for (['big', '15000.00'], ['small', '14999.99']) {
	my ($tag, $v) = @$_;
	$wd{$tag} = 'wdr_' . substr("masak${tag}" . ('a' x 20), 0, 20);
	# REJECTED: a withdrawal that holds no funds, so the ledger's invariant stands.
	psql("INSERT INTO withdrawals (public_id, user_id, asset, network, address, amount, fee, value_try,"
	    . " status, reject_reason, risk_score, required_confirmations) SELECT '$wd{$tag}', id, 'BTC', 'BTC',"
	    . " 'bcrt1qtravelrule$tag', 0.01, 0.0001, $v, 'REJECTED', 'test', 70, 3 FROM users"
	    . " WHERE public_id = '$cust->{userId}'");
}
is(psql("SELECT count(*) FROM withdrawals WHERE public_id LIKE 'wdr_masak%'"), 2, 'two withdrawals');
my %alert;
# Wednesday 19 November 2025: ten business days end Wednesday 3 December;
# Friday 21 November: Friday 5 December. A LOW alert is no case.
for (['wed', 'HIGH', '2025-11-19 10:00:00+00'], ['fri', 'CRITICAL', '2025-11-21 12:00:00+00'],
    ['low', 'LOW', '2025-11-19 10:00:00+00']) {
	my ($tag, $sev, $at) = @$_;
	my $id = 'alt_' . substr("masak${tag}" . ('a' x 20), 0, 20);
	my $subj = $tag eq 'wed' ? $wd{big} : "wdr_$tag";	# one subject per alert type
	psql("INSERT INTO compliance_alerts (public_id, user_id, severity, type, risk_score, subject, details, created_at)"
	    . " SELECT '$id', id, '$sev', 'STRUCTURING', 88, 'withdrawal:$subj', "
	    . " jsonb_build_object('factors', jsonb_build_array(jsonb_build_object('factor', 'STRUCTURING',"
	    . " 'points', 40)), 'reason', 'split deposits'), '$at'"
	    . " FROM users WHERE public_id = '$cust->{userId}'");
	$alert{$tag} = $id;
}
$r = api(GET => '/api/v1/admin/reports/masak', $A);
is($r->{status}, 200, 'the MASAK report') or diag($r->{body});
my %case = map { $_->{caseId} => $_ } @{$r->{json}{data}{cases}};
ok(!$case{$alert{low}}, 'a LOW alert is no case');
my $w = $case{$alert{wed}};
ok($w, 'a HIGH alert is a case');
is($w->{deadline}, '2025-12-03', 'Wednesday + 10 business days: Wednesday 3 December');
is($case{$alert{fri}}{deadline}, '2025-12-05', 'Friday + 10 business days: Friday 5 December');
is($w->{status}, 'DRAFT', 'a draft');
ok($w->{overdue}, 'past its deadline');
is($w->{riskScore}, 88, 'the score');
is($w->{factors}[0]{factor}, 'STRUCTURING', 'the factors');
is($w->{alertType}, 'STRUCTURING', 'the reason');
is($w->{customer}{userId}, $cust->{userId}, 'the customer');
is($w->{customer}{firstName}, 'Ayse', 'identity from KYC');
is($w->{customer}{nationality}, 'TR', 'nationality');
is_deeply([@{$w->{transactions}[0]}{qw(type id asset amount)}], ['withdrawal', $wd{big}, 'BTC', '0.01000000'],
    'the transaction');
is($w->{customer}{idNumber}, '10000000146', 'the identity number, opened');
is(psql("SELECT count(*) FROM audit_log WHERE event_type = 'MASAK_REPORT_VIEW'"
    . " AND actor_user_id = (SELECT id FROM users WHERE public_id = 'usr_sandboxadminaaaaaaaa')"
    . " AND details->'caseIds' ? '$alert{wed}'"), 1, 'reading the report is audited, with the cases read');
my @tr = grep { $_->{id} =~ /^wdr_masak/ } @{$r->{json}{data}{travelRule}};
is_deeply([map { [$_->{id}, $_->{valueTry}, $_->{userId}] } @tr], [[$wd{big}, '15000.00', $cust->{userId}]],
    'travel rule: at 15,000 TL listed, below not');
is($r->{json}{data}{travelRuleThresholdTry}, '15000.00', 'at 15,000 TL');

my $P = sub { api(POST => "/api/v1/admin/reports/masak/$_[0]", { %$A, 'X-Idempotency-Key' => "masak-$_[2]" }, $_[1]) };
$r = $P->($alert{wed}, { status => 'FILED', filingReference => 'MASAK-2025/0042' }, 1);
is($r->{status}, 200, 'filed') or diag($r->{body});
$r = $P->($alert{wed}, { status => 'DISMISSED', reason => 'again' }, 2);
error_ok($r, 409, 'CONFLICT', 'a filed case stays filed');
$r = $P->($alert{fri}, { status => 'DISMISSED' }, 3);
error_ok($r, 400, 'INVALID_REQUEST', 'a dismissal needs a reason');
$r = $P->($alert{fri}, { status => 'FILED' }, 4);
error_ok($r, 400, 'INVALID_REQUEST', 'a filing needs a reference');
$r = $P->($alert{fri}, { status => 'DRAFT', reason => 'x' }, 5);
error_ok($r, 400, 'INVALID_REQUEST', 'back to draft is no move');
$r = $P->($alert{low}, { status => 'DISMISSED', reason => 'x' }, 6);
error_ok($r, 404, 'NOT_FOUND', 'a LOW alert is no case');
$r = $P->($alert{fri}, { status => 'DISMISSED', reason => 'Customer documented the source of funds' }, 7);
is($r->{status}, 200, 'dismissed with a reason');
is(psql("SELECT action || ' ' || coalesce(details->>'filingReference', '') || ' ' || (details->>'deadline')"
    . " FROM audit_log WHERE event_type = 'MASAK_REPORT' AND target_ref = '$alert{wed}'"),
    'FILED MASAK-2025/0042 2025-12-03', 'the filing audited');
is(psql("SELECT reason FROM audit_log WHERE event_type = 'MASAK_REPORT' AND target_ref = '$alert{fri}'"),
    'Customer documented the source of funds', 'the dismissal audited with its reason');
$r = api(GET => '/api/v1/admin/reports/masak?filter_status=FILED', $A);
my ($f) = grep { $_->{caseId} eq $alert{wed} } @{$r->{json}{data}{cases}};
is($f->{filingReference}, 'MASAK-2025/0042', 'FILED with its reference');
ok(!$f->{overdue}, 'no longer overdue');
invariant_ok('after the report');
ok(!(grep { $_->{caseId} eq $alert{fri} } @{$r->{json}{data}{cases}}), 'filtered by status');
$r = api(GET => '/api/v1/admin/reports/masak?format=csv', $A);
like($r->{headers}{'content-type'}, qr{^text/csv}, 'cases as CSV');
like($r->{body}, qr/^caseId,alertType,severity,riskScore,/, 'with a header');
like($r->{body}, qr/\Q$alert{fri}\E,STRUCTURING,CRITICAL,88,.*,2025-12-05,DISMISSED,/, 'a case per line');
$r = api(GET => '/api/v1/admin/reports/masak?format=csv&section=travelRule', $A);
like($r->{body}, qr/^type,id,userId,asset,network,amount,valueTry,address,status,createdAt\r\n/, 'travel rule as CSV');
like($r->{body}, qr/^WITHDRAWAL,\Q$wd{big}\E,\Q$cust->{userId}\E,BTC,BTC,0\.01000000,15000\.00,/m, 'its row');

# --- roles, and retention -------------------------------------------------------------------
error_ok(api(GET => '/api/v1/admin/reports/trading', $S), 403, 'FORBIDDEN', 'SUPPORT may not read reports');
error_ok(api(GET => '/api/v1/admin/reports/masak', $S), 403, 'FORBIDDEN', 'nor MASAK cases');
error_ok(api(POST => "/api/v1/admin/reports/masak/$alert{wed}", { %$S, 'X-Idempotency-Key' => 'masak-s' },
    { status => 'DISMISSED', reason => 'x' }), 403, 'FORBIDDEN', 'nor decide them');
my $comp = staff('COMPLIANCE');
is(api(GET => '/api/v1/admin/reports/masak', bearer($comp->{token}))->{status}, 200, 'COMPLIANCE reads them');
system("$ENV{HZM_BIN}/cron-housekeeping >/dev/null 2>&1");
is(psql("SELECT count(*) FROM masak_cases m JOIN compliance_alerts a ON a.id = m.alert_id"
    . " WHERE a.public_id IN ('$alert{wed}', '$alert{fri}')"), 2, 'housekeeping keeps the cases');

cancel_open($_->{token}) for $a, $b, $c;
done_testing();
