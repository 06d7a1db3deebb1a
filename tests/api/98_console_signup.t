# tests/api/98_console_signup.t — flow §11.1 in the console (www/console) in headless Chromium: sign up, verify e-mail and phone, log in, 2FA, KYC to LEVEL_2, the session in the refresh cookie, another device's session ended, a password reset
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time);
use File::Temp qw(tempdir);
use Hzm;
use HzmImages;
use HzmConsole;

console_ready();

# The static files, as both web servers serve them.
for my $p ('/console/', '/console/index.html') {
	my $r = api(GET => $p);
	is($r->{status}, 200, "GET $p: 200");
	like($r->{headers}{'content-type'} // '', qr{^text/html}, '  HTML');
	like($r->{body}, qr{Content-Security-Policy" content="default-src 'none'; script-src 'self'}, '  under a CSP');
	unlike($r->{body}, qr{<script>|\son\w+=}i, '  no inline script');
}
for ([ 'js/api.js', qr{^text/javascript} ], [ 'console.css', qr{^text/css} ]) {
	my $r = api(GET => "/console/$_->[0]");
	is($r->{status}, 200, "$_->[0]: 200");
	like($r->{headers}{'content-type'} // '', $_->[1], "  $_->[1]");
}

mc_flush();
my $email = unique_email('console');
my $phone = sprintf '+90533%03d%04d', $$ % 1000, time % 10000;
my $t0 = time - 1;
my $dir = tempdir(CLEANUP => 1);
my %doc = (ID => [ 'id.png', png_file() ], ADDRESS => [ 'address.pdf', pdf_file() ],
    SELFIE => [ 'selfie.jpg', jpeg_file() ]);
for (values %doc) {
	open my $fh, '>:raw', "$dir/$_->[0]" or die $!;
	print $fh $_->[1];
	close $fh;
}
my ($A, $other);
my $password = 'Console-Flow-' . int(rand 1e9) . '!';
my $n = console_run('console_signup.mjs', {
	HZM_EMAIL => $email, HZM_PASSWORD => $password,
	HZM_PHONE => $phone, map { ("HZM_DOC_$_" => "$dir/$doc{$_}[0]") } keys %doc,
}, {
	'mail-code' => sub { mail_code($_[0], $t0) },
	'sms-code' => sub { sms_code($_[0], $t0) },
	'reset-code' => sub {
		my $m = mail_for($_[0], $t0, qr/reset/i) or return undef;
		($m->{text} // '') =~ /\b(\d{6})\b/ ? $1 : undef;
	},
	# A second device: its session listed in the profile, then ended there.
	'other-login' => sub {
		my $r = api(POST => '/api/v1/auth/login', { 'X-Device-ID' => "phone-$$", 'X-Client-Version' => 'ios-2.4.1' },
		    { email => $_[0], password => $password });
		$other = $r->{json}{data}{accessToken};
		$r->{status} == 200 ? 'ok' : "$r->{status} $r->{body}";
	},
	'other-status' => sub { api(GET => '/api/v1/users/profile', bearer($other))->{status} },
	'kyc-approve' => sub {
		$A //= bearer(admin_login());
		my $kyc = psql("SELECT s.public_id FROM kyc_submissions s JOIN users u ON u.id = s.user_id"
		    . " WHERE u.email = '$_[0]' ORDER BY s.id DESC LIMIT 1");
		my $r = api(POST => "/api/v1/admin/kyc/$kyc/approve", $A);
		$r->{status} == 200 ? 'ok' : "$r->{status} $r->{body}";
	},
});
cmp_ok($n, '>=', 30, "the browser script ran through ($n checks)");

# What the browser did, seen from the database.
is(psql("SELECT kyc_level FROM users WHERE email = '$email'"), 2, 'the account is at LEVEL_2');
is(psql("SELECT totp_enabled FROM users WHERE email = '$email'"), 't', '2FA on');
is(psql("SELECT s.address FROM kyc_submissions s JOIN users u ON u.id = s.user_id WHERE u.email = '$email'"),
    'Bagdat Cad. 1, 34710 Kadikoy, Istanbul', "the address's three lines sent as one");
is(psql("SELECT count(*) FROM refresh_tokens t JOIN users u ON u.id = t.user_id"
    . " WHERE u.email = '$email' AND t.revoked_at IS NULL AND t.used_at IS NULL AND t.expires_at > now()"), 0,
    'logged out: no usable refresh token left');

done_testing;
