# tests/api/62_audit.t — every staff decision leaves an audit row; the log is append-only and its hash chain exposes tampering
use strict;
use warnings;
use Test::More;
use Digest::SHA qw(sha256_hex);
use MIME::Base64 qw(encode_base64);
use Time::HiRes qw(time sleep);
use Hzm;
use HzmImages;

mc_flush();

# Whole files (the server checks their structure), told apart by a comment.
sub png { png_file($_[0]) }
sub jpeg { jpeg_file($_[0]) }
sub doc { { contentType => $_[0], data => encode_base64($_[1], '') } }
sub audit_kyc_body {
	my ($salt) = @_;
	return { firstName => 'Deniz', lastName => 'Kaya', dateOfBirth => '1985-01-31',
	    nationality => 'TR', idNumber => '10000000146', address => 'Alsancak, 35220 Izmir',
	    documents => { idDocument => doc('image/png', png("id$salt")),
	    addressProof => doc('image/png', png("addr$salt")),
	    selfie => doc('image/jpeg', jpeg("me$salt")) } };
}

# One audit row as a hash; the target user by public id.
sub audit_row {
	my ($where) = @_;
	my @c = qw(id public_id event_type actor_email target action reason ip request_id details);
	my $v = psql("SELECT a.id, a.public_id, a.event_type, a.actor_email,"
	    . " (SELECT public_id FROM users WHERE id = a.target_user_id), a.action,"
	    . " coalesce(a.reason, '-'), a.ip, a.details->>'requestId', a.details::text"
	    . " FROM audit_log a WHERE $where ORDER BY a.id DESC LIMIT 1");
	return undef unless length $v;
	my %h;
	@h{@c} = split /\|/, $v, scalar @c;
	$h{details} = JSON::PP::decode_json($h{details});
	return \%h;
}
sub audit_max { psql('SELECT coalesce(max(id), 0) FROM audit_log') }
sub verify { psql("SELECT bad_id || ':' || problem FROM audit_verify()") }

my $start = audit_max();

# --- a console login is recorded ----------------------------------------------------
my $adm = staff('ADMIN');
my $A = bearer($adm->{token});
my $row = audit_row("a.event_type = 'ADMIN_LOGIN' AND a.actor_email = '$adm->{email}'");
ok($row, 'console login: audit row');
is($row->{action}, 'LOGIN', 'action LOGIN');
is($row->{target}, $adm->{userId}, 'about the staff member');
is($row->{ip}, '127.0.0.1', 'with the client address');
like($row->{public_id}, qr/^aud_[a-z2-7]{20}$/, 'audit id');
is_deeply($row->{details}{roles}, [qw(USER ADMIN)], 'and the roles it had');
my $r = api(POST => '/api/v1/admin/auth/login', {}, { email => $adm->{email},
    password => $adm->{password}, twoFactorCode => '000000' });
is($r->{status}, 401, 'a failed console login');
is(psql("SELECT count(*) FROM audit_log WHERE event_type = 'ADMIN_LOGIN'"
    . " AND actor_email = '$adm->{email}'"), 1, 'is no session and leaves no LOGIN row');

# --- KYC: submission, approval, rejection ------------------------------------------------
my $k = new_user('audk');
$r = api(POST => '/api/v1/kyc/submit', bearer($k->{access}), audit_kyc_body('k'));
is($r->{status}, 201, 'KYC submitted') or diag($r->{body});
my $kyc = $r->{json}{data}{kycId};
$row = audit_row("a.target_ref = '$kyc' AND a.event_type = 'KYC_SUBMISSION'");
ok($row, 'the submission is recorded');
is($row->{actor_email}, $k->{email}, 'by the user');
is($row->{action}, 'SUBMITTED', 'SUBMITTED');

$r = api(POST => "/api/v1/admin/kyc/$kyc/approve",
    { %$A, 'X-Request-ID' => 'audit-approve-1' }, { level => 'LEVEL_2', note => 'documents match' });
is($r->{status}, 200, 'approved') or diag($r->{body});
$row = audit_row("a.target_ref = '$kyc' AND a.event_type = 'KYC_REVIEW'");
ok($row, 'approval: audit row');
is($row->{action}, 'APPROVED', 'action APPROVED');
is($row->{actor_email}, $adm->{email}, 'actor: the admin');
is($row->{target}, $k->{userId}, 'target: the user');
is($row->{ip}, '127.0.0.1', 'ip');
is($row->{request_id}, 'audit-approve-1', 'the request id links it to the request log');
is($row->{details}{level}, 'LEVEL_2', 'details: level granted');
is($row->{details}{previousLevel}, 'LEVEL_0', 'details: level before');
is($row->{details}{note}, 'documents match', "details: the reviewer's note");
is_deeply({ map { $_->{kind} => $_->{sha256} } @{ $row->{details}{reviewedDocuments} } },
    { ID_DOCUMENT => sha256_hex(png('idk')), ADDRESS_PROOF => sha256_hex(png('addrk')),
      SELFIE => sha256_hex(jpeg('mek')) }, 'details: the documents decided on, by hash');
