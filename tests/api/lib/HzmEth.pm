# tests/api/lib/HzmEth.pm — the stack's stand-in Ethereum node from API tests: RPC and test controls, stop and start, the chain watcher's passes
package HzmEth;
use strict;
use warnings;
use Exporter 'import';
use HTTP::Tiny;
use JSON::PP;
use MIME::Base64 qw(encode_base64);
use Time::HiRes qw(sleep);

our @EXPORT = qw(eth eth_try eth_alive eth_stop eth_start eth_chain_pass wei);

my $http = HTTP::Tiny->new(timeout => 15, keep_alive => 0);
my $seq = 0;

sub eth_conf {
	my $f = "$ENV{HZM_VAR}/ethnode/ethnode.conf";
	open my $fh, '<', $f or die "no $f: is the stand-in node part of the stack?";
	my %c = map { /^(\w+)=(.*)$/ ? ($1 => $2) : () } <$fh>;
	close $fh;
	return \%c;
}

# One JSON-RPC 2.0 call: { status, result, error }.
sub eth_try {
	my ($method, @params) = @_;
	my $c = eth_conf();
	my $r = $http->request(POST => "http://127.0.0.1:$c->{port}/", {
	    headers => { 'Content-Type' => 'application/json', Authorization =>
		'Basic ' . encode_base64("$c->{user}:$c->{password}", '') },
	    content => encode_json({ jsonrpc => '2.0', id => ++$seq,
		method => $method, params => \@params }) });
	my $j = eval { decode_json($r->{content}) } // {};
	return { status => $r->{status}, result => $j->{result}, error => $j->{error} };
}

sub eth {
	my ($method, @params) = @_;
	my $r = eth_try($method, @params);
	die "eth $method: $r->{status} " . encode_json($r->{error} // {}) . "\n"
	    if $r->{error} || $r->{status} != 200;
	return $r->{result};
}

# A decimal amount in base units, as text: wei('0.5') = 5 * 10^17.
sub wei {
	my ($amount, $decimals) = @_;
	$decimals //= 18;
	my ($i, $f) = split /\./, $amount;
	$f //= '';
	my $s = $i . $f . ('0' x ($decimals - length $f));
	$s =~ s/^0+(?=\d)//;
	return $s;
}

sub eth_pidfile { "$ENV{HZM_VAR}/run/ethnode.pid" }

sub eth_alive {
	open my $fh, '<', eth_pidfile() or return 0;
	my $pid = <$fh>;
	close $fh;
	chomp $pid;
	return $pid && kill(0, $pid) ? $pid : 0;
}

sub eth_stop {
	my $pid = eth_alive() or return 1;
	kill 'TERM', $pid;
	for (1 .. 100) {
		return 1 unless kill 0, $pid;
		sleep 0.1;
	}
	return 0;
}

sub eth_start {
	return system("$ENV{HZM_ROOT}/tests/stubs/ethnode",
	    "-datadir=$ENV{HZM_VAR}/ethnode", '-pid=' . eth_pidfile(), '-daemon') == 0;
}

# One pass of cron-chain that did the Ethereum networks' work (the
# stack's own schedule may hold one; then this run leaves it "busy").
sub eth_chain_pass {
	my ($out, $rc);
	for (1 .. 100) {
		$out = `HZM_CONF=$ENV{HZM_VAR}/hzm.conf $ENV{HZM_VAR}/bin/cron-chain 2>&1`;
		$rc = $? >> 8;
		return ($rc, $out) unless $out =~ /^(ETH|ERC20) busy$/m;
		sleep 0.1;
	}
	return ($rc, $out);
}

1;
