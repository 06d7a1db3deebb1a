# tests/api/43_screening.t — §11.1's control points: the registration blacklist, PEP and sanctions lists (CSV import, audited), KYC names screened with Turkish folding and edit distance
use strict;
use warnings;
use utf8;
use Test::More;
use JSON::PP;
use Time::HiRes qw(time sleep);
use Hzm;
use HzmImages;

mc_flush();

my $A = bearer(admin_login());
my $SP = '/api/v1/admin/screening';
my $json = JSON::PP->new->utf8->canonical;
sub post_utf8 { my ($path, $h, $body) = @_; api(POST => $path, $h, $json->encode($body)) }
sub submit { my ($u, %over) = @_; post_utf8('/api/v1/kyc/submit', bearer($u->{access}), kyc_body(%over)) }

# --- the import: CSV in a JSON string, audited ----------------------------------------
my $tag = "T$$";
# Names on lists and in KYC forms are letters: the process id spelled in letters.
my $L = join '', map { chr(97 + $_) } split //, $$;
my $csv = "name,birthDate,nationality,reference\n"
    . "\"YILMAZ, Ayşe Gül\",1975-03-04,TR,$tag-1\n"
    . "Mehmet Öztürk,,,$tag-2\n"
    . "Ivan Petrov$L,1960-01-01,RU,$tag-3\n";
my $r = post_utf8("$SP/lists/import", $A, { list => 'SANCTIONS', source => "Test list $tag", csv => $csv });
is($r->{status}, 201, 'import a sanctions list') or diag($r->{body});
like($r->{json}{data}{importId}, qr/^imp_[a-z2-7]{20}$/, 'importId');
is($r->{json}{data}{entries}, 3, 'three entries');
is(psql("SELECT action || ':' || (details->>'entries') FROM audit_log WHERE event_type ="
    . " 'SCREENING_LIST_IMPORT' AND target_ref = '$r->{json}{data}{importId}'"), 'IMPORTED:3', 'audited');
$r = post_utf8("$SP/lists/import", $A, { list => 'PEP', source => "PEP $tag",
    csv => "Name,Reference\r\nHakan Çelik$L,$tag-4\r\n" });
is($r->{json}{data}{entries}, 1, 'a PEP list, CRLF, columns in any case and order');
$r = api(GET => "$SP/lists", $A);
ok((grep { $_->{source} eq "Test list $tag" && $_->{entries} == 3 && $_->{list} eq 'SANCTIONS' }
    @{ $r->{json}{data} }), 'GET lists: what is loaded');

# Replacing a list drops its earlier entries.
$r = post_utf8("$SP/lists/import", $A, { list => 'PEP', source => "PEP $tag", replace => JSON::PP::true,
    csv => "name\nHakan Çelik$L\nZeynep Kaya$L\n" });
is($r->{json}{data}{replaced}, 1, 'replace: the earlier entry dropped');
is($r->{json}{data}{entries}, 2, 'and the new ones in');

