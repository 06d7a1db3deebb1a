# tests/api/42_kyc_levels.t — KYC as Appendix C lists it: drafts (PENDING_SUBMISSION), EXPIRED by the ID's expiry date, rejection reasons, LEVEL_3 by a video call
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time sleep);
use POSIX qw(strftime);
use Hzm;
use HzmImages;

mc_flush();

my $A = bearer(admin_login());
sub submit { my ($u, $body) = @_; api(POST => '/api/v1/kyc/submit', bearer($u->{access}), $body) }
sub status_of { api(GET => '/api/v1/kyc/status', bearer($_[0]{access}))->{json}{data} }
sub ymd { strftime('%Y-%m-%d', gmtime(time + 86400 * $_[0])) }
my $n = 0;
sub phone { sprintf '+90532%03d%04d', $$ % 1000, ++$n }

# --- NOT_STARTED, then a draft: PENDING_SUBMISSION ----------------------------------
my $u = new_user('kycl', phone => phone(), verify_phone => 1);
is(status_of($u)->{status}, 'NOT_STARTED', 'NOT_STARTED');
my $full = kyc_body(idExpiryDate => ymd(365));
my %draft = %$full;
$draft{documents} = { idDocument => $full->{documents}{idDocument} };
$draft{draft} = JSON::PP::true;
my $r = submit($u, \%draft);
is($r->{status}, 201, 'a draft with one document') or diag($r->{body});
is($r->{json}{data}{status}, 'PENDING_SUBMISSION', 'PENDING_SUBMISSION');
is_deeply($r->{json}{data}{missingDocuments}, ['addressProof', 'selfie'], 'what is still missing');
ok(!defined $r->{json}{data}{submittedAt}, 'not submitted yet');
my $kid = $r->{json}{data}{kycId};
my $s = status_of($u);
is($s->{status}, 'PENDING_SUBMISSION', 'status: PENDING_SUBMISSION');
is_deeply($s->{missingDocuments}, ['addressProof', 'selfie'], 'status: missingDocuments');
$r = api(GET => '/api/v1/admin/kyc/pending?pageSize=500', $A);
ok(!(grep { $_->{kycId} eq $kid } @{ $r->{json}{data} }), 'a draft is not in the review queue');

# Completing without the selfie: KYC_004, nothing changes.
my %part = %$full;
$part{documents} = { addressProof => $full->{documents}{addressProof} };
$r = submit($u, \%part);
error_ok($r, 400, 'KYC_004', 'submitted without every document');
is($r->{json}{error}{details}{field}, 'documents.selfie', 'names the missing document');
is_deeply($r->{json}{error}{details}{missingDocuments}, ['selfie'], 'and lists what is missing');
is_deeply(status_of($u)->{missingDocuments}, ['addressProof', 'selfie'], 'the draft is as it was');

# The rest: the same application goes to review.
%part = %$full;
$part{documents} = { addressProof => $full->{documents}{addressProof},
    selfie => $full->{documents}{selfie} };
$r = submit($u, \%part);
is($r->{status}, 201, 'the draft completed') or diag($r->{body});
is($r->{json}{data}{kycId}, $kid, 'the same application');
is($r->{json}{data}{status}, 'PENDING_REVIEW', 'PENDING_REVIEW');
ok($r->{json}{data}{submittedAt}, 'submittedAt');
is(psql("SELECT count(*) FROM kyc_documents d JOIN kyc_submissions s ON s.id = d.kyc_id"
    . " WHERE s.public_id = '$kid'"), 3, 'three documents stored');
$r = submit($u, $full);
error_ok($r, 409, 'CONFLICT', 'another submission while one is under review');

