# tests/api/lib/HzmChain.pm — the stack's stand-in Bitcoin node from API tests: RPC calls, mining, stop and start, the chain watcher
package HzmChain;
use strict;
use warnings;
use Exporter 'import';
use HTTP::Tiny;
use JSON::PP;
use MIME::Base64 qw(encode_base64);
use Time::HiRes qw(time sleep);

our @EXPORT = qw(btc btc_try btc_conf btc_stop btc_start btc_alive chain_run);

my $http = HTTP::Tiny->new(timeout => 15, keep_alive => 0);
my $seq = 0;

# bitcoin.conf of the stack's node: { rpcport, rpcuser, rpcpassword, ... }
sub btc_conf {
	my $f = "$ENV{HZM_VAR}/bitcoind/bitcoin.conf";
	open my $fh, '<', $f or die "no $f: is the stand-in node part of the stack?";
	my %c = map { /^(\w+)=(.*)$/ ? ($1 => $2) : () } <$fh>;
	close $fh;
	return \%c;
}

# One JSON-RPC 1.0 call: { status, result, error } as the node answered.
sub btc_try {
	my ($method, @params) = @_;
	my $c = btc_conf();
	my $r = $http->request(POST => "http://127.0.0.1:$c->{rpcport}/wallet/hzm", {
	    headers => { 'Content-Type' => 'application/json', Authorization =>
		'Basic ' . encode_base64("$c->{rpcuser}:$c->{rpcpassword}", '') },
	    content => encode_json({ jsonrpc => '1.0', id => 't' . ++$seq,
		method => $method, params => \@params }) });
	my $j = eval { decode_json($r->{content}) } // {};
	return { status => $r->{status}, result => $j->{result}, error => $j->{error} };
}

# The result of a call that must succeed.
sub btc {
	my ($method, @params) = @_;
	my $r = btc_try($method, @params);
	die "btc $method: $r->{status} " . encode_json($r->{error} // {}) . "\n"
	    if $r->{error} || $r->{status} != 200;
	return $r->{result};
}

sub btc_pidfile { "$ENV{HZM_VAR}/run/bitcoind.pid" }

sub btc_alive {
	open my $fh, '<', btc_pidfile() or return 0;
	my $pid = <$fh>;
	close $fh;
	chomp $pid;
	return $pid && kill(0, $pid) ? $pid : 0;
}

# Stop the node (its chain is kept on disk) and wait until it is gone.
sub btc_stop {
	my $pid = btc_alive() or return 1;
	kill 'TERM', $pid;
	for (1 .. 100) {
		return 1 unless kill 0, $pid;
		sleep 0.1;
	}
	return 0;
}

# Start it again, on the same port with the same chain.
sub btc_start {
	return system("$ENV{HZM_ROOT}/tests/stubs/bitcoind",
	    "-datadir=$ENV{HZM_VAR}/bitcoind", '-pid=' . btc_pidfile(), '-daemon') == 0;
}

# One run of cron-chain: (exit code, what it printed).
sub chain_run {
	my $out = `HZM_CONF=$ENV{HZM_VAR}/hzm.conf $ENV{HZM_VAR}/bin/cron-chain 2>&1`;
	return ($? >> 8, $out);
}

1;
