# tests/api/lib/Hzm.pm — talking to a running hzm stack from API tests
package Hzm;
use strict;
use warnings;
use Exporter 'import';
use HTTP::Tiny;
use IO::Socket::INET;
use JSON::PP;
use Test::More;
use Time::HiRes qw(time sleep);

our @EXPORT = qw(api raw_request envelope_ok error_ok psql web handler_pids
    base_url stack pg_ctl);

my $json = JSON::PP->new->canonical;

sub base_url { "http://127.0.0.1:$ENV{HZM_PORT}" }
sub web { $ENV{HZM_WEB} // 'lighttpd' }

my $http = HTTP::Tiny->new(timeout => 15, keep_alive => 0);

# api(METHOD, PATH, {headers}, BODY) -> { status, headers, body, json }
# BODY: a reference is sent as JSON, a string as is.
sub api {
	my ($method, $path, $headers, $body) = @_;
	my %h = %{ $headers // {} };
	my %opt = (headers => \%h);
	if (defined $body) {
		$opt{content} = ref $body ? $json->encode($body) : $body;
		$h{'Content-Type'} //= 'application/json';
	}
	my $t0 = time;
	my $r = $http->request($method, base_url() . $path, \%opt);
	my $res = {
		status	=> $r->{status},
		headers	=> $r->{headers},
		body	=> $r->{content} // '',
		seconds	=> time - $t0,
	};
	$res->{json} = eval { decode_json($res->{body}) } if length $res->{body};
	return $res;
}

# Send bytes exactly as given; returns { status, headers, body, json }.
sub raw_request {
	my ($bytes) = @_;
	my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1',
	    PeerPort => $ENV{HZM_PORT}, Proto => 'tcp', Timeout => 10)
	    or die "connect: $!";
	$s->autoflush(1);
	print $s $bytes;
	$s->shutdown(1);
	local $/;
	my $resp = <$s> // '';
	close $s;
	my ($head, $body) = split /\r\n\r\n/, $resp, 2;
	$head //= '';
	my ($status) = $head =~ m{^HTTP/\d\.\d (\d{3})};
	my %h;
	for (split /\r\n/, $head) {
		$h{lc $1} = $2 if /^([^:]+):\s*(.*)$/;
	}
	my $res = { status => $status // 0, headers => \%h, body => $body // '' };
	$res->{json} = eval { decode_json($res->{body}) };
	return $res;
}

# The envelope of spec §2.2: every response has these.
sub envelope_ok {
	my ($r, $name) = @_;
	my $j = $r->{json};
	return fail("$name: body is JSON ($r->{status}: "
	    . substr($r->{body}, 0, 200) . ")") unless ref $j eq 'HASH';
	my $ok = 1;
	$ok &&= ok(JSON::PP::is_bool($j->{success}), "$name: success is a boolean");
	$ok &&= like($j->{timestamp} // '',
	    qr/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/, "$name: timestamp");
	$ok &&= ok(defined $j->{requestId}, "$name: requestId present");
	like($r->{headers}{'content-type'} // '', qr{^application/json},
	    "$name: JSON content type");
	return $ok;
}

# error_ok(RESPONSE, STATUS, CODE, NAME): the error envelope of spec §2.3.
sub error_ok {
	my ($r, $status, $code, $name) = @_;
	is($r->{status}, $status, "$name: status $status")
	    or diag(substr($r->{body}, 0, 300));
	envelope_ok($r, $name) or return;
	my $j = $r->{json};
	ok(!$j->{success}, "$name: success is false");
	is($j->{error}{code}, $code, "$name: code $code") if defined $code;
	ok(length($j->{error}{message} // ''), "$name: has a message");
	ok(exists $j->{error}{traceId}, "$name: has a traceId");
}

sub psql {
	my ($sql) = @_;
	my $out = `psql -X -At -q -U hzm -d hzm -h $ENV{HZM_VAR}/run/pg -c "$sql" 2>&1`;
	chomp $out;
	return $out;
}

# pids of the processes running $HZM_VAR/bin/NAME.fcgi
sub handler_pids {
	my ($name) = @_;
	my $want = "$ENV{HZM_VAR}/bin/$name.fcgi";
	my @p;
	for my $d (glob '/proc/[0-9]*') {
		my $exe = readlink "$d/exe" or next;
		push @p, substr($d, 6) + 0 if $exe eq $want;
	}
	return sort { $a <=> $b } @p;
}

# pg_ctl on the stack's cluster, as the user that owns it.
sub pg_ctl {
	my @args = @_;
	my @as = $> == 0 ? ('runuser', '-u', 'postgres', '--') : ();
	my $log = "$ENV{HZM_VAR}/log/postgres.log";
	return system(@as, '/usr/lib/postgresql/15/bin/pg_ctl', '-D',
	    "$ENV{HZM_VAR}/pg", '-l', $log, '-w', @args) >> 8;
}

sub stack {
	my @args = @_;
	return system("$ENV{HZM_ROOT}/scripts/stack", @args) >> 8;
}

1;
