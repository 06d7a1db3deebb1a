# tests/api/lib/HzmHook.pm — the webhook receiver (tests/stubs/hook) for the notification tests, and what they ask of it
package HzmHook;
use strict;
use warnings;
use Exporter 'import';
use JSON::PP;
use Time::HiRes qw(sleep time);
use Hzm;

our @EXPORT = qw(hook_start hook_event hook_received hook_wait hook_log);

my $json = JSON::PP->new->canonical;
my ($dir, $log, $pid);

# Start the HTTPS receiver on HZM_HOOK_PORT with a certificate made now
# (the stack trusts $HZM_VAR/hook/cert.pem); stopped when the test ends.
sub hook_start {
	$dir = "$ENV{HZM_VAR}/hook";
	$log = "$dir/requests.log";
	mkdir $dir;
	open my $save, '>&', \*STDERR or die;
	open STDERR, '>', '/dev/null';
	my $rc = system('openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
	    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', "$dir/key.pem",
	    '-out', "$dir/cert.pem");
	open STDERR, '>&', $save;
	$rc == 0 or die 'openssl';
	open my $tmp, '>', $log or die;
	close $tmp;
	$pid = fork // die;
	if (!$pid) {
		open STDERR, '>', "$dir/hook.err";
		exec("$ENV{HZM_ROOT}/tests/stubs/hook", $ENV{HZM_HOOK_PORT}, $dir, $log) or exit 1;
	}
	sleep 0.5;
	return $dir;
}
END { kill 'TERM', $pid if $pid }

# An outbox event for user $u, written as a service would; its public id.
sub hook_event {
	my ($u, $type, $data, $n) = @_;
	(my $d = $json->encode($data)) =~ s/"/\\"/g;	# psql() quotes for the shell
	return psql("INSERT INTO outbox (public_id, user_id, event_type, payload) SELECT hzm_public_id('evt_'), id,"
	    . " '$type', '$d'::jsonb FROM users, generate_series(1, " . ($n // 1) . ")"
	    . " WHERE public_id = '$u->{userId}' RETURNING public_id");
}

# The requests the receiver recorded for a path.
sub hook_received {
	my ($path) = @_;
	open my $fh, '<', $log or return [];
	return [ grep { $_->{path} eq $path } map { decode_json($_) } <$fh> ];
}

# Poll $cond until it returns true, for up to $secs (15) seconds.
sub hook_wait {
	my ($cond, $secs) = @_;
	my $t = time + ($secs // 15);
	while (time < $t) { my $v = $cond->(); return $v if $v; sleep 0.2; }
	return undef;
}

# The user's delivery log through the API.
sub hook_log {
	my ($H, $q) = @_;
	return api(GET => "/api/v1/notifications?pageSize=100" . ($q // ''), $H)->{json}{data};
}

1;
