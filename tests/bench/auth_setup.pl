#!/usr/bin/perl
# tests/bench/auth_setup.pl — credentials for the authenticated benchmarks:
# prints a bearer token, API key/password, and writes N pre-signed GET
# requests (one per line: timestamp, signature, request id) to FILE.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../api/lib";
use Time::HiRes qw(time);
use Digest::SHA qw(hmac_sha256_hex);
use Hzm;

my ($file, $n) = @ARGV;
my $email = 'test.level2@example.com';
my $r = login($email, $SANDBOX_PW);
die "login: $r->{body}" unless $r->{status} == 200;
my $auth = bearer($r->{json}{data}{accessToken});
my $secret = api(POST => '/api/v1/auth/2fa/setup', $auth, {})->{json}{data}{secret};
$r = api(POST => '/api/v1/auth/2fa/enable', $auth, { code => totp_code($secret) });
die "2fa: $r->{body}" unless $r->{status} == 200;
$r = api(POST => '/api/v1/api-keys/generate', $auth, { name => 'bench', scopes => ['read'],
    twoFactorCode => totp_code($secret, time + 30) });
die "key: $r->{body}" unless $r->{status} == 201;
my ($key, $pw) = @{ $r->{json}{data} }{qw(apiKey apiPassword)};
open my $fh, '>', $file or die "$file: $!";
# Every request needs its own timestamp (the server refuses a signature
# twice): one per millisecond from 40 s ago, inside the ±60 s window for
# the next minute or so.
my $ts = int(time * 1000) - 40_000;
for my $i (1 .. $n) {
	my $t = $ts + $i;
	printf $fh "%d %s b%d-%d\n", $t,
	    hmac_sha256_hex($t . 'GET' . '/api/v1/users/profile', $pw), $$, $i;
}
close $fh;
print "$r->{json}{data}{apiKey} $pw ", $auth->{Authorization} =~ s/^Bearer //r, "\n";
