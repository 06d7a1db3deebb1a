# tests/api/63_kyc_hostile.t — KYC refuses names that hide or reorder text and documents that are only a file header glued to something else
use strict;
use warnings;
use utf8;
use Test::More;
use JSON::PP qw(encode_json);
use Hzm;
use HzmImages;

mc_flush();

# Bodies with non-ASCII text go as UTF-8 bytes.
sub submit { my ($u, $body) = @_; api(POST => '/api/v1/kyc/submit', bearer($u->{access}), encode_json($body)) }
sub doc { { contentType => $_[0], data => b64($_[1]) } }

sub hostile_kyc_body {
	my (%over) = @_;
	my %b = (
		firstName	=> 'Ayşe',
		lastName	=> 'Çağdaş-Yılmaz',
		dateOfBirth	=> '1990-05-17',
		nationality	=> 'TR',
		idNumber	=> '10000000146',
		address		=> 'Bağdat Cad. 1, 34710 Kadıköy, İstanbul',
		documents	=> {
			idDocument	=> doc('image/png', png_file()),
			addressProof	=> doc('application/pdf', pdf_file()),
			selfie		=> doc('image/jpeg', jpeg_file()),
		},
	);
	for my $k (keys %over) {
		if ($k =~ /^documents\.(\w+)$/) { $b{documents}{$1} = $over{$k} }
		else { $b{$k} = $over{$k} }
	}
	return \%b;
}

my $u = new_user('kychostile');
my $uid = "(SELECT id FROM users WHERE public_id = '$u->{userId}')";

