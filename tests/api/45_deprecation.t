# tests/api/45_deprecation.t — §9.2: a deprecated route says so on every answer (Deprecation, Sunset as an HTTP-date), and the OpenAPI document marks it
use strict;
use warnings;
use Test::More;
use JSON::PP;
use Hzm;

mc_flush();

my $P = '/api/v1/system/deprecation-example';
my $r = api(GET => $P);
is($r->{status}, 200, 'the deprecated example answers') or diag($r->{body});
is($r->{headers}{deprecation}, 'true', 'Deprecation: true');
is($r->{headers}{sunset}, 'Tue, 01 Jan 2030 00:00:00 GMT', 'Sunset as an HTTP-date (RFC 8594)');
envelope_ok($r, 'the envelope as ever');
ok($r->{json}{data}{deprecated}, 'and says so in the body');

# An error of the route carries them too.
$r = api(GET => "$P?x=1");
error_ok($r, 400, 'INVALID_REQUEST', 'an unknown query parameter: 400');
is($r->{headers}{deprecation}, 'true', 'with Deprecation');
ok($r->{headers}{sunset}, 'and Sunset');
$r = api(POST => $P, {}, {});
is($r->{status}, 405, 'another method: 405 (no route, no deprecation claim)');

# Routes that are not deprecated carry neither.
$r = api(GET => '/api/v1/system/health');
ok(!exists $r->{headers}{deprecation} && !exists $r->{headers}{sunset}, 'health: not deprecated');
$r = api(GET => '/api/v1/public/time');
ok(!exists $r->{headers}{deprecation}, 'public/time: not deprecated');

# The OpenAPI document marks it, and every deprecated GET it names says so.
my $doc = api(GET => '/api/docs/openapi.json');
is($doc->{status}, 200, 'openapi.json');
my $oa = decode_json($doc->{body});
my $op = $oa->{paths}{$P}{get};
ok($op->{deprecated}, 'operation marked deprecated');
is($op->{'x-sunset'}, 'Tue, 01 Jan 2030 00:00:00 GMT', 'x-sunset: the header\'s value');
ok($op->{responses}{200}{headers}{Deprecation} && $op->{responses}{200}{headers}{Sunset},
    'the 200 documents both headers');
my @dep;
for my $path (sort keys %{ $oa->{paths} }) {
	for my $m (sort keys %{ $oa->{paths}{$path} }) {
		my $o = $oa->{paths}{$path}{$m};
		push @dep, [ uc $m, $path, $o ] if ref $o eq 'HASH' && $o->{deprecated};
	}
}
ok(@dep >= 1, 'deprecated operations listed: ' . scalar @dep);
for my $d (grep { $_->[0] eq 'GET' && $_->[1] !~ /\{/ && $_->[2]{'x-hzm-auth'} eq 'none' } @dep) {
	my $a = api(GET => $d->[1]);
	is($a->{headers}{sunset}, $d->[2]{'x-sunset'}, "$d->[1]: Sunset as documented");
}

done_testing();
