# tests/api/lib/HzmWs.pm — WebSocket clients (npm ws, through ws_driver.js) for the API tests
package HzmWs;
use strict;
use warnings;
use Exporter 'import';
use IPC::Open2;
use JSON::PP;
use FindBin;

use IO::Socket::INET;
use Socket qw(SOL_SOCKET SO_RCVBUF);

our @EXPORT = qw(ws_driver ws raw_ws_open raw_ws_send raw_ws_frames);

my $json = JSON::PP->new->canonical;
my ($pid, $in, $out);

# Start the driver against the stack's web server (or another base URL).
sub ws_driver {
	my ($base) = @_;
	$base //= "ws://127.0.0.1:$ENV{HZM_PORT}";
	$pid = open2($out, $in, 'node', "$FindBin::Bin/lib/ws_driver.js", $base)
	    or die "node: $!";
	$in->autoflush(1);
	return $pid;
}

# ws(op => ..., name => ..., ...) -> the driver's answer (a hash)
sub ws {
	my %a = @_;
	ws_driver() unless $pid;
	print $in $json->encode(\%a), "\n";
	my $line = <$out>;
	die "ws driver gone" unless defined $line;
	return decode_json($line);
}

# A client of our own making straight to the streamer's port: a small
# receive buffer and no reading, the slowest consumer there is. Not
# smaller than 16 KiB: below the server's segment size, the window it
# advertises once it reads again leaves the server waiting on its
# backed-off zero-window probes.
sub raw_ws_open {
	my ($port) = @_;
	my $s = IO::Socket::INET->new(Proto => 'tcp', Blocking => 1) or die "socket: $!";
	setsockopt($s, SOL_SOCKET, SO_RCVBUF, pack('i', 16384));
	$s->connect(pack_sockaddr_in_p($port)) or die "connect: $!";
	print $s "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
	    . "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
	    . "Sec-WebSocket-Version: 13\r\n\r\n";
	my $head = '';
	while ($head !~ /\r\n\r\n/) {
		sysread($s, $head, 1, length $head) or last;
	}
	return $head =~ m{^HTTP/1.1 101} ? $s : undef;
}

sub pack_sockaddr_in_p {
	my ($port) = @_;
	return Socket::pack_sockaddr_in($port, Socket::inet_aton('127.0.0.1'));
}

# One masked frame: text, or the opcode given (8: close).
sub raw_ws_send {
	my ($s, $text, $op) = @_;
	my $len = length $text;
	my $b0 = 0x80 | ($op // 1);
	my $mask = pack('N', int(rand(2**32)));
	my $hdr = $len < 126 ? pack('CC', $b0, 0x80 | $len) : pack('CCn', $b0, 0x80 | 126, $len);
	my @m = unpack('C4', $mask);
	my $i = 0;
	my $body = join '', map { chr(ord($_) ^ $m[$i++ % 4]) } split //, $text;
	syswrite($s, $hdr . $mask . $body);
}

# The frames ([opcode, payload]) the server sends within $timeout
# seconds, until it closes (a close frame, or the end of the stream). A
# client that has not read for a while may wait on the server's
# zero-window probes, which back off up to seconds apart: give it time.
sub raw_ws_frames {
	my ($s, $timeout) = @_;
	my ($buf, @f) = ('');
	my $t0 = time;
	$s->blocking(0);
	while (time - $t0 < ($timeout // 10)) {
		my $n = sysread($s, my $chunk, 1 << 16);
		last if defined $n && $n == 0;
		if (!defined $n) {
			select(undef, undef, undef, 0.01);
			next;
		}
		$buf .= $chunk;
		while (length $buf >= 2) {
			my ($b0, $b1) = unpack('CC', $buf);
			my ($len, $off) = ($b1 & 0x7f, 2);
			if ($len == 126) { last if length $buf < 4; $len = unpack('x2n', $buf); $off = 4 }
			elsif ($len == 127) { last if length $buf < 10; $len = unpack('x2Q>', $buf); $off = 10 }
			last if length $buf < $off + $len;
			push @f, [ $b0 & 0x0f, substr($buf, $off, $len) ];
			substr($buf, 0, $off + $len) = '';
		}
		last if @f && $f[-1][0] == 8;
	}
	return @f;
}

END {
	if ($pid) {
		close $in;
		waitpid $pid, 0;
	}
}

1;
