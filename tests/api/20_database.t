# tests/api/20_database.t — PostgreSQL goes away and comes back: 503 meanwhile, never a hang, then service resumes
use strict;
use warnings;
use Test::More;
use Hzm;

my $r = api(GET => '/api/v1/markets');
is($r->{status}, 200, 'markets before the restart');
my @pids = handler_pids('public');

# Warm every worker's connection so each has one to lose.
api(GET => '/api/v1/markets') for 1 .. 10;

is(pg_ctl('-m', 'fast', 'stop'), 0, 'PostgreSQL stopped');
for my $i (1 .. 6) {
	$r = api(GET => '/api/v1/markets');
	error_ok($r, 503, 'SERVICE_UNAVAILABLE', "markets while the database is down ($i)");
	ok($r->{seconds} < 5, "answered in $r->{seconds} s, no hang");
	is($r->{headers}{'retry-after'}, '1', 'Retry-After given');
}
$r = api(GET => '/api/v1/public/time');
is($r->{status}, 200, 'time does not need the database');
$r = api(GET => '/api/v1/system/health');
error_ok($r, 503, 'SERVICE_UNAVAILABLE', 'health reports the outage');

is(pg_ctl('start'), 0, 'PostgreSQL started again');
my $ok = 0;
for my $i (1 .. 10) {
	$r = api(GET => '/api/v1/markets');
	$ok++ if $r->{status} == 200;
}
is($ok, 10, 'every request after the restart succeeds (reconnected)');
is(scalar @{ $r->{json}{data} }, 4, 'and returns the markets');
$r = api(GET => '/api/v1/system/health');
is($r->{status}, 200, 'health is back');
is_deeply([handler_pids('public')], \@pids, 'the same processes served throughout');

done_testing;