# ---- names: nothing that reorders, hides or controls text ------------------------
my @chars = (
	[ "\x{202E}", 'RIGHT-TO-LEFT OVERRIDE',	qr/bidirectional/ ],
	[ "\x{202D}", 'LEFT-TO-RIGHT OVERRIDE',	qr/bidirectional/ ],
	[ "\x{202A}", 'LEFT-TO-RIGHT EMBEDDING',	qr/bidirectional/ ],
	[ "\x{2066}", 'LEFT-TO-RIGHT ISOLATE',	qr/bidirectional/ ],
	[ "\x{2069}", 'POP DIRECTIONAL ISOLATE',	qr/bidirectional/ ],
	[ "\x{200E}", 'LEFT-TO-RIGHT MARK',	qr/bidirectional/ ],
	[ "\x{200F}", 'RIGHT-TO-LEFT MARK',	qr/bidirectional/ ],
	[ "\x{061C}", 'ARABIC LETTER MARK',	qr/bidirectional/ ],
	[ "\x{200B}", 'ZERO WIDTH SPACE',	qr/invisible/ ],
	[ "\x{200C}", 'ZERO WIDTH NON-JOINER',	qr/invisible/ ],
	[ "\x{200D}", 'ZERO WIDTH JOINER',	qr/invisible/ ],
	[ "\x{2060}", 'WORD JOINER',		qr/invisible/ ],
	[ "\x{FEFF}", 'BYTE ORDER MARK',	qr/invisible/ ],
	[ "\x{00AD}", 'SOFT HYPHEN',		qr/invisible/ ],
	[ "\x{E0041}", 'TAG LATIN CAPITAL A',	qr/invisible/ ],
	[ "\x{0085}", 'NEXT LINE (C1)',		qr/control/ ],
	[ "\x{009B}", 'CONTROL SEQUENCE INTRODUCER (C1)', qr/control/ ],
	[ "\x{007F}", 'DELETE',			qr/control/ ],
	[ "\x{001B}", 'ESCAPE',			qr/control/ ],
	[ "\x{2028}", 'LINE SEPARATOR',		qr/space/ ],
	[ "\x{00A0}", 'NO-BREAK SPACE',		qr/space/ ],
);
for my $c (@chars) {
	my ($ch, $what, $why) = @$c;
	for my $f (qw(firstName lastName)) {
		my $r = submit($u, hostile_kyc_body($f => "Ali${ch}veli"));
		error_ok($r, 400, 'INVALID_REQUEST', "$f with $what");
		is($r->{json}{error}{details}{field}, $f, "$f with $what: names $f");
		like($r->{json}{error}{details}{reason} // '', $why, "$f with $what: says why");
	}
}
# The classic: "Ali" + RLO + "kcab" shows as "Alibcak".
my $r = submit($u, hostile_kyc_body(lastName => "Ali\x{202E}kcab"));
error_ok($r, 400, 'INVALID_REQUEST', 'a bidi override spoofing a name');
# The address is shown to reviewers too.
$r = submit($u, hostile_kyc_body(address => "Bağdat Cad. 1\x{202E}, İstanbul"));
error_ok($r, 400, 'INVALID_REQUEST', 'an address with a bidi override');
is($r->{json}{error}{details}{field}, 'address', '  names address');
$r = submit($u, hostile_kyc_body(address => "Bağdat Cad. 1\x{200B}, İstanbul"));
error_ok($r, 400, 'INVALID_REQUEST', 'an address with a zero width space');
for my $n ('--', "A  B", '  ', '12') {
	$r = submit($u, hostile_kyc_body(firstName => $n));
	error_ok($r, 400, 'INVALID_REQUEST', "first name '$n'");
	is($r->{json}{error}{details}{field}, 'firstName', "first name '$n': names firstName");
}

# ---- documents: the whole file is checked, not its first bytes -------------------
my $html = '<html><script>alert(document.cookie)</script></html>';
my @docs = (
	[ selfie => doc('image/jpeg', "\xff\xd8\xff\xe0$html"),		qr/JPEG/, 'a JPEG header, then HTML' ],
	[ selfie => doc('image/jpeg', "\xff\xd8\xff\xe0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0$html\xff\xd9"),
	    qr/JPEG/, 'SOI, APP0, HTML, EOI' ],
	[ selfie => doc('image/jpeg', jpeg_file() . $html),			qr/after the end/, 'HTML after EOI' ],
	[ selfie => doc('image/jpeg', substr(jpeg_file(), 0, -2)),		qr/EOI/, 'a JPEG without its end' ],
	[ idDocument => doc('image/png', "\x89PNG\r\n\x1a\n$html"),		qr/PNG/, 'a PNG signature, then HTML' ],
	[ idDocument => doc('image/png', png_file() . $html),		qr/after IEND/, 'HTML after IEND' ],
	[ idDocument => doc('image/png', do { my $p = png_file(); substr($p, 45, 1) ^= "\x01"; $p }),
	    qr/CRC/, 'a PNG with a corrupted IDAT' ],
	[ addressProof => doc('application/pdf', "%PDF-1.4\n$html"),		qr/PDF/, 'a PDF header, then HTML' ],
	[ addressProof => doc('application/pdf', pdf_file(undef, "\n$html\n")),	qr/EOF/, 'HTML after %%EOF' ],
	[ addressProof => doc('application/pdf', pdf_file('/OpenAction << /S /JavaScript /JS (app.alert(1)) >> ')),
	    qr/active content/, 'a PDF that runs JavaScript when opened' ],
	[ addressProof => doc('application/pdf', pdf_file('/OpenAction << /S /Launch /F (cmd.exe) >> ')),
	    qr/active content/, 'a PDF that launches a program' ],
);
for my $d (@docs) {
	my ($kind, $doc, $why, $name) = @$d;
	$r = submit($u, hostile_kyc_body("documents.$kind" => $doc));
	error_ok($r, 400, 'KYC_004', $name);
	is($r->{json}{error}{details}{field}, "documents.$kind.data", "$name: names documents.$kind.data");
	like($r->{json}{error}{details}{reason} // '', $why, "$name: says why");
}
is(psql("SELECT count(*) FROM kyc_submissions WHERE user_id = $uid"), 0,
    'nothing refused was stored');

# ---- what real people send still goes through ------------------------------------
$r = submit($u, hostile_kyc_body(firstName => 'Zoë Ayşe', lastName => "O'Neil-Çağdaş",
    'documents.selfie' => doc('image/jpeg', jpeg_file('taken by a phone')),
    'documents.idDocument' => doc('image/png', png_file('scanned'))));
is($r->{status}, 201, 'letters of other alphabets, apostrophes and hyphens; '
    . 'images with comments') or diag($r->{body});
my $kyc = $r->{json}{data}{kycId};
is(psql("SELECT first_name || '|' || last_name FROM kyc_submissions WHERE public_id = '$kyc'"),
    do { my $s = "Zoë Ayşe|O'Neil-Çağdaş"; utf8::encode($s); $s }, 'names stored as sent');

# ---- and no endpoint hands a document back ---------------------------------------
my $A = bearer(admin_login());
$r = api(GET => '/api/v1/admin/kyc/pending?pageSize=500', $A);
my ($item) = grep { $_->{kycId} eq $kyc } @{ $r->{json}{data} // [] };
ok($item, 'the application is pending review');
is_deeply([ sort map { join ',', sort keys %$_ } @{ $item->{documents} // [] } ],
    [ ('contentType,kind,sha256,size') x 3 ], 'reviewers see documents by hash and size, never content');

# ---- staff reasons and notes, and API key names, follow the same text rules --------
$r = api(POST => "/api/v1/admin/kyc/$kyc/reject", $A,
    encode_json({ reason => 'OTHER', note => "looks \x{202E}fine" }));
error_ok($r, 400, 'INVALID_REQUEST', 'a reviewer note with a bidi override');
is($r->{json}{error}{details}{field}, 'note', 'names the note');
$r = api(PUT => "/api/v1/admin/users/$u->{userId}/status", $A,
    encode_json({ status => 'SUSPENDED', reason => "abuse\x{200B}report" }));
error_ok($r, 400, 'INVALID_REQUEST', 'a status reason with an invisible character');
{
	my $auth = bearer($u->{access});
	my $secret = api(POST => '/api/v1/auth/2fa/setup', $auth, {})->{json}{data}{secret};
	api(POST => '/api/v1/auth/2fa/enable', $auth, { code => totp_code($secret) });
	psql("UPDATE users SET totp_last_step = 0 WHERE public_id = '$u->{userId}'");
	$r = api(POST => '/api/v1/api-keys/generate', $auth, encode_json({
	    name => "bot\x{2066}x", scopes => ['read'], twoFactorCode => totp_code($secret) }));
	error_ok($r, 400, 'INVALID_REQUEST', 'an API key name with a bidi isolate');
	is($r->{json}{error}{details}{field}, 'name', 'names the field');
}

done_testing();
