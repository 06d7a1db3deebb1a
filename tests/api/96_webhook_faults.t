# tests/api/96_webhook_faults.t — webhook delivery when things go wrong: timeouts, refused connections, names turned loopback, workers killed or side by side, bursts
use strict;
use warnings;
use Test::More;
use JSON::PP;
use POSIX ();
use Time::HiRes qw(sleep time);
use Hzm;
use HzmHook;

plan skip_all => 'cron-notify not built' unless -x "$ENV{HZM_VAR}/bin/cron-notify";
my $port = $ENV{HZM_HOOK_PORT};
my $dead = $ENV{HZM_HOOK_DEAD_PORT};
hook_start();
mc_flush();

sub hooked_user {
	my ($name, $url, @events) = @_;
	my $u = new_user($name);
	my $H = bearer($u->{access});
	my $r = api(POST => '/api/v1/notifications/webhooks', $H, { url => $url, events => [@events ? @events : '*'] });
	is($r->{status}, 201, "$name: endpoint $url") or diag($r->{body});
	# Webhooks only: the mails of these events are not under test.
	api(PUT => '/api/v1/notifications/preferences', $H, { preferences => [ map { { type => $_,
	    emailEnabled => JSON::PP::false, webhookEnabled => JSON::PP::true } } qw(bot.trade bot.error) ] });
	return ($u, $H);
}
sub failed_of {
	my ($H) = @_;
	return hook_wait(sub { my $x = hook_log($H, '&filter_channel=WEBHOOK'); @$x && $x->[0]{status} eq 'FAILED' ? $x->[0] : undef }, 30);
}