is(psql("SELECT count(*) FROM audit_log WHERE target_ref = '$kyc' AND event_type = 'KYC_REVIEW'"
    . " AND created_at > now() - interval '1 minute'"), 1, 'recorded just now');

$r = api(POST => "/api/v1/admin/kyc/$kyc/approve", $A);
is($r->{status}, 409, 'approving again is refused');
$r = api(POST => "/api/v1/admin/kyc/$kyc/reject", $A, { reason => 'OTHER', note => 'changed my mind' });
is($r->{status}, 409, 'and so is rejecting it now');
is(psql("SELECT count(*) FROM audit_log WHERE target_ref = '$kyc' AND event_type = 'KYC_REVIEW'"),
    1, 'refused decisions leave no row');

my $j = new_user('audj');
$r = api(POST => '/api/v1/kyc/submit', bearer($j->{access}), audit_kyc_body('j'));
my $kyc_j = $r->{json}{data}{kycId};
$r = api(POST => "/api/v1/admin/kyc/$kyc_j/reject", $A, { reason => 'EXPIRED_ID', note => 'expired 2019' });
is($r->{status}, 200, 'rejected') or diag($r->{body});
$row = audit_row("a.target_ref = '$kyc_j' AND a.event_type = 'KYC_REVIEW'");
is($row->{action}, 'REJECTED', 'rejection: action REJECTED');
is($row->{reason}, 'EXPIRED_ID', 'reason');
is($row->{details}{note}, 'expired 2019', 'note');
is($row->{target}, $j->{userId}, 'target');

# --- account status and limits --------------------------------------------------------------
my $s = new_user('auds');
$r = api(PUT => "/api/v1/admin/users/$s->{userId}/status", $A, { status => 'SUSPENDED', reason => 'AML review' });
is($r->{status}, 200, 'suspended') or diag($r->{body});
$row = audit_row("a.event_type = 'USER_STATUS_CHANGE' AND a.target_ref = '$s->{userId}'");
ok($row, 'status change: audit row');
is($row->{action}, 'SUSPENDED', 'action: the new status');
is($row->{reason}, 'AML review', 'reason');
is($row->{actor_email}, $adm->{email}, 'actor');
is($row->{target}, $s->{userId}, 'target');
is($row->{details}{previousStatus}, 'EMAIL_VERIFIED', 'details: previous status');
my $status_row = $row->{id};

$r = api(PUT => "/api/v1/admin/users/$s->{userId}/limits", $A, { dailyWithdrawal => '5000',
    monthlyWithdrawal => '20000.5', dailyTrading => '100000.00', reason => 'Requested by customer' });
is($r->{status}, 200, 'limits changed') or diag($r->{body});
$row = audit_row("a.event_type = 'USER_LIMITS_CHANGE' AND a.target_ref = '$s->{userId}'");
ok($row, 'limits change: audit row');
is($row->{action}, 'UPDATED', 'action UPDATED');
is($row->{reason}, 'Requested by customer', 'reason');
is_deeply($row->{details}{old}, { dailyWithdrawal => '0.00', monthlyWithdrawal => '0.00',
    dailyTrading => '0.00' }, 'details: old values');
is_deeply($row->{details}{new}, { dailyWithdrawal => '5000.00', monthlyWithdrawal => '20000.50',
    dailyTrading => '100000.00' }, 'details: new values');
is($row->{details}{currency}, 'TRY', 'details: currency');
$r = api(PUT => "/api/v1/admin/users/$s->{userId}/limits", $A, { dailyWithdrawal => '6000',
    monthlyWithdrawal => '20000.5', dailyTrading => '100000.00' });
$row = audit_row("a.event_type = 'USER_LIMITS_CHANGE' AND a.target_ref = '$s->{userId}'");
is($row->{details}{old}{dailyWithdrawal}, '5000.00', 'a second change records the first as old');
is($row->{reason}, '-', 'the reason is optional for limits');

# Refused requests leave nothing.
my $mark = audit_max();
api(PUT => "/api/v1/admin/users/$s->{userId}/limits", $A, { dailyWithdrawal => '1.001',
    monthlyWithdrawal => '2', dailyTrading => '3' });
api(PUT => "/api/v1/admin/users/$s->{userId}/status", $A, { status => 'GONE', reason => 'x y z' });
api(PUT => "/api/v1/admin/users/$adm->{userId}/status", $A, { status => 'BLOCKED', reason => 'self' });
api(PUT => '/api/v1/admin/users/usr_aaaaaaaaaaaaaaaaaaaa/status', $A, { status => 'BLOCKED', reason => 'nobody' });
api(PUT => "/api/v1/admin/users/$s->{userId}/status", bearer($k->{access}), { status => 'BLOCKED', reason => 'user' });
is(audit_max(), $mark, 'refused requests wrote no audit row');

