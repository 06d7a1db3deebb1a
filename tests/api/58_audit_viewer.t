# tests/api/58_audit_viewer.t — the audit viewer: filters, the hash chain verified over a range (a row the schema's owner altered with the trigger off is named), CSV export, KYC documents read by reviewers and each read audited, roles
use strict;
use warnings;
use Test::More;
use Digest::SHA qw(sha256_hex);
use MIME::Base64 qw(decode_base64);
use Hzm;
use HzmImages;

mc_flush();

# The schema's owner, hzm_owner, the one role that can turn the
# append-only trigger off (hzm, the programs' role, cannot): off for this
# one transaction, as someone holding the owner's login would.
sub owner_sql {
	my $out = psql_owner("ALTER TABLE audit_log DISABLE TRIGGER audit_no_update; $_[0];"
	    . ' ALTER TABLE audit_log ENABLE TRIGGER audit_no_update');
	die "owner psql failed: $out" if $out =~ /ERROR/;
}

my $A = bearer(admin_login());
my $ADMIN_ID = 'usr_sandboxadminaaaaaaaa';
my $comp = staff('COMPLIANCE');
my $sup = staff('SUPPORT');
my $C = bearer($comp->{token});
my $S = bearer($sup->{token});

# --- a user applies for KYC: an audited event of its own -------------------------------
my $u = new_user('auditee');
my $body = kyc_body();
my $r = api(POST => '/api/v1/kyc/submit', bearer($u->{access}), $body);
is($r->{status}, 201, 'KYC submitted') or diag($r->{body});
my $kyc = $r->{json}{data}{kycId};

# --- filters --------------------------------------------------------------------------------
$r = api(GET => "/api/v1/admin/audit?filter_targetUserId=$u->{userId}", $A);
is($r->{status}, 200, 'the audit list') or diag($r->{body});
envelope_ok($r, 'audit list');
my @rows = @{$r->{json}{data}};
is(scalar @rows, 1, 'one row concerns the new user');
is($rows[0]{eventType}, 'KYC_SUBMISSION', 'its event type');
is($rows[0]{targetUserId}, $u->{userId}, 'targetUserId is the public id');
is($rows[0]{targetRef}, $kyc, 'targetRef the application');
is($rows[0]{action}, 'SUBMITTED', 'its action');
like($rows[0]{auditId}, qr/^aud_[a-z2-7]{20}$/, 'auditId');
like($rows[0]{hash}, qr/^[0-9a-f]{64}$/, 'its hash');
is(ref $rows[0]{details}, 'HASH', 'details as an object');
like($rows[0]{timestamp}, qr/^\d{4}-\d\d-\d\dT/, 'timestamp');
is($r->{json}{meta}{totalCount}, 1, 'meta counts it');

$r = api(GET => "/api/v1/admin/audit?filter_eventType=KYC_SUBMISSION&filter_actorId=$u->{userId}", $C);
is($r->{status}, 200, 'COMPLIANCE reads the log');
is(scalar @{$r->{json}{data}}, 1, 'by actor and event type');
$r = api(GET => "/api/v1/admin/audit?filter_eventType=NO_SUCH_EVENT", $A);
is(scalar @{$r->{json}{data}}, 0, 'an event type with no rows');
$r = api(GET => "/api/v1/admin/audit?filter_targetUserId=$u->{userId}&filter_from=2001-01-01&filter_to=2001-01-02", $A);
is(scalar @{$r->{json}{data}}, 0, 'a time range without it');
$r = api(GET => "/api/v1/admin/audit?filter_targetUserId=$u->{userId}&filter_from=2001-01-01", $A);
is(scalar @{$r->{json}{data}}, 1, 'a time range with it');
$r = api(GET => '/api/v1/admin/audit?pageSize=2&sort=%2BcreatedAt', $A);
is(scalar @{$r->{json}{data}}, 2, 'pages');
ok($r->{json}{data}[0]{timestamp} le $r->{json}{data}[1]{timestamp}, 'oldest first');
ok(defined $r->{json}{links}{next}, 'a next link');
error_ok(api(GET => '/api/v1/admin/audit?filter_actorId=bob', $A), 400, 'INVALID_REQUEST', 'a bad actor id');
error_ok(api(GET => '/api/v1/admin/audit?filter_from=yesterday', $A), 400, 'INVALID_REQUEST', 'a bad time');
error_ok(api(GET => '/api/v1/admin/audit?filter_actor=x', $A), 400, 'INVALID_REQUEST', 'an unknown filter');
error_ok(api(GET => '/api/v1/admin/audit?format=xml', $A), 400, 'INVALID_REQUEST', 'an unknown format');