# The identity document's expiry date.
my $v = new_user('kycx');
for my $case ([ ymd(-1), qr/expired/, 'expired yesterday' ], [ ymd(0), qr/expired/, 'expires today' ],
    [ '2031-02-30', qr/date/, 'not a date' ], [ ymd(366 * 21), qr/20 years/, 'too far ahead' ]) {
	$r = submit($v, kyc_body(idExpiryDate => $case->[0]));
	error_ok($r, 400, 'INVALID_REQUEST', "idExpiryDate: $case->[2]");
	is($r->{json}{error}{details}{field}, 'idExpiryDate', "idExpiryDate: $case->[2]: field");
	like($r->{json}{error}{details}{reason}, $case->[1], "idExpiryDate: $case->[2]: reason");
}

# --- rejection reasons of Appendix C ------------------------------------------------------
for my $reason (qw(INVALID_DOCUMENT BLURRY_IMAGE EXPIRED_ID)) {
	my $w = new_user('kycr');
	my $k = submit($w, kyc_body())->{json}{data}{kycId};
	$r = api(POST => "/api/v1/admin/kyc/$k/reject", $A, { reason => $reason });
	is($r->{status}, 200, "reject $reason") or diag($r->{body});
	is(status_of($w)->{rejectedReason}, $reason, "rejectedReason $reason");
}

# --- LEVEL_3: a video call after LEVEL_2 --------------------------------------------------
$r = api(POST => "/api/v1/admin/kyc/$kid/video-review", $A, { outcome => 'PASSED' });
error_ok($r, 409, 'CONFLICT', 'a video call before approval');
is($r->{json}{error}{details}{status}, 'PENDING_REVIEW', 'says the status');
$r = api(POST => "/api/v1/admin/kyc/$kid/approve", $A, { level => 'LEVEL_3' });
error_ok($r, 400, 'INVALID_REQUEST', 'LEVEL_3 by approval');
$r = api(POST => "/api/v1/admin/kyc/$kid/approve", $A, { level => 'LEVEL_2' });
is($r->{status}, 200, 'approved at LEVEL_2');
is(status_of($u)->{limits}{dailyTrading}, '1000000.00', 'LEVEL_2 trading limit');
for my $case ([ {}, 'outcome', 'no outcome' ], [ { outcome => 'MAYBE' }, 'outcome', 'unknown outcome' ],
    [ { outcome => 'PASSED', level => 'LEVEL_3' }, 'level', 'unknown field' ]) {
	$r = api(POST => "/api/v1/admin/kyc/$kid/video-review", $A, $case->[0]);
	error_ok($r, 400, 'INVALID_REQUEST', "video-review: $case->[2]");
	is($r->{json}{error}{details}{field}, $case->[1], "video-review: $case->[2]: field");
}
$r = api(POST => '/api/v1/admin/kyc/kyc_aaaaaaaaaaaaaaaaaaaa/video-review', $A, { outcome => 'PASSED' });
error_ok($r, 404, 'NOT_FOUND', 'video-review: unknown application');
$r = api(POST => "/api/v1/admin/kyc/$kid/video-review", bearer($u->{access}), { outcome => 'PASSED' });
error_ok($r, 403, 'FORBIDDEN', 'video-review: a user session');
$r = api(POST => "/api/v1/admin/kyc/$kid/video-review", $A,
    { outcome => 'FAILED', note => 'poor connection, face not visible' });
is($r->{status}, 200, 'a failed call recorded') or diag($r->{body});
is($r->{json}{data}{userKycLevel}, 'LEVEL_2', 'the level stays');
my $t0 = time - 1;
$r = api(POST => "/api/v1/admin/kyc/$kid/video-review", $A, { outcome => 'PASSED', note => 'ok' });
is($r->{status}, 200, 'a passed call');
is($r->{json}{data}{outcome}, 'PASSED', 'outcome');
is($r->{json}{data}{userKycLevel}, 'LEVEL_3', 'LEVEL_3');
is($r->{json}{data}{reviewedBy}, 'usr_sandboxadminaaaaaaaa', 'reviewedBy');
$s = status_of($u);
is($s->{level}, 'LEVEL_3', 'status: LEVEL_3');
is($s->{limits}{dailyTrading}, '10000000.00', 'higher limits at LEVEL_3');
is(psql("SELECT string_agg(outcome || ':' || (r.reviewer_id = a.id)::text, ',' ORDER BY r.id)"
    . " FROM kyc_video_reviews r JOIN kyc_submissions s ON s.id = r.kyc_id"
    . " JOIN users a ON a.email = 'admin\@example.com' WHERE s.public_id = '$kid'"),
    'FAILED:true,PASSED:true', 'both calls stored with their reviewer');
