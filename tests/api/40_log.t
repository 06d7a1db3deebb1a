# tests/api/40_log.t — one JSON log line per request, with what an operator needs
use strict;
use warnings;
use Test::More;
use JSON::PP;
use Hzm;

my $id = 'log-test-' . time() . '-' . $$;
my $r = api(GET => '/api/v1/markets?x=1', { 'X-Request-ID' => $id });
is($r->{status}, 200, 'request made');
api(GET => '/api/v1/no/such', { 'X-Request-ID' => "$id-404" });

my $file = "$ENV{HZM_VAR}/log/hzm.log";
my (%line, $bad);
for (1 .. 50) {
	open my $fh, '<', $file or last;
	%line = ();
	$bad = 0;
	while (<$fh>) {
		my $j = eval { decode_json($_) };
		$bad++, next unless $j;
		$line{$j->{requestId}} = $j if ($j->{requestId} // '') =~ /^\Q$id\E/;
	}
	last if keys %line == 2;
	select undef, undef, undef, 0.1;
}
is($bad, 0, 'every log line is JSON');
my $l = $line{$id};
ok($l, 'the request is logged under its requestId') or done_testing, exit;
is($l->{method}, 'GET', 'method');
is($l->{path}, '/api/v1/markets', 'path (query string not logged)');
is($l->{status}, 200, 'status');
like($l->{durationMs}, qr/^\d+(\.\d+)?$/, 'durationMs is a number');
is($l->{handler}, 'public', 'handler');
like($l->{ts}, qr/Z$/, 'UTC timestamp');
like($l->{traceId}, qr/^[0-9a-f]{32}$/, 'traceId');
is($line{"$id-404"}{status}, 404, '404 logged too');
is($line{"$id-404"}{handler}, 'errors', 'by the catch-all handler');

done_testing;
