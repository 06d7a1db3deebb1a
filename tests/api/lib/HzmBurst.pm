# tests/api/lib/HzmBurst.pm — send many requests at once, each on its own connection, and collect the answers
package HzmBurst;
use strict;
use warnings;
use Exporter 'import';
use IO::Select;
use IO::Socket::INET;
use JSON::PP;
use Time::HiRes qw(time);

our @EXPORT = qw(burst);

my $json = JSON::PP->new->canonical;

# burst([METHOD, PATH, TOKEN, BODY, HEADERS], ...): every connection made
# first, then every request written, so that the handlers see them
# together; HEADERS (optional) a hash of more request headers. Returns
# ({ status, json, body, headers } in the order of the requests: body as
# sent, headers by lowercase name).
sub burst {
	my (@reqs) = @_;
	my (@socks, %idx, %buf);
	for my $i (0 .. $#reqs) {
		my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
		    PeerPort => $ENV{HZM_PORT}, Proto => 'tcp', Timeout => 10)
		    or die "connect: $!";
		push @socks, $s;
		$idx{fileno $s} = $i;
	}
	for my $i (0 .. $#reqs) {
		my ($method, $path, $tok, $body, $hdrs) = @{ $reqs[$i] };
		# Spelt as Hzm's api() spells it: the same request, the same bytes.
		my $b = defined $body ? $json->encode($body) : '';
		my $msg = "$method $path HTTP/1.1\r\nHost: 127.0.0.1\r\n"
		    . "Authorization: Bearer $tok\r\nConnection: close\r\n"
		    . join('', map { "$_: $hdrs->{$_}\r\n" } sort keys %{ $hdrs // {} })
		    . (length $b ? "Content-Type: application/json\r\n" : '')
		    . 'Content-Length: ' . length($b) . "\r\n\r\n$b";
		$socks[$i]->syswrite($msg) == length $msg or die "write: $!";
	}
	my $sel = IO::Select->new(@socks);
	my $deadline = time + 60;
	while ($sel->count && time < $deadline) {
		for my $s ($sel->can_read(1)) {
			my $n = sysread($s, my $chunk, 65536);
			if ($n) {
				$buf{fileno $s} .= $chunk;
				next;
			}
			$sel->remove($s);
		}
	}
	my @out;
	for my $s (@socks) {
		my $raw = $buf{fileno $s} // '';
		my ($head, $body) = split /\r\n\r\n/, $raw, 2;
		my ($st) = ($head // '') =~ m{^HTTP/1\.\d (\d{3})};
		my %h = map { /^([^:]+):\s*(.*)$/ ? (lc $1 => $2) : () }
		    split /\r\n/, $head // '';
		$out[$idx{fileno $s}] = { status => $st // 0, body => $body // '',
		    headers => \%h, json => eval { decode_json($body // '') } };
		close $s;
	}
	return @out;
}

1;