for my $case (
	[ { list => 'PEP', source => 'x', csv => '' }, 'csv', qr/header/, 'no header' ],
	[ { list => 'PEP', source => 'x', csv => "nom\nA\n" }, 'csv', qr/unknown column/, 'an unknown column' ],
	[ { list => 'PEP', source => 'x', csv => "birthDate\n1970-01-01\n" }, 'csv', qr/no name/, 'no name column' ],
	[ { list => 'PEP', source => 'x', csv => "name,birthDate\nA B,1970-13-01\n" }, 'csv', qr/birthDate/, 'a bad date' ],
	[ { list => 'PEP', source => 'x', csv => "name,nationality\nA B,XX\n" }, 'csv', qr/nationality/, 'an unknown country' ],
	[ { list => 'PEP', source => 'x', csv => "name\n\"A B\n" }, 'csv', qr/quote/, 'an open quote' ],
	[ { list => 'PEP', source => 'x', csv => 42 }, 'csv', qr/string/, 'csv not a string' ],
	[ { list => 'WATCH', source => 'x', csv => "name\nA\n" }, 'list', qr//, 'an unknown list' ],
	[ { list => 'PEP', csv => "name\nA\n" }, 'source', qr/required/, 'no source' ],
) {
	$r = post_utf8("$SP/lists/import", $A, $case->[0]);
	error_ok($r, 400, 'INVALID_REQUEST', "import: $case->[3]");
	is($r->{json}{error}{details}{field}, $case->[1], "import: $case->[3]: field");
	like($r->{json}{error}{details}{reason} // '', $case->[2], "import: $case->[3]: reason");
}
$r = post_utf8("$SP/lists/import", $A, { list => 'PEP', source => 'x', csv => "name\nA B\nC,D,E\"\n" });
is($r->{json}{error}{details}{line}, 3, 'the line of the fault');
is(psql("SELECT count(*) FROM screening_entries WHERE source = 'x'"), 0, 'a refused import stores nothing');
my $u0 = new_user('plain');
$r = post_utf8("$SP/lists/import", bearer($u0->{access}), { list => 'PEP', source => 'x', csv => "name\nA\n" });
error_ok($r, 403, 'FORBIDDEN', 'a user cannot import');
$r = api(GET => "$SP/lists", {});
error_ok($r, 401, 'UNAUTHORIZED', 'nor read without a session');

# --- KYC names screened: Turkish letters folded, small typos tolerated ------------------------
my $u = new_user('scr');
my $t0 = time - 1;
$r = submit($u, firstName => 'Ayse Gul', lastName => 'Yilmaz', dateOfBirth => '1975-03-04');
is($r->{status}, 201, 'an application whose name is on a list') or diag($r->{body});
is($r->{json}{data}{status}, 'PENDING_REVIEW', 'PENDING_REVIEW (the user is not told)');
unlike($r->{body}, qr/screen|sanction|alert/i, 'nothing about screening in the answer');
my $kid = $r->{json}{data}{kycId};
my $al = api(GET => "/api/v1/admin/compliance/alerts?filter_type=BLACKLIST_HIT&filter_userId=$u->{userId}", $A);
is(scalar @{ $al->{json}{data} }, 1, 'a BLACKLIST_HIT alert for the user');
my $alert = $al->{json}{data}[0];
is($alert->{severity}, 'CRITICAL', 'CRITICAL for a sanctions list');
my $m = $alert->{details}{matches}[0];
is($m->{reference}, "$tag-1", 'the matched entry is named');
is($m->{list}, 'SANCTIONS', 'with its list');
is($m->{source}, "Test list $tag", 'and source');
is($m->{birthDate}, '1975-03-04', 'and birth date');
$r = api(GET => '/api/v1/admin/kyc/pending?pageSize=500', $A);
is($r->{status}, 200, 'the queue');
my ($row) = grep { $_->{kycId} eq $kid } @{ $r->{json}{data} };
ok($row && $row->{screeningHold}, 'held in the review queue');
is($row->{screeningAlertId}, $alert->{alertId}, 'naming its alert');
$r = api(POST => "/api/v1/admin/kyc/$kid/approve", $A, { level => 'LEVEL_2' });
error_ok($r, 409, 'CONFLICT', 'approval refused while held');
is($r->{json}{error}{details}{screeningAlertId}, $alert->{alertId}, 'names the alert to resolve');
$r = api(POST => "/api/v1/admin/compliance/alerts/$alert->{alertId}/resolve", $A,
    { resolution => 'FALSE_POSITIVE', note => 'different person: passport checked' });
is($r->{status}, 200, 'the alert resolved as a false positive') or diag($r->{body});
$r = api(POST => "/api/v1/admin/kyc/$kid/approve", $A, { level => 'LEVEL_2' });
is($r->{status}, 200, 'then approved');

# Spelling: a typo in the surname and Turkish letters folded.
my $v = new_user('scr2');
$r = post_utf8('/api/v1/kyc/submit', bearer($v->{access}), kyc_body(firstName => 'Mehmet', lastName => 'Oztürkk'));
my $al2 = api(GET => "/api/v1/admin/compliance/alerts?filter_type=BLACKLIST_HIT&filter_userId=$v->{userId}", $A);
is(scalar @{ $al2->{json}{data} }, 1, 'Öztürk / Oztürkk: a match (folded, one edit)');
is($al2->{json}{data}[0]{details}{matches}[0]{distance}, 1, 'distance 1');
# PEP: HIGH.
my $p = new_user('scr3');
post_utf8('/api/v1/kyc/submit', bearer($p->{access}), kyc_body(firstName => 'ZEYNEP', lastName => "KAYA$L"));
$al2 = api(GET => "/api/v1/admin/compliance/alerts?filter_type=BLACKLIST_HIT&filter_userId=$p->{userId}", $A);
is($al2->{json}{data}[0]{severity}, 'HIGH', 'a PEP match: HIGH');
# Not a match: another birth date, another nationality, another name.
for my $case ([ 'Ayse Gul', 'Yilmaz', '1980-01-01', 'TR', 'another birth date' ],
    [ 'Ivan', "Petrov$L", '1960-01-01', 'TR', 'another nationality' ],
    [ 'Ahmet', 'Yilmaz', '1975-03-04', 'TR', 'another first name' ]) {
	my $w = new_user('scrn');
	$r = submit($w, firstName => $case->[0], lastName => $case->[1], dateOfBirth => $case->[2],
	    nationality => $case->[3], $case->[3] ne 'TR' ? (idNumber => 'C01X00T47') : ());
	is($r->{status}, 201, "$case->[4]: submitted") or diag($r->{body});
	$al2 = api(GET => "/api/v1/admin/compliance/alerts?filter_type=BLACKLIST_HIT&filter_userId=$w->{userId}", $A);
	is(scalar @{ $al2->{json}{data} }, 0, "$case->[4]: no alert");
}

# --- registration blacklist (Compliance Check 1) --------------------------------------------
my $bad_email = "blocked.$$\@example.org";
my $bad_phone = sprintf '+90533%07d', $$ % 10000000;
$r = api(POST => "$SP/blacklist", $A, { kind => 'EMAIL', value => uc $bad_email, reason => 'fraud ring' });
is($r->{status}, 201, 'blacklist an address') or diag($r->{body});
is($r->{json}{data}{value}, $bad_email, 'stored lower-cased');
my $entry = $r->{json}{data}{entryId};
$r = api(POST => "$SP/blacklist", $A, { kind => 'EMAIL', value => $bad_email, reason => 'again' });
error_ok($r, 409, 'CONFLICT', 'listed twice');
api(POST => "$SP/blacklist", $A, { kind => 'PHONE', value => $bad_phone, reason => 'mule' });
api(POST => "$SP/blacklist", $A, { kind => 'EMAIL_DOMAIN', value => "bad$$.example", reason => 'throwaway domain' });
for my $case ([ { kind => 'PHONE', value => '0555', reason => 'x y z' }, 'value', 'a phone not E.164' ],
    [ { kind => 'EMAIL', value => 'no-at-sign', reason => 'x y z' }, 'value', 'not an address' ],
    [ { kind => 'EMAIL_DOMAIN', value => 'a@b.c', reason => 'x y z' }, 'value', 'a domain with @' ],
    [ { kind => 'IP', value => '1.2.3.4', reason => 'x y z' }, 'kind', 'an unknown kind' ]) {
	$r = api(POST => "$SP/blacklist", $A, $case->[0]);
	error_ok($r, 400, 'INVALID_REQUEST', "blacklist: $case->[2]");
	is($r->{json}{error}{details}{field}, $case->[1], "blacklist: $case->[2]: field");
}
$r = api(GET => "$SP/blacklist", $A);
ok((grep { $_->{entryId} eq $entry } @{ $r->{json}{data} }), 'GET blacklist');

my $pw = 'Blacklist-test-' . int(rand 1e9);
for my $case ([ { email => $bad_email, password => $pw }, 'the address' ],
    [ { email => unique_email('ok'), password => $pw, phoneNumber => $bad_phone }, 'the phone' ],
    [ { email => "anyone.$$\@bad$$.example", password => $pw }, 'the domain' ]) {
	$r = api(POST => '/api/v1/auth/register', {}, $case->[0]);
	error_ok($r, 403, 'COMPLIANCE_001', "registration refused: $case->[1]");
}
is(psql("SELECT count(*) FROM users WHERE email = '$bad_email'"), 0, 'no account made');
$al = api(GET => '/api/v1/admin/compliance/alerts?filter_type=BLACKLIST_HIT&pageSize=500', $A);
ok((grep { ($_->{details}{entryId} // '') eq $entry && $_->{details}{check} eq 'REGISTRATION' }
    @{ $al->{json}{data} }), 'a BLACKLIST_HIT alert names the entry');
$r = api(POST => "$SP/blacklist/$entry/remove", $A, { reason => 'cleared by compliance' });
is($r->{status}, 200, 'removed');
$r = api(POST => "$SP/blacklist/$entry/remove", $A, { reason => 'again' });
error_ok($r, 404, 'NOT_FOUND', 'removed already');
$r = api(POST => '/api/v1/auth/register', {}, { email => $bad_email, password => $pw });
is($r->{status}, 201, 'registration works once removed');
is(psql("SELECT count(*) FROM audit_log WHERE event_type LIKE 'IDENTITY_BLACKLIST_%' AND target_ref = '$entry'"),
    2, 'adding and removing audited');

done_testing();