# A receiver slower than notify_webhook_timeout_ms (1.5 s here): each
# attempt times out, and after notify_max_attempts (3) the message FAILED.
my ($u, $H) = hooked_user('hook-slow', "https://127.0.0.1:$port/slow");
my $t0 = time;
hook_event($u, 'bot.error', { botId => 'bot_slow' });
my $m = failed_of($H);
ok($m, 'timeout: FAILED in the end');
is($m->{attempts}, 3, '  after three attempts') if $m;
like($m->{lastError} // '', qr/time/i, '  the last error says it timed out') if $m;
ok(!defined $m->{lastHttpStatus}, '  no HTTP status: no answer came') if $m;
is(scalar @{ hook_received('/slow') }, 3, '  the receiver saw three attempts');
my %ids = map { $_->{headers}{'webhook-id'} => 1 } @{ hook_received('/slow') };
is(scalar keys %ids, 1, '  all with the same webhook-id');
cmp_ok(time - $t0, '>=', 3 * 1.5, '  each attempt waited for the timeout');

# Nothing listening: connection refused, retried, then FAILED.
($u, $H) = hooked_user('hook-refused', "https://127.0.0.1:$dead/x");
hook_event($u, 'bot.error', { botId => 'bot_refused' });
$m = failed_of($H);
ok($m, 'connection refused: FAILED in the end');
is($m->{attempts}, 3, '  after three attempts') if $m;
like($m->{lastError} // '', qr/connect|refused/i, '  the last error says so') if $m;

# A name is checked when it is delivered to, not only when it was
# registered: an endpoint on localhost (stored before its address
# turned loopback, here written directly) is refused at delivery.
($u, $H) = hooked_user('hook-name', "https://127.0.0.1:$port/ok/name", 'bot.trade');
psql("INSERT INTO webhook_endpoints (public_id, user_id, url, events, secret_sealed) SELECT hzm_public_id('whk_'), u.id,"
    . " 'https://localhost:8443/x', '{bot.error}', '\\x00' FROM users u WHERE u.public_id = '$u->{userId}'");
hook_event($u, 'bot.error', { botId => 'bot_name' });
$m = failed_of($H);
ok($m, 'a name resolving to loopback: FAILED');
like($m->{lastError} // '', qr/not allowed/, '  refused by the address check, not by a connection') if $m;
is($m->{attempts}, 1, '  at once: an address refused is not retried') if $m;

# A worker killed mid-send: the message stays SENDING under its lease
# (notify_lease_seconds, 4 s here); when the lease ends the next worker
# sends it again, with the same webhook-id, and nothing is lost.
($u, $H) = hooked_user('hook-killed', "https://127.0.0.1:$port/hang");
my $sup = psql_pidfile('cron-notify');
hook_event($u, 'bot.error', { botId => 'bot_killed' });
ok(hook_wait(sub { @{ hook_received('/hang') } >= 1 }), 'killed: the receiver has the request');
my @kids = worker_children($sup);
ok(@kids, '  the worker is sending (pid ' . join(',', @kids) . ')');
kill 'KILL', @kids;
my $row = psql("SELECT n.status FROM notifications n JOIN users u ON u.id = n.user_id"
    . " WHERE u.public_id = '$u->{userId}' AND n.channel = 'WEBHOOK'");
is($row, 'SENDING', '  killed mid-send: still SENDING (its lease)');
$m = hook_wait(sub { my $x = hook_log($H, '&filter_channel=WEBHOOK'); @$x && $x->[0]{status} eq 'SENT' ? $x->[0] : undef }, 20);
ok($m, '  sent once the lease ran out (the worker restarted)');
is($m->{attempts}, 2, '  on a second attempt') if $m;
my $hang = hook_received('/hang');
is(scalar @$hang, 2, '  the receiver got it twice, as documented');
is($hang->[0]{headers}{'webhook-id'}, $hang->[1]{headers}{'webhook-id'}, '  with the same webhook-id');
is(decode_json($hang->[0]{body})->{eventId}, decode_json($hang->[1]{body})->{eventId}, '  and the same eventId');

# Two more workers beside the stack's: each message is sent by one of
# them, once; none is lost. KYC decisions are never folded, so 60 events
# are 60 messages.
($u, $H) = hooked_user('hook-many', "https://127.0.0.1:$port/ok/many", 'kyc.approved');
my @evts = split /\n/, hook_event($u, 'kyc.approved', { level => 'LEVEL_2' }, 60);
is(scalar @evts, 60, '60 events written');
my @pids;
for (1 .. 2) {
	my $pid = fork // die;
	if (!$pid) {
		$ENV{HZM_CONF} = "$ENV{HZM_VAR}/hzm.conf";
		open STDOUT, '>', '/dev/null';
		exec("$ENV{HZM_VAR}/bin/cron-notify") or POSIX::_exit(127);
	}
	push @pids, $pid;
}
for my $pid (@pids) {
	waitpid($pid, 0);
	is($? >> 8, 0, "a one-shot worker (pid $pid) exits 0");
}
ok(hook_wait(sub { @{ hook_received('/ok/many') } >= 60 }, 20), 'all 60 arrived');
sleep 1;
my $many = hook_received('/ok/many');
my %by = map { decode_json($_->{body})->{eventId} => 1 } @$many;
is(scalar keys %by, 60, '  each event once');
is(scalar @$many, 60, '  and no request twice');
is(psql("SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.public_id = '$u->{userId}'"
    . " AND n.channel = 'WEBHOOK' AND (n.status <> 'SENT' OR n.attempts <> 1)"), 0, '  every message SENT on its first attempt');

# A burst of 1,000 events of one type: every one is its own webhook (a
# receiving program needs each; only e-mail folds against spam), each
# delivered once, with its own data.
($u, $H) = hooked_user('hook-burst', "https://127.0.0.1:$port/ok/burst", 'bot.trade');
hook_event($u, 'bot.trade', { botId => 'bot_burst', side => 'BUY' }, 1000);
ok(hook_wait(sub { @{ hook_received('/ok/burst') } >= 1000 }, 60), 'burst: all 1,000 delivered');
sleep 1;
my $burst = hook_received('/ok/burst');
is(scalar @$burst, 1000, '  one request each, none twice');
my %burst_ids = map { decode_json($_->{body})->{eventId} => 1 } @$burst;
is(scalar keys %burst_ids, 1000, '  each under its own eventId');
is(scalar(grep { my $d = decode_json($_->{body})->{data};
    !$d->{digest} && ($d->{botId} // '') eq 'bot_burst' } @$burst), 1000,
    '  each with its own event\'s data, never a digest');
is(psql("SELECT count(*) || ' ' || sum(events_count) FROM notifications n JOIN users u ON u.id = n.user_id"
    . " WHERE u.public_id = '$u->{userId}' AND n.channel = 'WEBHOOK'"), '1000 1000',
    '  1,000 messages of one event each');

done_testing;

# The supervisor of a stack process (its pid file), and its children.
sub psql_pidfile {
	my ($name) = @_;
	open my $fh, '<', "$ENV{HZM_VAR}/run/$name.pid" or return undef;
	my $pid = <$fh>;
	chomp $pid;
	return $pid;
}
sub worker_children {
	my ($sup) = @_;
	return () unless $sup;
	open my $fh, '<', "/proc/$sup/task/$sup/children" or return ();
	return grep { /^\d+$/ } split ' ', (<$fh> // '');
}
