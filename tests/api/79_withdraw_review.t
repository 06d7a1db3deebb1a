# tests/api/79_withdraw_review.t — flow §11.3: a withdrawal over the limit waits with a HIGH alert; staff review it, reject it (funds back once, the account suspended if need be) or approve it by two people; compliance alerts and the blacklist
use strict;
use warnings;
use Test::More;
use JSON::PP;
use Math::BigInt;
use POSIX ();
use Time::HiRes qw(time sleep);
use Hzm;
use HzmTrade;
use HzmChain;
use HzmWithdraw;

plan skip_all => 'no stand-in Bitcoin node in this stack'
    unless -s "$ENV{HZM_VAR}/bitcoind/bitcoin.conf" && btc_alive();

mc_flush();
worker_pause();
fund_node(50);
my $price = btc_price();
my $P = units($price, 2);

my $admin1 = admin_login();
my $adm2 = staff('ADMIN');
my $comp = staff('COMPLIANCE');
my ($A1, $A2, $C) = (bearer($admin1), bearer($adm2->{token}), bearer($comp->{token}));
my $admin1_id = psql("SELECT public_id FROM users WHERE email = 'admin\@example.com'");

sub audit_of {
	my ($ref, $event, $action) = @_;
	my $v = psql("SELECT a.details::text FROM audit_log a WHERE a.target_ref = '$ref'"
	    . " AND a.event_type = '$event' AND a.action = '$action' ORDER BY a.id DESC LIMIT 1");
	return length $v ? decode_json($v) : undef;
}
sub pending_of {
	my ($auth, $id) = @_;
	my $r = api(GET => '/api/v1/admin/withdrawals/pending?pageSize=500', $auth);
	my ($x) = grep { $_->{withdrawalId} eq $id } @{ $r->{json}{data} // [] };
	return $x;
}
# A user the size of §11.3: an old account, a daily limit of 0.5 BTC in TRY.
sub big_user {
	my ($tag) = @_;
	my $u = wd_user($tag, fund => { BTC => 3 }, age_days => 400);
	# Rounded up to the cent: 1 BTC is then at most twice the limit, whatever
	# odd cents the last trade price has.
	my $e8 = Math::BigInt->new(10)->bpow(8);
	my $half = (units('0.5', 8) * $P + $e8 - 1) / $e8;
	psql("INSERT INTO user_limits (user_id, daily_withdrawal, monthly_withdrawal, daily_trading)"
	    . " SELECT id, " . fmt($half, 2) . ", " . fmt($half * 20, 2) . ", 0 FROM users"
	    . " WHERE public_id = '$u->{userId}'");
	return $u;
}

# ---- 1 BTC over a daily limit of 0.5 BTC: waits, a HIGH alert --------------------------
my $u = big_user('wdr-reject');
my $t0 = time;
my $r = withdraw($u, { amount => '1', address => $u->{addr} });
is($r->{status}, 201, '1 BTC against a daily limit of 0.5 BTC: 201') or diag($r->{body});
my $w = $r->{json}{data};
my $id = $w->{withdrawalId};
is($w->{status}, 'PENDING_APPROVAL', 'PENDING_APPROVAL');
is(balances($u->{token})->{BTC}{locked}, '1.00050000', 'the amount and the fee locked');
my $row = withdrawal_row($id, qw(risk_score approvals_required review_reasons alert_id));
ok($row->{risk_score} >= 70 && $row->{risk_score} < 85, "risk score $row->{risk_score}: HIGH");
is($row->{approvals_required}, '2', 'over withdraw_dual_approval_try: two approvals');
like($row->{review_reasons}, qr/OVER_DAILY_LIMIT/, 'waits for the daily limit');
like($row->{review_reasons}, qr/ABOVE_APPROVAL_THRESHOLD/, '  and the amount');
my $alert = psql("SELECT public_id || ' ' || severity || ' ' || type || ' ' || resolution"
    . " FROM compliance_alerts WHERE subject = 'withdrawal:$id'");
like($alert, qr/^alt_[a-z2-7]{20} HIGH LARGE_TRANSACTION NEW$/, "a HIGH alert: $alert");
my ($alert_id) = split / /, $alert;
is(psql("SELECT public_id FROM compliance_alerts WHERE id = $row->{alert_id}"), $alert_id,
    '  linked to the withdrawal');
my $m = mail_for('admin@example.com', $t0, qr/\Q$alert_id\E: HIGH/);
ok($m, 'staff are mailed')
    or diag($m ? $m->{headers}{subject} : 'no mail');
ok(audit_of($id, 'WITHDRAWAL_REVIEW', 'PENDING_APPROVAL'), 'the hold is in the audit log');

# ---- what the reviewer sees ----------------------------------------------------------------
my $p = pending_of($A1, $id);
ok($p, 'in /admin/withdrawals/pending') or BAIL_OUT('not listed');
is($p->{amount}, '1.00000000', '  amount');
is($p->{riskScore}, $row->{risk_score} + 0, '  riskScore');
is($p->{riskLevel}, 'HIGH', '  riskLevel');
my %f = map { $_->{factor} => $_ } @{ $p->{riskFactors} };
ok($f{OVER_DAILY_LIMIT} && $f{VERY_LARGE_AMOUNT}, '  riskFactors: over the limit, very large');
like($f{OVER_DAILY_LIMIT}{detail}, qr/daily limit/, '  each with its reason');
is($p->{approvalsRequired}, 2, '  approvalsRequired 2');
is_deeply($p->{approvals}, [], '  none yet');
is($p->{alert}{alertId}, $alert_id, '  its alert');
is($p->{user}{userId}, $u->{userId}, '  user profile: id');
is($p->{userId}, $u->{userId}, '  the owner beside it too (§11.3: {withdrawalId, userId, amount})');
is($p->{user}{email}, $u->{email}, '  email');
is($p->{user}{kycLevel}, 'LEVEL_2', '  KYC level');
ok($p->{user}{accountAgeDays} >= 400, '  account age');
ok(units($p->{user}{limits}{dailyWithdrawal}{used}, 2) >= units($p->{valueInTRY}, 2),
    '  limits with what is used');
ok(exists $p->{history}{deposits30d} && exists $p->{history}{withdrawals}
    && exists $p->{history}{trades30d} && ref $p->{history}{recentWithdrawals} eq 'ARRAY',
    '  history: deposits, withdrawals, trades');
is($p->{addressAnalysis}{blacklisted}, JSON::PP::false, '  address: not blacklisted');
is($p->{addressAnalysis}{otherUsers}, 0, '  used by no other user');
$r = api(GET => "/api/v1/admin/withdrawals/$id", $C);
is($r->{status}, 200, 'one withdrawal, for a compliance officer too');
is($r->{json}{data}{withdrawalId}, $id, '  the same');
$r = api(GET => "/api/v1/admin/withdrawals/pending?sort=-riskScore&filter_userId=$u->{userId}", $A1);
is($r->{json}{meta}{totalCount}, 1, 'filter_userId');
$r = api(GET => "/api/v1/admin/withdrawals/pending?userId=$u->{userId}", $A1);
is($r->{json}{meta}{totalCount}, 1, '  or userId, the bare name');
like($r->{json}{links}{self}, qr/filter_userId=\Q$u->{userId}\E/, '  linked as filter_userId');
error_ok(api(GET => "/api/v1/admin/withdrawals/pending?userId=$u->{userId}&filter_userId=$u->{userId}",
    $A1), 400, 'INVALID_REQUEST', '  not both');
# §2.6's sort, each way, by time and by risk.
for my $sort (qw(+createdAt -createdAt +riskScore -riskScore)) {
	(my $enc = $sort) =~ s/\+/%2B/;
	$r = api(GET => "/api/v1/admin/withdrawals/pending?pageSize=500&sort=$enc", $A1);
	is($r->{status}, 200, "pending: sort=$sort") or diag($r->{body});
	my ($dir, $k) = $sort =~ /^([-+])(\w+)$/;
	my @v = map { $_->{$k} } @{ $r->{json}{data} // [] };
	my @want = $k eq 'riskScore' ? sort { $a <=> $b } @v : sort @v;
	@want = reverse @want if $dir eq '-';
	is_deeply(\@v, \@want, "  in that order (" . scalar(@v) . ' waiting)');
}
for my $q ('?sort=-amount', '?filter_asset=btc', '?filter_userId=usr_x', '?x=1') {
	error_ok(api(GET => "/api/v1/admin/withdrawals/pending$q", $A1), 400,
	    'INVALID_REQUEST', "pending$q");
}
error_ok(api(GET => '/api/v1/admin/withdrawals/wdr_aaaaaaaaaaaaaaaaaaaa', $A1), 404,
    'NOT_FOUND', 'an unknown withdrawal');
error_ok(api(GET => '/api/v1/admin/withdrawals/pending', bearer($u->{token})), 403,
    'FORBIDDEN', 'a user session cannot see the queue');
error_ok(api(GET => '/api/v1/admin/withdrawals/pending'), 401, 'UNAUTHORIZED', 'nor anyone');
$r = api(GET => "/api/v1/admin/compliance/alerts?filter_userId=$u->{userId}", $C);
is($r->{json}{data}[0]{alertId}, $alert_id, 'the alert, by user');
# §11.3's own call.
$r = api(GET => "/api/v1/admin/compliance/alerts?userId=$u->{userId}", $C);
is($r->{json}{data}[0]{alertId}, $alert_id, '  by ?userId= as §11.3 asks');
is($r->{json}{data}[0]{details}{withdrawalId}, $id, '  naming the withdrawal');
is($r->{json}{data}[0]{riskScore}, $row->{risk_score} + 0, '  its riskScore');

# ---- rejected: the funds back exactly once ------------------------------------------------
error_ok(api(POST => "/api/v1/admin/withdrawals/$id/reject", $A1, {}), 400,
    'INVALID_REQUEST', 'a rejection needs a reason');
error_ok(api(POST => "/api/v1/admin/withdrawals/$id/reject", $A1, { reason => 'x',
    reviewedDocuments => ['Bad Name'] }), 400, 'INVALID_REQUEST', 'reviewedDocuments: names');
error_ok(api(POST => "/api/v1/admin/withdrawals/$id/reject", $A1, { reason => 'x',
    suspendAccount => 'yes' }), 400, 'INVALID_REQUEST', 'suspendAccount: a boolean');
$t0 = time;
my @kids;
for my $k (1 .. 3) {
	my $pid = fork();
	if (!$pid) {
		my $x = api(POST => "/api/v1/admin/withdrawals/$id/reject", $A1,
		    { reason => 'Source of funds unclear', reviewedDocuments =>
			['kyc_doc', 'transaction_history'], note => 'checked by phone' });
		open my $fh, '>', "$ENV{HZM_VAR}/tmp/rej.$$";
		print $fh $x->{status};
		close $fh;
		POSIX::_exit(0);
	}
	push @kids, $pid;
}
my @st;
for (@kids) {
	waitpid($_, 0);
	open my $fh, '<', "$ENV{HZM_VAR}/tmp/rej.$_";
	push @st, <$fh>;
	close $fh;
	unlink "$ENV{HZM_VAR}/tmp/rej.$_";
}
is_deeply([sort @st], [200, 409, 409], 'three rejections at once: one done, two 409');
my $b = balances($u->{token})->{BTC};
is($b->{available}, '3.00000000', 'the funds are back');
is($b->{locked}, '0.00000000', 'nothing locked');
is_deeply(ledger_of($id), [
	"WITHDRAWAL_LOCK $u->{userId} -1.00050000 1.00050000",
	"WITHDRAWAL_UNLOCK $u->{userId} 1.00050000 -1.00050000",
], 'unlocked exactly once');
my $s = api(GET => '/api/v1/wallets/withdrawals', bearer($u->{token}))->{json}{data}[0];
is($s->{status}, 'REJECTED', 'the user sees REJECTED');
is($s->{rejectedReason}, 'Source of funds unclear', '  with the reason');
$m = mail_for($u->{email}, $t0);
ok($m && ($m->{text} // '') =~ /Source of funds unclear/, 'the user is mailed the reason')
    or diag($m ? $m->{text} : 'no mail');
is(psql("SELECT count(*) FROM outbox WHERE event_type = 'withdrawal.rejected'"
    . " AND payload->>'withdrawalId' = '$id'"), '1', 'a withdrawal.rejected event');
my $au = audit_of($id, 'WITHDRAWAL_APPROVAL', 'REJECTED');
ok($au, 'the decision in the audit log');
is($au->{adminUserId}, $admin1_id, '  adminUserId');
is($au->{adminEmail}, 'admin@example.com', '  adminEmail');
is($au->{targetUserId}, $u->{userId}, '  targetUserId');
is($au->{withdrawalId}, $id, '  withdrawalId');
is($au->{action}, 'REJECTED', '  action');
is($au->{reason}, 'Source of funds unclear', '  reason');
is($au->{riskScore}, $row->{risk_score} + 0, '  riskScore');
is_deeply($au->{reviewedDocuments}, ['kyc_doc', 'transaction_history'], '  reviewedDocuments');
is($au->{ipAddress}, '127.0.0.1', '  ipAddress');
is(psql("SELECT count(*) FROM audit_log WHERE target_ref = '$id'"
    . " AND event_type = 'WITHDRAWAL_APPROVAL'"), '1', '  once');
{
	# Through the audit viewer, §11.3's record as the spec lays it out.
	my $v = api(GET => "/api/v1/admin/audit?filter_eventType=WITHDRAWAL_APPROVAL"
	    . "&filter_targetUserId=$u->{userId}", $A1);
	my ($row) = grep { ($_->{targetRef} // '') eq $id } @{ $v->{json}{data} // [] };
	ok($row, 'the decision in GET /admin/audit') or diag($v->{body});
	is($row->{withdrawalId}, $id, '  withdrawalId at the top, as §11.3 has it');
	is($row->{riskScore}, $au->{riskScore}, '  riskScore');
	is_deeply($row->{reviewedDocuments}, ['kyc_doc', 'transaction_history'], '  reviewedDocuments');
	is($row->{action}, 'REJECTED', '  action');
	is($row->{adminEmail}, 'admin@example.com', '  adminEmail');
}
like(psql("SELECT resolution FROM compliance_alerts WHERE public_id = '$alert_id'"),
    qr/^RESOLVED$/, 'the alert follows: RESOLVED');
$r = api(POST => "/api/v1/admin/withdrawals/$id/approve", $A2, { reason => 'late' });
error_ok($r, 409, 'CONFLICT', 'approving a rejected withdrawal');
is($r->{json}{error}{details}{status}, 'REJECTED', '  details.status');
invariant_ok('after the rejection');

# ---- approved by two different admins, then sent and confirmed ------------------------------
my $v = big_user('wdr-approve');
$r = withdraw($v, { amount => '1', address => $v->{addr} });
is($r->{json}{data}{status}, 'PENDING_APPROVAL', 'another 1 BTC waits') or diag($r->{body});
$id = $r->{json}{data}{withdrawalId};
($alert_id) = split / /, psql("SELECT public_id FROM compliance_alerts WHERE subject = 'withdrawal:$id'");
$r = api(POST => "/api/v1/admin/withdrawals/$id/approve", $A1,
    { reason => 'Verified source of funds, clean history', reviewedDocuments => ['kyc_doc'] });
is($r->{status}, 200, 'first approval: 200') or diag($r->{body});
is($r->{json}{data}{status}, 'PENDING_APPROVAL', '  still waits');
is($r->{json}{data}{approvalsGiven}, 1, '  1 of');
is($r->{json}{data}{approvalsRequired}, 2, '  of two');
is(psql("SELECT resolution FROM compliance_alerts WHERE public_id = '$alert_id'"),
    'UNDER_REVIEW', '  the alert: UNDER_REVIEW');
$r = api(POST => "/api/v1/admin/withdrawals/$id/approve", $A1, { reason => 'again' });
error_ok($r, 409, 'CONFLICT', 'the same admin again');
like($r->{json}{error}{message}, qr/another reviewer/, '  says another must approve');
is(pending_of($A1, $id)->{approvals}[0]{adminUserId}, $admin1_id, 'the queue shows who approved');
my ($rc0) = worker_run();
is($rc0, 0, 'the worker runs');
is(withdrawal_row($id, 'status')->{status}, 'PENDING_APPROVAL', '  and leaves it alone');
# §11.3's approval is a bare POST: no body, no reason.
$r = api(POST => "/api/v1/admin/withdrawals/$id/approve", $A2);
is($r->{status}, 200, 'a second admin approves with no body: 200') or diag($r->{body});
is($r->{json}{data}{status}, 'PENDING_SIGNATURE', '  PENDING_SIGNATURE');
is($r->{json}{data}{approvalsGiven}, 2, '  2 of 2');
is(psql("SELECT resolution FROM compliance_alerts WHERE public_id = '$alert_id'"),
    'RESOLVED', '  the alert: RESOLVED');
my @ap = split /\n/, psql("SELECT a.details->>'adminUserId' FROM audit_log a"
    . " WHERE a.target_ref = '$id' AND a.event_type = 'WITHDRAWAL_APPROVAL'"
    . " AND a.action = 'APPROVED' ORDER BY a.id");
is_deeply(\@ap, [$admin1_id, $adm2->{userId}], 'two approvals in the audit log, by two people');
is(psql("SELECT string_agg(coalesce(a.reason, 'none'), ',' ORDER BY a.id) FROM audit_log a"
    . " WHERE a.target_ref = '$id' AND a.event_type = 'WITHDRAWAL_APPROVAL'"),
    'Verified source of funds, clean history,none', '  with the reason given, and none');
my ($rc, $out) = worker_run();
like($out, qr/sent 1/, 'the worker sends it');
$s = api(GET => '/api/v1/wallets/withdrawals', bearer($v->{token}))->{json}{data}[0];
is($s->{status}, 'PROCESSING', 'PROCESSING');
btc('test_mine', 3);
($rc, $out) = worker_run();
like($out, qr/completed 1/, 'three confirmations later');
$s = api(GET => '/api/v1/wallets/withdrawals', bearer($v->{token}))->{json}{data}[0];
is($s->{status}, 'COMPLETED', 'COMPLETED');
is(balances($v->{token})->{BTC}{total}, '1.99950000', 'one BTC and the fee left');
invariant_ok('after the approval');

# ---- nobody decides on their own withdrawal -------------------------------------------------
my $own = staff('ADMIN');
psql("UPDATE users SET kyc_level = 2, created_at = created_at - interval '400 days',"
    . " password_changed_at = password_changed_at - interval '400 days'"
    . " WHERE public_id = '$own->{userId}'");
psql("INSERT INTO ledger (user_id, asset, delta_available, delta_locked, kind, ref)"
    . " SELECT id, 'BTC', 2, 0, 'ADJUSTMENT', 'test-funding' FROM users WHERE public_id = '$own->{userId}'");
psql("INSERT INTO user_limits (user_id, daily_withdrawal, monthly_withdrawal, daily_trading)"
    . " SELECT id, 10000, 100000000, 0 FROM users WHERE public_id = '$own->{userId}'");
my $ou = { %$own, token => $own->{access}, addr => foreign_address() };
$r = withdraw($ou, { amount => '0.01', address => $ou->{addr} });
is($r->{json}{data}{status}, 'PENDING_APPROVAL', 'an admin\'s own withdrawal waits') or diag($r->{body});
my $oid = $r->{json}{data}{withdrawalId};
error_ok(api(POST => "/api/v1/admin/withdrawals/$oid/approve", bearer($own->{token}),
    { reason => 'mine' }), 403, 'FORBIDDEN', 'they cannot approve it');
error_ok(api(POST => "/api/v1/admin/withdrawals/$oid/reject", bearer($own->{token}),
    { reason => 'mine' }), 403, 'FORBIDDEN', 'nor reject it');

# ---- rejected, and the account suspended ----------------------------------------------------
my $x = big_user('wdr-suspend');
$r = withdraw($x, { amount => '1', address => $x->{addr} });
$id = $r->{json}{data}{withdrawalId};
($alert_id) = split / /, psql("SELECT public_id FROM compliance_alerts WHERE subject = 'withdrawal:$id'");
$r = api(POST => "/api/v1/admin/withdrawals/$id/reject", $C,
    { reason => 'Suspicious activity', suspendAccount => JSON::PP::true });
is($r->{status}, 200, 'a compliance officer rejects and suspends') or diag($r->{body});
is($r->{json}{data}{accountSuspended}, JSON::PP::true, '  accountSuspended');
is(psql("SELECT status FROM users WHERE public_id = '$x->{userId}'"), 'SUSPENDED',
    'the account is SUSPENDED');
error_ok(api(GET => '/api/v1/wallets/balances', bearer($x->{token})), 403, 'COMPLIANCE_003',
    '  and its session answers COMPLIANCE_003');
is(psql("SELECT resolution FROM compliance_alerts WHERE public_id = '$alert_id'"),
    'ESCALATED', 'the alert: ESCALATED');
ok(audit_of($x->{userId}, 'USER_STATUS_CHANGE', 'SUSPENDED'), 'the suspension is in the audit log');
is(psql("SELECT count(*) FROM ledger WHERE ref = 'withdrawal:$id' AND kind = 'WITHDRAWAL_UNLOCK'"),
    '1', 'the funds unlocked once');

# ---- compliance alerts: list, filters, resolutions ---------------------------------------------
$r = api(GET => '/api/v1/admin/compliance/alerts?filter_severity=HIGH&filter_type=LARGE_TRANSACTION'
    . '&sort=-riskScore&pageSize=500', $C);
is($r->{status}, 200, 'alerts: filtered by severity and type') or diag($r->{body});
ok(!(grep { $_->{severity} ne 'HIGH' || $_->{type} ne 'LARGE_TRANSACTION' } @{ $r->{json}{data} }),
    '  only those');
ok(@{ $r->{json}{data} } >= 3, '  this file\'s three among them');
for my $q ('?filter_severity=BIG', '?filter_type=X', '?filter_resolution=DONE',
    '?filter_userId=1', '?sort=+riskScore', '?nope=1') {
	error_ok(api(GET => "/api/v1/admin/compliance/alerts$q", $C), 400, 'INVALID_REQUEST',
	    "alerts$q");
}
error_ok(api(GET => '/api/v1/admin/compliance/alerts/alt_aaaaaaaaaaaaaaaaaaaa', $C), 404,
    'NOT_FOUND', 'an unknown alert');
error_ok(api(GET => '/api/v1/admin/compliance/alerts', bearer($u->{token})), 403,
    'FORBIDDEN', 'users cannot see alerts');

# The blacklist through the console.
my $bad = foreign_address();
$r = api(POST => '/api/v1/admin/compliance/blacklist', $C,
    { network => 'BTC', address => uc $bad, reason => 'sanctions list' });
is($r->{status}, 201, 'an address blacklisted') or diag($r->{body});
is($r->{json}{data}{address}, $bad, '  kept as the network spells it');
error_ok(api(POST => '/api/v1/admin/compliance/blacklist', $C,
    { network => 'BTC', address => $bad, reason => 'again' }), 409, 'CONFLICT', '  once');
$r = api(POST => '/api/v1/admin/compliance/blacklist', $C,
    { network => 'BTC', address => 'nonsense', reason => 'x' });
error_ok($r, 400, 'INVALID_REQUEST', '  not an address');
is($r->{json}{error}{details}{field}, 'address', '  details.field');
error_ok(api(POST => '/api/v1/admin/compliance/blacklist', $C,
    { network => 'XRP', address => $bad, reason => 'x' }), 400, 'INVALID_REQUEST',
    '  a network without withdrawals');
$r = api(GET => '/api/v1/admin/compliance/blacklist?filter_network=BTC&pageSize=500', $C);
ok((grep { $_->{address} eq $bad && $_->{reason} eq 'sanctions list' } @{ $r->{json}{data} }),
    '  listed');
ok(audit_of($bad, 'WITHDRAWAL_BLACKLIST', 'ADDED'), '  in the audit log');

my $y = wd_user('wdr-hit', fund => { BTC => 1 });
$r = withdraw($y, { amount => '0.01', address => $bad });
error_ok($r, 400, 'WALLET_006', 'a withdrawal to it: WALLET_006');
($alert_id) = split / /, psql("SELECT a.public_id FROM compliance_alerts a JOIN users u"
    . " ON u.id = a.user_id WHERE u.public_id = '$y->{userId}' AND a.type = 'BLACKLIST_HIT'");
ok($alert_id, '  a BLACKLIST_HIT alert');
error_ok(withdraw($y, { amount => '0.01', address => $y->{addr} }), 403, 'COMPLIANCE_001',
    '  withdrawals held');
$r = api(GET => "/api/v1/admin/compliance/alerts/$alert_id", $C);
is($r->{json}{data}{severity}, 'CRITICAL', 'the alert: CRITICAL');
is($r->{json}{data}{withdrawalsHeld}, JSON::PP::true, '  holding withdrawals');
error_ok(api(POST => "/api/v1/admin/compliance/alerts/$alert_id/resolve", $C,
    { resolution => 'CLOSED', note => 'x' }), 400, 'INVALID_REQUEST', 'an unknown resolution');
error_ok(api(POST => "/api/v1/admin/compliance/alerts/$alert_id/resolve", $C,
    { resolution => 'NEW', note => 'x' }), 400, 'INVALID_REQUEST', 'back to NEW');
error_ok(api(POST => "/api/v1/admin/compliance/alerts/$alert_id/resolve", $C,
    { resolution => 'RESOLVED' }), 400, 'INVALID_REQUEST', 'a note is required');
for my $step (['UNDER_REVIEW', 'NEW'], ['ESCALATED', 'UNDER_REVIEW']) {
	$r = api(POST => "/api/v1/admin/compliance/alerts/$alert_id/resolve", $C,
	    { resolution => $step->[0], note => "to $step->[0]" });
	is($r->{status}, 200, "$step->[1] -> $step->[0]") or diag($r->{body});
	is($r->{json}{data}{resolution}, $step->[0], '  resolution');
	is($r->{json}{data}{previousResolution}, $step->[1], '  previousResolution');
	is($r->{json}{data}{withdrawalsHeld}, JSON::PP::true, '  still holding');
}
error_ok(withdraw($y, { amount => '0.01', address => $y->{addr} }), 403, 'COMPLIANCE_001',
    'escalated: still held');
$r = api(POST => "/api/v1/admin/compliance/alerts/$alert_id/resolve", $C,
    { resolution => 'FALSE_POSITIVE', note => 'the user mistyped; address not theirs' });
is($r->{status}, 200, 'FALSE_POSITIVE') or diag($r->{body});
is($r->{json}{data}{withdrawalHoldsReleased}, 1, '  the hold released');
is($r->{json}{data}{resolvedBy}, $comp->{userId}, '  resolvedBy');
ok($r->{json}{data}{resolvedAt}, '  resolvedAt');
error_ok(api(POST => "/api/v1/admin/compliance/alerts/$alert_id/resolve", $C,
    { resolution => 'RESOLVED', note => 'x' }), 409, 'CONFLICT', 'settled: no further move');
is(psql("SELECT count(*) FROM audit_log WHERE event_type = 'COMPLIANCE_ALERT'"
    . " AND target_ref = '$alert_id'"), '4', 'raised and three moves in the audit log');
$r = withdraw($y, { amount => '0.01', address => $y->{addr} });
is($r->{status}, 201, 'the hold gone, a clean withdrawal goes through') or diag($r->{body});
$r = api(POST => "/api/v1/admin/compliance/blacklist/BTC/$bad/remove", $C,
    { reason => 'delisted' });
is($r->{status}, 200, 'removed from the blacklist') or diag($r->{body});
error_ok(api(POST => "/api/v1/admin/compliance/blacklist/BTC/$bad/remove", $C,
    { reason => 'again' }), 404, 'NOT_FOUND', '  once');
ok(audit_of($bad, 'WITHDRAWAL_BLACKLIST', 'REMOVED'), '  in the audit log');

# ---- stopped before it is sent; a sent one cannot be --------------------------------------------
my $z = wd_user('wdr-stop', fund => { BTC => 1 });
$r = withdraw($z, { amount => '0.01', address => $z->{addr} });
is($r->{json}{data}{status}, 'PENDING_SIGNATURE', 'a clean withdrawal, to be sent') or diag($r->{body});
$id = $r->{json}{data}{withdrawalId};
psql("UPDATE users SET status = 'SUSPENDED' WHERE public_id = '$z->{userId}'");
($rc, $out) = worker_run();
is(withdrawal_row($id, 'status')->{status}, 'PENDING_SIGNATURE',
    'the account suspended: the worker does not send it');
$r = api(POST => "/api/v1/admin/withdrawals/$id/reject", $A1,
    { reason => 'Account under investigation' });
is($r->{status}, 200, 'staff stop it before it is sent') or diag($r->{body});
is($r->{json}{data}{status}, 'REJECTED', '  REJECTED');
is(psql("SELECT count(*) FROM ledger WHERE ref = 'withdrawal:$id' AND kind = 'WITHDRAWAL_UNLOCK'"),
    '1', '  unlocked once');
error_ok(api(POST => "/api/v1/admin/withdrawals/$id/approve", $A1, { reason => 'x' }), 409,
    'CONFLICT', '  and cannot be approved after');
my $q = wd_user('wdr-sent', fund => { BTC => 1 });
$r = withdraw($q, { amount => '0.01', address => $q->{addr} });
$id = $r->{json}{data}{withdrawalId};
($rc, $out) = worker_run();
is(withdrawal_row($id, 'status')->{status}, 'PROCESSING', 'another one sent');
$r = api(POST => "/api/v1/admin/withdrawals/$id/reject", $A1, { reason => 'too late' });
error_ok($r, 409, 'CONFLICT', '  cannot be rejected');
is($r->{json}{error}{details}{status}, 'PROCESSING', '  details.status');
error_ok(api(POST => "/api/v1/admin/withdrawals/$id/approve", $A1, { reason => 'x' }), 409,
    'CONFLICT', '  nor approved');

# An alert compliance escalated stays theirs, whatever staff decide on the withdrawal.
my $e = big_user('wdr-escalated');
$r = withdraw($e, { amount => '1', address => $e->{addr} });
$id = $r->{json}{data}{withdrawalId};
($alert_id) = split / /, psql("SELECT public_id FROM compliance_alerts WHERE subject = 'withdrawal:$id'");
is(api(POST => "/api/v1/admin/compliance/alerts/$alert_id/resolve", $C,
    { resolution => 'ESCALATED', note => 'pattern seen before' })->{status}, 200,
    'compliance escalates a withdrawal\'s alert');
is(api(POST => "/api/v1/admin/withdrawals/$id/approve", $A1, { reason => 'ok by me' })->{status},
    200, 'a first approval');
is(api(POST => "/api/v1/admin/withdrawals/$id/reject", $A2, { reason => 'no' })->{status},
    200, 'then a rejection');
is(psql("SELECT resolution FROM compliance_alerts WHERE public_id = '$alert_id'"), 'ESCALATED',
    '  the alert stays ESCALATED');

is(psql("SELECT count(*) FROM audit_verify()"), '0', 'the audit chain is intact');
invariant_ok('at the end');

done_testing;