is(psql("SELECT count(*) FROM audit_log WHERE event_type = 'KYC_VIDEO_REVIEW' AND target_ref = '$kid'"),
    2, 'both audited');
my $m = mail_for($u->{email}, $t0);
like($m->{text} // '', qr/LEVEL_3/, 'the user is told of LEVEL_3');

# --- EXPIRED: the ID's expiry date passes ----------------------------------------------------
psql("UPDATE kyc_submissions SET id_expiry = current_date - 1 WHERE public_id = '$kid'");
$t0 = time - 1;
my $out = `HZM_CONF=$ENV{HZM_VAR}/hzm.conf $ENV{HZM_VAR}/bin/cron-housekeeping 2>&1`;
is($? >> 8, 0, 'cron-housekeeping exits 0') or diag($out);
like($out, qr/^kyc_expired [1-9]\d*$/m, 'reports the expired applications');
$s = status_of($u);
is($s->{status}, 'EXPIRED', 'status EXPIRED');
ok($s->{expiredAt}, 'expiredAt');
is($s->{level}, 'LEVEL_1', 'level dropped to LEVEL_1 (e-mail and phone still verified)');
$m = mail_for($u->{email}, $t0, qr/expired/i);
ok($m, 'the user is mailed');
is(psql("SELECT action || ':' || reason FROM audit_log WHERE event_type = 'KYC_EXPIRED'"
    . " AND target_ref = '$kid'"), 'EXPIRED:EXPIRED_ID', 'audited');
is(psql("SELECT count(*) FROM outbox WHERE event_type = 'kyc.expired'"
    . " AND payload->>'kycId' = '$kid'"), 1, 'kyc.expired event');
$r = api(POST => '/api/v1/orders', bearer($u->{access}), { symbol => 'BTCTRY', side => 'BUY',
    type => 'LIMIT', price => '100.00', quantity => '0.001' });
error_ok($r, 403, 'KYC_REQUIRED', 'no trading once expired');
$out = `HZM_CONF=$ENV{HZM_VAR}/hzm.conf $ENV{HZM_VAR}/bin/cron-housekeeping 2>&1`;
like($out, qr/^kyc_expired 0$/m, 'a second run finds nothing');
$r = submit($u, kyc_body(idExpiryDate => ymd(800)));
is($r->{status}, 201, 'a new document can be submitted') or diag($r->{body});

# Without a verified phone, the level drops to LEVEL_0 and the state follows.
{
	my $x = new_user('kyce');
	my $k = submit($x, kyc_body(idExpiryDate => ymd(30)))->{json}{data}{kycId};
	api(POST => "/api/v1/admin/kyc/$k/approve", $A, { level => 'LEVEL_2' });
	is(api(GET => '/api/v1/users/profile', bearer($x->{access}))->{json}{data}{status}, 'ACTIVE',
	    'approved: ACTIVE');
	psql("UPDATE kyc_submissions SET id_expiry = current_date - 1 WHERE public_id = '$k'");
	`HZM_CONF=$ENV{HZM_VAR}/hzm.conf $ENV{HZM_VAR}/bin/cron-housekeeping 2>&1`;
	my $p = api(GET => '/api/v1/users/profile', bearer($x->{access}))->{json}{data};
	is($p->{kycLevel}, 'LEVEL_0', 'expired: LEVEL_0');
	is($p->{status}, 'EMAIL_VERIFIED', 'and EMAIL_VERIFIED');
}

done_testing();
