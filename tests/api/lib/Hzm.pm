# tests/api/lib/Hzm.pm — talking to a running hzm stack from API tests
package Hzm;
use strict;
use warnings;
use Exporter 'import';
use HTTP::Tiny;
use IO::Socket::INET;
use IO::Socket::UNIX;
use Socket qw(SOCK_STREAM);
use JSON::PP;
use Test::More;
use Time::HiRes qw(time sleep);

our @EXPORT = qw(api raw_request envelope_ok error_ok psql psql_owner web handler_pids
    base_url stack pg_ctl mail_for mail_code sms_for sms_code totp_code login new_user
    bearer mc_flush mc_get mc_socket mc_stop admin_login with_totp staff unique_email $SANDBOX_PW $ADMIN_TOTP);

our $SANDBOX_PW = 'Sandbox123!';
our $ADMIN_TOTP = 'JBSWY3DPEHPK3PXP';

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

# One statement (or several, in one transaction) through psql, as hzm,
# the role every hzm program connects as; its output and errors.
sub psql { return psql_role('hzm', @_) }

# The same as hzm_owner, the schema's owner (sql/roles.sql): for what hzm
# may not do, such as DDL, ANALYZE and turning triggers off.
sub psql_owner { return psql_role('hzm_owner', @_) }

sub psql_role {
	my ($role, $sql) = @_;
	my $out = `psql -X -At -q -U $role -d hzm -h $ENV{HZM_VAR}/run/pg -c "$sql" 2>&1`;
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

# The newest mail to $to in the stack's file transport written at or after
# $after (epoch seconds), and whose subject matches $subject when one is
# given, decoded: { headers => {lc name => value}, text => ..., html => ...,
# raw => ... }; undef after 5 s, or 20 s for a mail named by its subject
# (the delivery worker sends it, and a loaded machine may keep it waiting).
sub mail_for {
	my ($to, $after, $subject) = @_;
	$after //= 0;
	for (1 .. (defined $subject ? 200 : 50)) {
		my @f = sort glob "$ENV{HZM_VAR}/mail/*.eml";
		for my $f (reverse @f) {
			next if (Time::HiRes::stat($f))[9] < $after;
			open my $fh, '<', $f or next;
			local $/;
			my $raw = <$fh>;
			my ($head) = split /\r?\n\r?\n/, $raw, 2;
			$head =~ s/\r?\n[ \t]+/ /g;
			my %h = map { /^([^:]+):\s*(.*)$/ ? (lc $1 => $2) : () } split /\r?\n/, $head;
			next unless ($h{to} // '') =~ /\Q$to\E/i;
			next if defined $subject && ($h{subject} // '') !~ $subject;
			return { headers => \%h, raw => $raw, file => $f, parts_of($raw) };
		}
		sleep 0.1;
	}
	return undef;
}

sub parts_of {
	my ($raw) = @_;
	require MIME::QuotedPrint;
	require MIME::Base64;
	my %p;
	my ($boundary) = $raw =~ /boundary="?([^";\r\n]+)"?/i;
	return (text => $raw) unless $boundary;
	for my $part (split /--\Q$boundary\E/, $raw) {
		my ($h, $b) = split /\r?\n\r?\n/, $part, 2;
		next unless defined $b && $h =~ m{content-type:\s*text/(plain|html)}i;
		my $kind = lc $1 eq 'plain' ? 'text' : 'html';
		if ($h =~ /content-transfer-encoding:\s*quoted-printable/i) {
			$b = MIME::QuotedPrint::decode_qp($b);
		} elsif ($h =~ /content-transfer-encoding:\s*base64/i) {
			$b = MIME::Base64::decode_base64($b);
		}
		$p{$kind} = $b;
	}
	return %p;
}

# The newest text message to a phone number in the stack's file
# transport ($HZM_VAR/sms/*.json): { to, from, text, file }, or undef.
sub sms_for {
	my ($to, $after) = @_;
	$after //= 0;
	for (1 .. 50) {
		for my $f (reverse sort glob "$ENV{HZM_VAR}/sms/*.json") {
			next if (Time::HiRes::stat($f))[9] < $after;
			open my $fh, '<', $f or next;
			local $/;
			my $m = eval { JSON::PP::decode_json(<$fh>) } or next;
			next unless ($m->{to} // '') eq $to;
			$m->{file} = $f;
			return $m;
		}
		sleep 0.1;
	}
	return undef;
}

# The 6-digit code in the newest text to a phone number.
sub sms_code {
	my ($to, $after) = @_;
	my $m = sms_for($to, $after) or return undef;
	my ($code) = ($m->{text} // '') =~ /\b(\d{6})\b/;
	return $code;
}

# The 6-digit code in the newest mail to an address.
sub mail_code {
	my ($to, $after) = @_;
	my $m = mail_for($to, $after) or return undef;
	my ($code) = ($m->{text} // '') =~ /\b(\d{6})\b/;
	return $code;
}

# RFC 6238 TOTP (SHA-1, 30 s, 6 digits) for a base32 secret.
sub totp_code {
	my ($b32, $t) = @_;
	require Digest::SHA;
	$t //= time;
	my $bits = join '', map {
		sprintf '%05b', index('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', $_)
	} split //, uc $b32;
	my $key = pack 'B*', substr($bits, 0, int(length($bits) / 8) * 8);
	my $ctr = int($t / 30);
	my $msg = pack 'NN', int($ctr / 2**32), $ctr % 2**32;
	my $h = Digest::SHA::hmac_sha1($msg, $key);
	my $o = ord(substr $h, -1) & 0x0f;
	my $v = (unpack('N', substr $h, $o, 4) & 0x7fffffff) % 1_000_000;
	return sprintf '%06d', $v;
}

sub login {
	my ($email, $pw, %extra) = @_;
	return api(POST => '/api/v1/auth/login', {},
	    { email => $email, password => $pw // $SANDBOX_PW, %extra });
}

sub bearer { return { Authorization => "Bearer $_[0]" } }

my $seq = 0;
sub unique_email {
	my ($tag) = @_;
	return sprintf '%s.%d.%d.%d@example.org', $tag // 'user', $$, time, ++$seq;
}

# Register, verify and log in a fresh user: { email, password, userId, access, refresh }.
# %opt: phone => an E.164 number to register with; verify_phone => 1 to verify
# it too (LEVEL_1, ACTIVE).
sub new_user {
	my ($tag, %opt) = @_;
	my $email = unique_email($tag);
	my $pw = 'Correct-Horse-' . int(rand 1e9);
	my $t0 = time - 1;
	my $r = api(POST => '/api/v1/auth/register', {}, { email => $email, password => $pw,
	    defined $opt{phone} ? (phoneNumber => $opt{phone}) : () });
	die "register: $r->{status} $r->{body}" unless $r->{status} == 201;
	my $code = mail_code($email, $t0) or die "no verification mail for $email";
	$r = api(POST => '/api/v1/auth/verify-email', {}, { email => $email, code => $code });
	die "verify: $r->{status} $r->{body}" unless $r->{status} == 200;
	if (defined $opt{phone} && $opt{verify_phone}) {
		my $sc = sms_code($opt{phone}, $t0) or die "no SMS code for $opt{phone}";
		$r = api(POST => '/api/v1/auth/verify-phone', {}, { email => $email, code => $sc });
		die "verify-phone: $r->{status} $r->{body}" unless $r->{status} == 200;
	}
	$r = login($email, $pw);
	die "login: $r->{status} $r->{body}" unless $r->{status} == 200;
	return { email => $email, password => $pw, userId => $r->{json}{data}{user}{userId},
	    access => $r->{json}{data}{accessToken}, refresh => $r->{json}{data}{refreshToken} };
}

# A TOTP code is good once, and one step either side of now: try this
# step, then the next, else wait for a fresh one. $try gets the code and
# returns the response; anything but AUTH_004 ends the search.
sub with_totp {
	my ($secret, $try) = @_;
	for (1 .. 3) {
		for my $dt (0, 30) {
			my $r = $try->(totp_code($secret, time + $dt));
			return $r unless ($r->{json}{error}{code} // '') eq 'AUTH_004';
		}
		sleep(30 - time % 30 + 0.2);
	}
	die 'no usable TOTP step';
}

# The sandbox admin's console session.
sub admin_login {
	my $r = with_totp($ADMIN_TOTP, sub {
		api(POST => '/api/v1/admin/auth/login', {}, { email => 'admin@example.com',
		    password => $SANDBOX_PW, twoFactorCode => $_[0] }) });
	die "admin login: $r->{status} $r->{body}" unless $r->{status} == 200;
	return $r->{json}{data}{accessToken};
}

# A fresh user with 2FA and a staff role, logged in to the console:
# new_user()'s fields plus secret and token.
sub staff {
	my ($role) = @_;
	my $u = new_user(lc $role);
	my $r = api(POST => '/api/v1/auth/2fa/setup', bearer($u->{access}));
	$u->{secret} = $r->{json}{data}{secret} or die "2fa setup: $r->{body}";
	$r = api(POST => '/api/v1/auth/2fa/enable', bearer($u->{access}),
	    { code => totp_code($u->{secret}) });
	die "2fa enable: $r->{body}" unless $r->{status} == 200;
	psql("INSERT INTO user_roles (user_id, role) SELECT id, '$role' FROM users"
	    . " WHERE public_id = '$u->{userId}'");
	$r = with_totp($u->{secret}, sub {
		api(POST => '/api/v1/admin/auth/login', {}, { email => $u->{email},
		    password => $u->{password}, twoFactorCode => $_[0] }) });
	die "staff login: $r->{body}" unless $r->{status} == 200;
	$u->{token} = $r->{json}{data}{accessToken};
	return $u;
}

# The stack's memcached listens on a unix socket only its users can open.
sub mc_socket { "$ENV{HZM_VAR}/run/mc/memcached.sock" }

sub mc_connect {
	return IO::Socket::UNIX->new(Peer => mc_socket(), Type => SOCK_STREAM,
	    Timeout => 5);
}

# Stop the stack's memcached (scripts/stack start brings it back); its pid.
sub mc_stop {
	my $pidf = "$ENV{HZM_VAR}/run/memcached.pid";
	open my $fh, '<', $pidf or die "no $pidf";
	chomp(my $pid = <$fh>);
	close $fh;
	kill('TERM', $pid) or return undef;
	for (1 .. 50) { last unless kill 0, $pid; sleep 0.1 }
	return $pid;
}

# Forget every counter (rate limits, lock-outs) between test files.
sub mc_flush {
	psql('DELETE FROM login_failures');
	psql('DELETE FROM rate_counters');
	my $s = mc_connect() or return;
	print $s "flush_all\r\n";
	my $ok = <$s>;
	close $s;
	return $ok;
}

# A value from memcached, or undef.
sub mc_get {
	my ($key) = @_;
	my $s = mc_connect() or return undef;
	print $s "get $key\r\n";
	my $hdr = <$s>;
	my ($len) = ($hdr // '') =~ /^VALUE \S+ \d+ (\d+)/;
	my $v;
	read($s, $v, $len) if $len;
	close $s;
	return $v;
}

sub stack {
	my @args = @_;
	return system("$ENV{HZM_ROOT}/scripts/stack", @args) >> 8;
}

1;