# --- concurrent writers still make one chain -------------------------------------------------
my @targets = map { new_user("audc$_") } 1 .. 8;
my @kids;
for my $t (@targets) {
	my $pid = fork // die "fork: $!";
	if ($pid == 0) {
		my $bad = 0;
		for my $n (1 .. 5) {
			my $x = api(PUT => "/api/v1/admin/users/$t->{userId}/limits", $A,
			    { dailyWithdrawal => "$n.00", monthlyWithdrawal => "1$n.00", dailyTrading => '1.00' });
			$bad++ unless $x->{status} == 200;
		}
		exit $bad;
	}
	push @kids, $pid;
}
my $failed = 0;
for (@kids) { waitpid($_, 0); $failed += $? >> 8 }
is($failed, 0, '40 limit changes from 8 processes at once');
is(psql("SELECT count(*) FROM audit_log WHERE id > $mark AND event_type = 'USER_LIMITS_CHANGE'"),
    40, 'each recorded');

# --- the chain is intact, and the log cannot be changed ----------------------------------------------
ok(audit_max() - $start >= 30, 'rows written by this test: ' . (audit_max() - $start));
is(verify(), '', 'audit_verify(): the chain is intact');
is(psql('SELECT count(*) FROM audit_log a JOIN LATERAL (SELECT hash FROM audit_log b'
    . ' WHERE b.id < a.id ORDER BY b.id DESC LIMIT 1) p ON true WHERE a.prev_hash <> p.hash'),
    0, 'each row carries the hash of the one before it');
my $orig = psql("SELECT encode(hash, 'hex') FROM audit_log WHERE id = $status_row");

# hzm, the programs' role, holds no such privilege (sql/grants.sql); the
# owner does, and the triggers refuse it.
like(psql("UPDATE audit_log SET reason = 'x' WHERE id = $status_row"),
    qr/ERROR.*permission denied for table audit_log/, 'UPDATE refused to hzm');
like(psql("DELETE FROM audit_log WHERE id = $status_row"),
    qr/ERROR.*permission denied for table audit_log/, 'DELETE refused to hzm');
like(psql('TRUNCATE audit_log'), qr/ERROR.*permission denied for table audit_log/,
    'TRUNCATE refused to hzm');
like(psql_owner("UPDATE audit_log SET reason = 'x' WHERE id = $status_row"), qr/ERROR.*append-only/,
    'UPDATE refused to the owner by the trigger');
like(psql_owner("DELETE FROM audit_log WHERE id = $status_row"), qr/ERROR.*append-only/,
    'DELETE refused to the owner by the trigger');
like(psql_owner('TRUNCATE audit_log'), qr/ERROR.*append-only/, 'TRUNCATE refused to the owner by the trigger');
is(psql("SELECT reason || encode(hash, 'hex') FROM audit_log WHERE id = $status_row"),
    "AML review$orig", 'the row is unchanged');
is(verify(), '', 'the chain is still intact');

# --- tampering as the owner could: the chain exposes it ----------------------------------------------
# One transaction: the trigger is off for these statements alone.
sub as_owner { psql_owner("ALTER TABLE audit_log DISABLE TRIGGER $_[0]; $_[1];"
    . " ALTER TABLE audit_log ENABLE TRIGGER $_[0]") }

is(as_owner('audit_no_update', "UPDATE audit_log SET reason = 'x' WHERE id = $status_row"), '',
    'an edit with the guard trigger disabled');
is(verify(), "$status_row:hash does not match the row", 'audit_verify() names the edited row');
as_owner('audit_no_update', "UPDATE audit_log SET reason = 'AML review' WHERE id = $status_row");
is(verify(), '', 'restored, the chain verifies again');

# A forger who also recomputes the row's own hash breaks the link to the next row.
my $next = psql("SELECT min(id) FROM audit_log WHERE id > $status_row");
as_owner('audit_no_update', "UPDATE audit_log SET reason = 'nothing to see' WHERE id = $status_row;"
    . " UPDATE audit_log a SET hash = sha256(convert_to(audit_row_text(a), 'UTF8')) WHERE id = $status_row");
is(verify(), "$next:prev_hash does not match the previous row",
    'a rehashed edit is caught at the next row');
as_owner('audit_no_update', "UPDATE audit_log SET reason = 'AML review' WHERE id = $status_row;"
    . " UPDATE audit_log a SET hash = sha256(convert_to(audit_row_text(a), 'UTF8')) WHERE id = $status_row");
is(psql("SELECT encode(hash, 'hex') FROM audit_log WHERE id = $status_row"), $orig,
    'the original content has the original hash');
is(verify(), '', 'and the chain verifies again');

# A removed row breaks the chain where it was.
psql_owner('DROP TABLE IF EXISTS audit_saved');
psql_owner("CREATE TABLE audit_saved AS SELECT * FROM audit_log WHERE id = $status_row");
as_owner('audit_no_update', "DELETE FROM audit_log WHERE id = $status_row");
is(verify(), "$next:prev_hash does not match the previous row", 'a deleted row is caught');
as_owner('audit_chain', 'INSERT INTO audit_log OVERRIDING SYSTEM VALUE SELECT * FROM audit_saved');
psql_owner('DROP TABLE audit_saved');
is(verify(), '', 'put back, the chain verifies again');
is(psql("SELECT count(*) FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass"
    . " AND NOT tgisinternal AND tgenabled <> 'O'"), 0, 'every audit trigger is enabled again');

done_testing;
