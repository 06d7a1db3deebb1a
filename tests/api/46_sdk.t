# tests/api/46_sdk.t — the TypeScript SDK (sdk/, generated from docs/openapi.json) runs flow §11.1 against the live stack
use strict;
use warnings;
use Test::More;
use JSON::PP;
use File::Temp qw(tempfile);
use Hzm;
use HzmImages;

my $root = $ENV{HZM_ROOT} // '.';
my $tsx = "$root/sdk/node_modules/.bin/tsx";
plan skip_all => "the sdk's npm packages are not installed (make deps)" unless -x $tsx;

mc_flush();

# The documents are built here (HzmImages), the form handed over as a file.
my ($fh, $form) = tempfile('hzm-sdk-kyc-XXXXXX', TMPDIR => 1, UNLINK => 1);
print $fh JSON::PP->new->encode(kyc_body(idExpiryDate => '2031-01-01'));
close $fh;
my %env = (
	HZM_BASE_URL	=> base_url(),
	HZM_FLOW_EMAIL	=> unique_email('sdk'),
	HZM_FLOW_PHONE	=> sprintf('+90534%03d%04d', $$ % 1000, time % 10000),
	HZM_KYC_BODY	=> $form,
	HZM_ADMIN_TOKEN	=> admin_login(),
);
local @ENV{ keys %env } = values %env;
my $out = `cd $root/sdk && $tsx test/flow_11_1.ts 2>&1`;
my $rc = $? >> 8;
my $steps = 0;
for my $line (split /\n/, $out) {
	if ($line =~ /^(not )?ok \d+ - (.*)$/) {
		ok(!$1, "sdk: $2");
		$steps++;
	} elsif ($line !~ /^1\.\.\d+$/) {
		diag($line);
	}
}
ok($steps >= 15, "the flow ran its steps ($steps)");
is($rc, 0, 'the flow exits 0');
is(psql("SELECT status || kyc_level FROM users WHERE email = '$env{HZM_FLOW_EMAIL}'"), 'ACTIVE2',
    'the account is ACTIVE at LEVEL_2');

done_testing();