# --- roles ----------------------------------------------------------------------------------
error_ok(api(GET => '/api/v1/admin/audit', $S), 403, 'FORBIDDEN', 'SUPPORT may not read the log');
error_ok(api(GET => '/api/v1/admin/audit/verify', $S), 403, 'FORBIDDEN', 'SUPPORT may not verify it');
error_ok(api(GET => "/api/v1/admin/kyc/$u->{userId}/documents/selfie", $S), 403, 'FORBIDDEN',
    'SUPPORT may not open KYC documents');
error_ok(api(GET => '/api/v1/admin/audit', bearer($u->{access})), 403, 'FORBIDDEN', 'a user may not');
error_ok(api(GET => '/api/v1/admin/audit', {}), 401, 'UNAUTHORIZED', 'nor anyone unauthenticated');

# --- CSV export ------------------------------------------------------------------------------
$r = api(GET => "/api/v1/admin/audit?filter_targetUserId=$u->{userId}&format=csv", $A);
is($r->{status}, 200, 'CSV export');
like($r->{headers}{'content-type'}, qr{^text/csv}, 'as text/csv');
like($r->{headers}{'content-disposition'} // '', qr/attachment; filename="audit\.csv"/, 'for download');
my @lines = split /\r\n/, $r->{body};
is(scalar @lines, 2, 'a header and one row');
like($lines[0], qr/^auditId,eventType,adminUserId,adminEmail,targetUserId,targetRef,action,reason,details,ipAddress,timestamp,hash,prevHash$/,
    'the header');
like($lines[1], qr/^aud_\w+,KYC_SUBMISSION,\Q$u->{userId}\E,[^,]*,\Q$u->{userId}\E,\Q$kyc\E,SUBMITTED,,"\{/, 'the row, details quoted');
$r = api(GET => "/api/v1/admin/audit?filter_targetUserId=$u->{userId}", { %$A, Accept => 'text/csv' });
like($r->{headers}{'content-type'}, qr{^text/csv}, 'Accept: text/csv asks for it too');

# --- KYC documents: read by a reviewer, each read audited -------------------------------------------
$r = api(GET => "/api/v1/admin/kyc/$u->{userId}/documents/selfie", $C);
is($r->{status}, 200, 'COMPLIANCE opens the selfie') or diag($r->{body});
is($r->{headers}{'content-type'}, 'image/jpeg', 'with its content type');
is(sha256_hex($r->{body}), sha256_hex(decode_base64($body->{documents}{selfie}{data})), 'the bytes as submitted');
is($r->{headers}{'cache-control'}, 'no-store', 'never cached');
$r = api(GET => "/api/v1/admin/kyc/$u->{userId}/documents/addressProof", $A);
is($r->{headers}{'content-type'}, 'application/pdf', 'ADMIN opens the address proof');
is(sha256_hex($r->{body}), sha256_hex(decode_base64($body->{documents}{addressProof}{data})), 'whole');
$r = api(GET => "/api/v1/admin/audit?filter_eventType=KYC_DOCUMENT_VIEW&filter_targetUserId=$u->{userId}&sort=%2BcreatedAt", $A);
my @views = @{$r->{json}{data}};
is(scalar @views, 2, 'each read audited');
is_deeply([map { $_->{adminUserId} } @views], [$comp->{userId}, $ADMIN_ID], 'who read');
is_deeply([map { $_->{details}{document} } @views], [qw(selfie addressProof)], 'which document');
is($views[0]{targetRef}, $kyc, 'of which application');
is($views[0]{details}{sha256}, sha256_hex(decode_base64($body->{documents}{selfie}{data})), 'by its hash');
is($views[0]{action}, 'VIEWED', 'action VIEWED');
error_ok(api(GET => "/api/v1/admin/kyc/$u->{userId}/documents/passport", $A), 404, 'NOT_FOUND', 'an unknown document type');
error_ok(api(GET => "/api/v1/admin/kyc/usr_nosuchuseraaaaaaaaaa/documents/selfie", $A), 404, 'NOT_FOUND', 'an unknown user');
error_ok(api(GET => "/api/v1/admin/kyc/bob/documents/selfie", $A), 404, 'NOT_FOUND', 'not a user id');
$r = api(GET => "/api/v1/admin/audit?filter_eventType=KYC_DOCUMENT_VIEW&filter_targetUserId=$u->{userId}", $A);
is(scalar @{$r->{json}{data}}, 2, 'a refused read leaves no record');

# --- the chain verified ---------------------------------------------------------------------
$r = api(GET => '/api/v1/admin/audit/verify', $C);
is($r->{status}, 200, 'verify the whole log') or diag($r->{body});
ok($r->{json}{data}{intact}, 'intact');
ok($r->{json}{data}{checked} >= 4, 'every row checked');
is($r->{json}{data}{firstBroken}, undef, 'nothing broken');

my $id = $views[0]{auditId};
my $orig = psql("SELECT action FROM audit_log WHERE public_id = '$id'");
# Behind the database's back: the owner turns the trigger off.
owner_sql("UPDATE audit_log SET action = 'NOT_VIEWED' WHERE public_id = '$id'");
is(psql("SELECT action FROM audit_log WHERE public_id = '$id'"), 'NOT_VIEWED', 'a row altered by SQL');
$r = api(GET => '/api/v1/admin/audit/verify', $A);
ok(!$r->{json}{data}{intact}, 'the chain is broken');
is($r->{json}{data}{firstBroken}{auditId}, $id, 'the altered row is named');
is($r->{json}{data}{firstBroken}{problem}, 'HASH_MISMATCH', 'its hash no longer matches');
my $t = $views[0]{timestamp};
$r = api(GET => "/api/v1/admin/audit/verify?from=$t", $A);
is($r->{json}{data}{firstBroken}{auditId}, $id, 'a range starting at it names it');
is($r->{json}{data}{firstAuditId}, $id, 'and starts there');
$r = api(GET => "/api/v1/admin/audit/verify?to=$rows[0]{timestamp}", $A);
ok($r->{json}{data}{intact}, 'a range before it is intact');
$r = api(GET => '/api/v1/admin/audit/verify?from=2001-01-01&to=2001-01-02', $A);
is($r->{json}{data}{checked}, 0, 'an empty range checks nothing');
ok($r->{json}{data}{intact}, 'and is intact');
error_ok(api(GET => '/api/v1/admin/audit/verify?from=soon', $A), 400, 'INVALID_REQUEST', 'a bad time');
error_ok(api(GET => '/api/v1/admin/audit/verify?since=2001-01-01', $A), 400, 'INVALID_REQUEST', 'an unknown parameter');

# A removed row breaks the link of the one after it.
my $next = psql("SELECT public_id FROM audit_log WHERE id > (SELECT id FROM audit_log WHERE public_id = '$id') ORDER BY id LIMIT 1");
owner_sql("UPDATE audit_log SET action = '$orig' WHERE public_id = '$id'");
$r = api(GET => '/api/v1/admin/audit/verify', $A);
ok($r->{json}{data}{intact}, 'put back, intact again') or diag($r->{body});
SKIP: {
	skip 'no row after it', 3 unless $next;
	my $saved = psql("SELECT encode(prev_hash, 'hex') FROM audit_log WHERE public_id = '$next'");
	owner_sql("UPDATE audit_log SET prev_hash = '\\x00' WHERE public_id = '$next'");
	$r = api(GET => '/api/v1/admin/audit/verify', $A);
	is($r->{json}{data}{firstBroken}{auditId}, $next, 'a broken link is named');
	is($r->{json}{data}{firstBroken}{problem}, 'PREV_HASH_MISMATCH', 'as a link');
	owner_sql("UPDATE audit_log SET prev_hash = decode('$saved', 'hex') WHERE public_id = '$next'");
	ok(api(GET => '/api/v1/admin/audit/verify', $A)->{json}{data}{intact}, 'put back');
}

done_testing();
