# tests/api/99_console_staff.t — the staff console (www/console/staff) in headless Chromium: a KYC approved, a withdrawal's risk factors and its two approvals, an alert resolved, the audit chain verified; SUPPORT sees read-only pages
use strict;
use warnings;
use utf8;
use Test::More;
use JSON::PP;
use Math::BigInt;
use Time::HiRes qw(time sleep);
use Hzm;
use HzmConsole;
use HzmTrade;
use HzmChain;
use HzmWithdraw;
use HzmImages;

binmode(Test::More->builder->$_, ':encoding(UTF-8)') for qw(output failure_output todo_output);
my $root = $ENV{HZM_ROOT};
my $chromium = $ENV{CHROMIUM} // '/usr/bin/chromium';
plan skip_all => 'chromium is not installed (make deps)' unless -x $chromium;
plan skip_all => 'playwright-core is not installed (make deps)'
    unless -d "$root/tests/node/node_modules/playwright-core";
plan skip_all => 'no stand-in Bitcoin node in this stack'
    unless -s "$ENV{HZM_VAR}/bitcoind/bitcoin.conf" && btc_alive();

# The static files, as both web servers serve them, under a strict CSP.
for my $p ('/console/staff/', '/console/staff/index.html') {
	my $r = api(GET => $p);
	is($r->{status}, 200, "GET $p: 200");
	like($r->{headers}{'content-type'} // '', qr{^text/html}, '  HTML');
	like($r->{body}, qr{<script type="module" src="/console/staff/app\.js"></script>}, '  loads its module');
	like($r->{body}, qr{Content-Security-Policy" content="default-src 'none'; script-src 'self'; style-src 'self'},
	    '  under a CSP without inline script');
	unlike($r->{body}, qr{<script>|\son[a-z]+=}, '  no inline script or handlers');
}
for my $f (qw(app.js session.js common.js login.js kyc.js withdrawals.js withdrawal.js
    alerts.js alert.js users.js markets.js config.js reports.js audit.js)) {
	my $r = api(GET => "/console/staff/$f");
	is($r->{status}, 200, "$f: 200");
	like($r->{headers}{'content-type'} // '', qr{^text/javascript}, '  JavaScript');
	unlike($r->{body}, qr{innerHTML|outerHTML|insertAdjacentHTML|document\.write|localStorage|sessionStorage},
	    '  writes no markup and stores nothing');
}
is(api(GET => '/console/staff/staff.css')->{status}, 200, 'staff.css: 200');

mc_flush();
worker_pause();
fund_node(20);
my $P = units(btc_price(), 2);

# A staff member with 2FA who has not logged in yet (the browser does).
sub member {
	my ($role) = @_;
	my $u = new_user('staff-' . lc $role);
	$u->{secret} = twofa_on($u);
	psql("INSERT INTO user_roles (user_id, role) SELECT id, '$role' FROM users"
	    . " WHERE public_id = '$u->{userId}'");
	return $u;
}
my ($comp, $adm, $sup) = (member('COMPLIANCE'), member('ADMIN'), member('SUPPORT'));

# A KYC application waiting for review.
my $k = new_user('staff-kyc');
my $r = api(POST => '/api/v1/kyc/submit', bearer($k->{access}), kyc_body(firstName => 'Zeynep'));
is($r->{status}, 201, 'a KYC application submitted') or diag(substr($r->{body}, 0, 300));
my $kyc = $r->{json}{data}{kycId};
my $k2 = new_user('staff-kyc2');
$r = api(POST => '/api/v1/kyc/submit', bearer($k2->{access}), kyc_body(firstName => 'Deniz'));
is($r->{status}, 201, 'another KYC application submitted') or diag(substr($r->{body}, 0, 300));
my $kyc2 = $r->{json}{data}{kycId};

# Two withdrawals of 1 BTC over a daily limit of 0.5 BTC: each waits, with a HIGH alert.
sub big_user {
	my ($tag) = @_;
	my $u = wd_user($tag, fund => { BTC => 3 }, age_days => 400);
	my $e8 = Math::BigInt->new(10)->bpow(8);
	my $half = (units('0.5', 8) * $P + $e8 - 1) / $e8;
	psql("INSERT INTO user_limits (user_id, daily_withdrawal, monthly_withdrawal, daily_trading)"
	    . " SELECT id, " . fmt($half, 2) . ", " . fmt($half * 20, 2) . ", 0 FROM users"
	    . " WHERE public_id = '$u->{userId}'");
	return $u;
}
my (%wd, %alert);
for my $tag (qw(approve alert)) {
	my $u = big_user("staff-wd-$tag");
	$r = withdraw($u, { amount => '1', address => $u->{addr} });
	is($r->{json}{data}{status}, 'PENDING_APPROVAL', "withdrawal '$tag' waits for review")
	    or diag($r->{body});
	$wd{$tag} = $r->{json}{data}{withdrawalId};
	$alert{$tag} = psql("SELECT public_id FROM compliance_alerts WHERE subject = 'withdrawal:$wd{$tag}'");
	like($alert{$tag}, qr/^alt_/, "  with its alert $alert{$tag}");
}
is(psql("SELECT approvals_required FROM withdrawals WHERE public_id = '$wd{approve}'"), 2,
    '  two approvals required');

my $shots = $ENV{HZM_SHOTS} // "$ENV{HZM_VAR}/screens/99_console_staff";
system('mkdir', '-p', $shots) == 0 or die "mkdir $shots";
note("screenshots in $shots");
my $audit_before = psql("SELECT count(*) FROM audit_log");

local $ENV{HZM_BASE} = base_url();
local $ENV{HZM_SHOTS} = $shots;
local $ENV{CHROMIUM} = $chromium;
local $ENV{HZM_STAFF} = encode_json({
	compliance => { map { $_ => $comp->{$_} } qw(email password secret userId) },
	admin => { map { $_ => $adm->{$_} } qw(email password secret userId) },
	support => { map { $_ => $sup->{$_} } qw(email password secret userId) },
	kycId => $kyc, kycEmail => $k->{email}, kyc2Id => $kyc2, withdrawalId => $wd{approve},
	alertId => $alert{alert}, rejectId => $wd{alert},
});
my $n = console_run('console_staff.mjs', { HZM_SHOTS => $shots });
cmp_ok($n, '>=', 40, "the browser script ran through ($n checks)");
my @png = glob("$shots/*.png");
cmp_ok(scalar @png, '>=', 8, scalar(@png) . ' screenshots saved');

# What the pages did, seen through the API.
my $A = bearer(admin_login());
$r = api(GET => '/api/v1/kyc/status', bearer($k->{access}));
is($r->{json}{data}{status}, 'APPROVED', 'the KYC application is approved');
is($r->{json}{data}{level}, 'LEVEL_2', '  at LEVEL_2');
$r = api(GET => '/api/v1/kyc/status', bearer($k2->{access}));
is($r->{json}{data}{status}, 'REJECTED', 'the other application is rejected');
is($r->{json}{data}{rejectedReason}, 'BLURRY_IMAGE', '  for the reason chosen');
my $w = api(GET => "/api/v1/admin/withdrawals/$wd{approve}", $A)->{json}{data};
is($w->{status}, 'PENDING_SIGNATURE', 'the withdrawal is approved, on to signing');
is_deeply([ map { $_->{adminUserId} } @{ $w->{approvals} } ], [ $comp->{userId}, $adm->{userId} ],
    '  by the COMPLIANCE member, then the ADMIN');
is($w->{approvals}[0]{reason}, 'Source of funds verified by phone', '  with the reason typed');
$r = api(GET => "/api/v1/admin/compliance/alerts/$alert{alert}", $A);
is($r->{json}{data}{resolution}, 'FALSE_POSITIVE', 'the other alert: FALSE_POSITIVE, as chosen');
is($r->{json}{data}{note}, 'Known customer, salary payment', '  with the note typed');
$w = api(GET => "/api/v1/admin/withdrawals/$wd{alert}", $A)->{json}{data};
is($w->{status}, 'REJECTED', 'its withdrawal rejected by the ADMIN');
is($w->{rejectedReason}, 'Destination not explained', '  with the reason typed');
is(psql("SELECT count(*) FROM withdrawals w JOIN balances b ON b.user_id = w.user_id AND b.asset = 'BTC'"
    . " WHERE w.public_id = '$wd{alert}' AND b.locked = 0 AND b.available = 3"), 1,
    '  its 1 BTC and fee unlocked');
cmp_ok(psql("SELECT count(*) FROM audit_log a JOIN users u ON u.id = a.actor_user_id"
    . " WHERE a.event_type = 'KYC_DOCUMENT_VIEW' AND u.public_id = '$comp->{userId}'"), '>=', 1,
    'opening the document was audited, with who opened it');
is(psql("SELECT count(*) FROM audit_log WHERE action = 'APPROVED' AND event_type = 'WITHDRAWAL_APPROVAL'"
    . " AND target_ref = '$wd{approve}'"), 2, 'both approvals audited');
cmp_ok(psql("SELECT count(*) FROM audit_log"), '>', $audit_before, 'the audit log grew');
is(psql("SELECT count(*) FROM audit_verify()"), 0, 'the audit chain holds');
worker_resume();

done_testing;
