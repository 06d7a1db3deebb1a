#!/usr/bin/perl
# tests/bench/notify_delivery.pl — notifications delivered per second by cron-notify: N signed webhooks to a local receiver (libcurl multi), then M mails to the SMTP sink; each count checked
#
#   perl tests/bench/notify_delivery.pl N M      (inside a running stack)
#
# The receiver listens on HZM_BENCH_HOOK_PORT, which the stack lists in
# webhook_allow_hosts (tests/bench/run). The events are written straight
# into the outbox, as the services write them: N webhook.test events for
# one endpoint and M kyc.approved events for one user, the kinds that are
# never folded into digests, so each is one delivery. A first run turns
# them into messages and sends none (notify_batch 0); the second, timed
# as the delivery figure, sends them all. The stack's own worker is
# paused meanwhile: these runs are the only senders.
#
# Prints the figures; exits 1 when a count is wrong (a delivery missing,
# repeated or unsigned), never for slowness.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../api/lib";
use HTTP::Tiny;
use IO::Socket::INET;
use JSON::PP;
use POSIX ();
use Time::HiRes qw(sleep time);
use Hzm;

my $nhooks = $ARGV[0] // 5000;
my $nmails = $ARGV[1] // 1000;
my $hport = $ENV{HZM_BENCH_HOOK_PORT} or die "HZM_BENCH_HOOK_PORT: the receiver's allowed port\n";
my $tag = 'benchnotify' . time() =~ s/\D//gr;
my $dir = "$ENV{HZM_VAR}/bench-notify";
my $fail = 0;
my (@kids, @paused);
END {
	kill 'TERM', @kids if @kids;
	kill 'CONT', @paused if @paused;
}
mkdir $dir;

sub free_port {
	my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0, Listen => 1) or die "port: $!";
	return $s->sockport;
}

sub wait_for {
	my ($cond, $secs) = @_;
	my $t = time + $secs;
	while (time < $t) { my $v = $cond->(); return $v if $v; sleep 0.1; }
	return undef;
}

# Start a program in the background, its stderr in $dir/$name.err.
sub spawn {
	my ($name, @cmd) = @_;
	my $pid = fork // die "fork: $!";
	if (!$pid) {
		open STDOUT, '>', '/dev/null';
		open STDERR, '>', "$dir/$name.err";
		exec(@cmd) or POSIX::_exit(127);
	}
	push @kids, $pid;
	return $pid;
}

# One cron-notify run with the settings of %env (HZM_<KEY>): seconds, exit status.
sub notify_once {
	my (%env) = @_;
	my $t0 = time;
	my $pid = fork // die "fork: $!";
	if (!$pid) {
		$ENV{HZM_CONF} = "$ENV{HZM_VAR}/hzm.conf";
		$ENV{HZM_NOTIFY_MAX_SECONDS} = 3600;	# no time budget to cut it short
		$ENV{$_} = $env{$_} for keys %env;
		open STDOUT, '>', '/dev/null';
		exec("$ENV{HZM_VAR}/bin/cron-notify") or POSIX::_exit(127);
	}
	waitpid($pid, 0);
	return (time - $t0, $? >> 8);
}

# Messages of others (the other benches' digests falling due) that the
# timed run sent besides the bench's own: named when there were any.
sub others_line {
	my ($since, $mine) = @_;
	my $n = psql("SELECT count(*) FROM notifications n LEFT JOIN users u ON u.id = n.user_id"
	    . " WHERE n.sent_at >= '$since' AND coalesce(u.email, '') <> '$mine'");
	print "  the run also sent $n other messages that fell due meanwhile\n" if $n =~ /^\d+$/ && $n > 0;
}

# The events become messages in a run that sends none (notify_batch 0);
# the next run, timed as the delivery figure, only sends.
sub fanout_line {
	my ($n, $secs) = @_;
	printf "  before it, the fan-out of the %d events to messages: %.2f s = %.0f/s (a run with notify_batch = 0)\n",
	    $n, $secs, $secs > 0 ? $n / $secs : 0;
}

