# tests/api/lib/HzmBinance.pm — the stack's stand-in Binance from API tests: its known keys, prices, faults, clock and request counts
package HzmBinance;
use strict;
use warnings;
use Exporter 'import';
use HTTP::Tiny;
use JSON::PP;

our @EXPORT = qw(binance_conf binance_call binance_fault binance_reset binance_clock
    binance_price binance_counts binance_requests binance_add_key binance_key_of
    binance_secret_of);

my $json = JSON::PP->new->canonical;
my $http = HTTP::Tiny->new(timeout => 60, keep_alive => 0);

# binance.conf of the stand-in: { port, bind }
sub binance_conf {
	my $f = "$ENV{HZM_VAR}/binance/binance.conf";
	open my $fh, '<', $f or die "no $f: is the stand-in Binance part of the stack?";
	my %c = map { /^(\w+)=(.*)$/ ? ($1 => $2) : () } <$fh>;
	close $fh;
	return \%c;
}

# One call to the stand-in: decoded JSON (or undef) and the status.
sub binance_call {
	my ($method, $path, $body) = @_;
	my %opt = (headers => { 'Content-Type' => 'application/json' });
	$opt{content} = $json->encode($body) if defined $body;
	my $r = $http->request($method, "http://127.0.0.1:" . binance_conf()->{port} . $path, \%opt);
	my $j = eval { decode_json($r->{content}) };
	return wantarray ? ($j, $r->{status}) : $j;
}

# The keys the stand-in knows from the start (tests/stubs/binance: KEYS):
# binance_key_of('OPENKEY') is the 64-character key, binance_secret_of its secret.
sub binance_key_of {
	my ($prefix) = @_;
	my $alpha = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
	return substr($prefix . $alpha x 2, 0, 64);
}
sub binance_secret_of { my $k = binance_key_of($_[0]); return 'S' . substr($k, 1) }

sub binance_fault { my ($j, $st) = binance_call(POST => '/test/fault', {@_}); die "fault: $st" unless $st == 200 }
sub binance_reset { binance_call(POST => '/test/reset', {@_}) }
sub binance_clock { binance_call(POST => '/test/clock', { offsetMs => $_[0] }) }
sub binance_price { binance_call(POST => '/test/price', { symbol => $_[0], price => $_[1] }) }
sub binance_add_key { my ($j, $st) = binance_call(POST => '/test/keys', {@_}); die "keys: $st" unless $st == 200 }
# Requests seen per "METHOD /path" since the last reset.
sub binance_counts { return binance_call(GET => '/test/requests')->{counts} }
sub binance_requests { return binance_call(GET => '/test/requests')->{requests} }

1;