# The stack runs cron-notify --loop under scripts/supervise: once the
# backlog the other benches left is out, both are stopped until the end.
sub stack_worker_pause {
	wait_for(sub { psql("SELECT (SELECT count(*) FROM outbox o WHERE o.created_at > now() - interval '1 day'"
	    . " AND NOT EXISTS (SELECT 1 FROM notify_fanout f WHERE f.outbox_id = o.id))"
	    . " + (SELECT count(*) FROM notifications WHERE status IN ('PENDING', 'SENDING')"
	    . " AND next_at <= now())") eq '0' }, 30);
	open my $fh, '<', "$ENV{HZM_VAR}/run/cron-notify.pid" or return;
	chomp(my $sup = <$fh> // '');
	return unless $sup =~ /^\d+$/;
	my @k;
	if (open my $ch, '<', "/proc/$sup/task/$sup/children") {
		@k = grep { /^\d+$/ } split ' ', (<$ch> // '');
	}
	@paused = ($sup, @k);
	kill 'STOP', @paused;
}

# ---- users and the endpoint -------------------------------------------------------

# Two active users (the sandbox password), added as chain_deposits.pl does.
psql("INSERT INTO users (public_id, email, password_hash, status, kyc_level, email_verified_at)"
    . " SELECT 'usr_' || substr(translate(md5('$tag' || k), '0189', 'wxyz') || 'abcdefghijklmnopqrst', 1, 20),"
    . " '$tag.' || k || '\@example.com', u.password_hash, 'ACTIVE', 1, now()"
    . " FROM unnest(ARRAY['hook', 'mail']) k, users u WHERE u.email = 'test.level2\@example.com'");
my $r = login("$tag.hook\@example.com");
die "login: $r->{status} $r->{body}\n" unless $r->{status} == 200;
my $url = "http://127.0.0.1:$hport/hook";
$r = api(POST => '/api/v1/notifications/webhooks', bearer($r->{json}{data}{accessToken}),
    { url => $url, events => ['*'] });
die "endpoint: $r->{status} $r->{body}\n" unless $r->{status} == 201;
my ($whk, $secret) = @{ $r->{json}{data} }{qw(webhookId secret)};

spawn('webhook_sink', 'node', "$FindBin::Bin/webhook_sink.js", $hport, $secret);
my $http = HTTP::Tiny->new(timeout => 10);
my $count = sub { my $x = $http->get("http://127.0.0.1:$hport/count"); $x->{success} ? decode_json($x->{content}) : undef };
wait_for($count, 10) or die "the receiver does not answer on $hport (see $dir/webhook_sink.err)\n";

stack_worker_pause();

# ---- webhooks ---------------------------------------------------------------------

psql("INSERT INTO outbox (public_id, user_id, event_type, payload) SELECT hzm_public_id('evt_'), u.id,"
    . " 'webhook.test', jsonb_build_object('webhookId', '$whk', 'message', 'bench ' || g)"
    . " FROM users u, generate_series(1, $nhooks) g WHERE u.email = '$tag.hook\@example.com'");
my ($fsecs, $frc) = notify_once(HZM_NOTIFY_BATCH => 0);
my $since = psql("SELECT now()");
my ($secs, $rc) = notify_once();
$rc ||= $frc;
my $got = $count->() // {};
my $sent = psql("SELECT count(*) FROM notifications n JOIN webhook_endpoints e ON e.id = n.endpoint_id"
    . " WHERE e.public_id = '$whk' AND n.status = 'SENT'");
printf "webhook deliveries: %d in %.2f s = %.0f/s   (cron-notify sending: signing, libcurl multi)\n",
    $sent, $secs, $secs > 0 ? $sent / $secs : 0;
fanout_line($nhooks, $fsecs);
others_line($since, "$tag.hook\@example.com");
if ($rc == 0 && $sent == $nhooks && ($got->{posts} // -1) == $nhooks && ($got->{unique} // -1) == $nhooks
    && $got->{repeated} == 0 && $got->{bad} == 0) {
	printf "  each of the %d arrived once, signed (the receiver: %d POSTs, %d ids, %d bad; first to last %.2f s)\n",
	    $nhooks, $got->{posts}, $got->{unique}, $got->{bad}, ($got->{last} - $got->{first}) / 1000;
} else {
	printf "  FAILED: cron-notify exit %d, %d SENT; the receiver: %s POSTs, %s ids, %s repeated, %s bad; of %d\n",
	    $rc, $sent, map({ $got->{$_} // '?' } qw(posts unique repeated bad)), $nhooks;
	$fail = 1;
}

# ---- mail -------------------------------------------------------------------------

if (system('/usr/bin/python3', '-c', 'import aiosmtpd') != 0) {
	print "e-mails: not measured (aiosmtpd is not installed: make deps)\n";
	exit $fail;
}
my $sport = free_port();
spawn('smtp_sink', "$ENV{HZM_ROOT}/tests/stubs/smtp_sink", $sport, "$dir/smtp");
wait_for(sub { IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $sport) }, 10)
    or die "the SMTP sink does not listen on $sport (see $dir/smtp_sink.err)\n";
psql("INSERT INTO outbox (public_id, user_id, event_type, payload) SELECT hzm_public_id('evt_'), u.id,"
    . " 'kyc.approved', jsonb_build_object('level', 'LEVEL_2')"
    . " FROM users u, generate_series(1, $nmails) g WHERE u.email = '$tag.mail\@example.com'");
($fsecs, $frc) = notify_once(HZM_NOTIFY_BATCH => 0);
$since = psql("SELECT now()");
($secs, $rc) = notify_once(HZM_MAIL_TRANSPORT => "smtp://127.0.0.1:$sport");
$rc ||= $frc;
$sent = psql("SELECT count(*) FROM notifications n JOIN users u ON u.id = n.user_id"
    . " WHERE u.email = '$tag.mail\@example.com' AND n.channel = 'EMAIL' AND n.status = 'SENT'");
# What the sink stored for this user, and over how many connections.
my ($mails, %peers) = (0);
for my $f (glob "$dir/smtp/*.eml") {
	open my $fh, '<', $f or next;
	my ($rcpt, $peer);
	while (my $l = <$fh>) {
		last if $l =~ /^\r?$/;
		$rcpt = $1 if $l =~ /^X-Sink-Rcpt: (\S+)/;
		$peer = $1 if $l =~ /^X-Sink-Peer: (\S+)/;
	}
	next unless ($rcpt // '') eq "$tag.mail\@example.com";
	$mails++;
	$peers{ $peer // '?' }++;
}
my $conns = keys %peers;
printf "e-mails: %d in %.2f s = %.0f/s   (cron-notify sending: templates, SMTP to a local sink)\n",
    $sent, $secs, $secs > 0 ? $sent / $secs : 0;
fanout_line($nmails, $fsecs);
others_line($since, "$tag.mail\@example.com");
if ($rc == 0 && $sent == $nmails && $mails == $nmails) {
	printf "  each of the %d arrived once, over %d SMTP connection%s%s\n", $nmails, $conns,
	    $conns == 1 ? '' : 's', $conns == 1 ? ' (one for the run)' : $conns == $nmails ? ' (one per mail)' : '';
} else {
	printf "  FAILED: cron-notify exit %d, %d SENT, %d stored by the sink, of %d\n", $rc, $sent, $mails, $nmails;
	$fail = 1;
}
exit $fail;
