# tests/api/93_mail_delivery.t — notification mail through a real SMTP server (tests/stubs/smtp_sink): every type in Turkish and English, HTML and text, preferences off, digests, STARTTLS with a login
use strict;
use warnings;
use utf8;
use Test::More;
use Encode ();
use IO::Socket::INET;
use JSON::PP;
use POSIX ();
use Time::HiRes qw(sleep time);
use Hzm;
use HzmHook qw(hook_event hook_wait hook_log);

binmode(Test::More->builder->$_, ':encoding(UTF-8)') for qw(output failure_output todo_output);
my $sink_bin = "$ENV{HZM_ROOT}/tests/stubs/smtp_sink";
plan skip_all => 'cron-notify not built' unless -x "$ENV{HZM_VAR}/bin/cron-notify";
plan skip_all => 'aiosmtpd is not installed (make deps)'
    unless system('/usr/bin/python3', '-c', 'import aiosmtpd') == 0;

my $dir = "$ENV{HZM_VAR}/smtp";
mkdir $dir;
mc_flush();

# ---- the SMTP sinks, and the stack's own worker kept away ----------------------

sub free_port {
	my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0, Listen => 1) or die "port: $!";
	my $p = $s->sockport;
	close $s;
	return $p;
}

my @sinks;
END { kill 'TERM', @sinks if @sinks }

# A sink on a free port storing into $dir/$name; with TLS, STARTTLS is
# required and %env may give it a login (SMTP_SINK_LOGIN).
sub sink_start {
	my ($name, $tls, %env) = @_;
	my $port = free_port();
	my @tls = $tls ? ("$dir/cert.pem", "$dir/key.pem") : ();
	my $pid = fork // die;
	if (!$pid) {
		$ENV{$_} = $env{$_} for keys %env;
		open STDERR, '>', "$dir/$name.err";
		exec($sink_bin, $port, "$dir/$name", @tls) or POSIX::_exit(127);
	}
	push @sinks, $pid;
	my $up = hook_wait(sub { IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port) }, 10);
	ok($up, "sink $name listens on $port" . ($tls ? ' (STARTTLS required)' : ''));
	return $port;
}

# The stack runs cron-notify --loop under scripts/supervise; stopped (with
# its children) while this test runs so only the one-shot workers below
# deliver, through the transport the test gives them.
my @paused;
sub stack_worker_pause {
	open my $fh, '<', "$ENV{HZM_VAR}/run/cron-notify.pid" or return;
	chomp(my $sup = <$fh> // '');
	return unless $sup =~ /^\d+$/;
	my @kids;
	if (open my $ch, '<', "/proc/$sup/task/$sup/children") {
		@kids = grep { /^\d+$/ } split ' ', (<$ch> // '');
	}
	@paused = ($sup, @kids);
	kill 'STOP', @paused;
}
END { kill 'CONT', @paused if @paused }

# One pass of cron-notify with the extra settings of %env (HZM_<KEY>); its exit status.
sub worker_once {
	my (%env) = @_;
	my $pid = fork // die;
	if (!$pid) {
		$ENV{HZM_CONF} = "$ENV{HZM_VAR}/hzm.conf";
		$ENV{$_} = $env{$_} for keys %env;
		open STDOUT, '>', '/dev/null';
		exec("$ENV{HZM_VAR}/bin/cron-notify") or POSIX::_exit(127);
	}
	waitpid($pid, 0);
	return $? >> 8;
}

# The messages a sink stored, decoded: { rcpt, tls, auth, headers, subject, text, html, raw }
sub sink_mail {
	my ($name) = @_;
	my @m;
	for my $f (sort glob "$dir/$name/*.eml") {
		open my $fh, '<:raw', $f or next;
		local $/;
		my $raw = <$fh>;
		my ($head) = split /\r?\n\r?\n/, $raw, 2;
		$head =~ s/\r?\n[ \t]+/ /g;
		my %h = map { /^([^:]+):\s*(.*)$/ ? (lc $1 => $2) : () } split /\r?\n/, $head;
		my %p = Hzm::parts_of($raw);
		$p{$_} = Encode::decode('UTF-8', $p{$_}) for grep { defined $p{$_} } qw(text html);
		push @m, { rcpt => $h{'x-sink-rcpt'}, tls => $h{'x-sink-tls'}, auth => $h{'x-sink-auth'},
		    headers => \%h, subject => Encode::decode('MIME-Header', $h{subject} // ''), raw => $raw, %p };
	}
	return \@m;
}

sub slurp_utf8 {
	my ($f) = @_;
	open my $fh, '<:encoding(UTF-8)', $f or die "$f: $!";
	local $/;
	my $s = <$fh>;
	$s =~ s/\n\z//;
	return $s;
}

# The subject the template gives, with the event's variables.
sub subject_of {
	my ($tmpl, $vars) = @_;
	my $s = slurp_utf8("$ENV{HZM_ROOT}/templates/mail/$tmpl.subject");
	$s =~ s/\{\{(\w+)\}\}/$vars->{$1} \/\/ "{{$1}}"/ge;
	return $s;
}

# The user's mails of events in the delivery log (not the services' own,
# such as the address verification).
sub event_mails {
	my ($H) = @_;
	return [ grep { $_->{eventType} !~ /^mail\./ } @{ hook_log($H, '&filter_channel=EMAIL') // [] } ];
}

# ---- the users and their events ------------------------------------------------

# Every type that is mailed (withdrawal.completed and a bank deposit's
# deposit.confirmed are mailed by the money services themselves), with a
# payload as its service writes it.
my %events = (
	'bot.trade'         => { botId => 'bot_m1', symbol => 'BTCTRY', side => 'BUY', quantity => '0.01', price => '2500000' },
	'bot.stop_loss'     => { botId => 'bot_m1', symbol => 'BTCTRY', price => '2400000' },
	'bot.take_profit'   => { botId => 'bot_m1', symbol => 'BTCTRY', price => '2600000' },
	'bot.daily_target'  => { botId => 'bot_m1', pnl => '150.00' },
	'bot.daily_loss'    => { botId => 'bot_m1', pnl => '-80.00' },
	'bot.error'         => { botId => 'bot_m1', error => 'exchange unreachable' },
	'apikey.invalid'    => { exchange => 'binance', keyHint => 'AbCd' },
	'order.filled'      => { orderId => 'ord_aaaaaaaaaaaaaaaaaaaa', symbol => 'ETHTRY', side => 'SELL', quantity => '1.5', price => '90000' },
	'kyc.approved'      => { level => 'LEVEL_2' },
	'kyc.rejected'      => { reason => 'DOCUMENT_EXPIRED' },
	'balance.threshold' => { asset => 'TRY', balance => '90.00', threshold => '100' },
	'deposit.confirmed' => { depositId => 'dep_aaaaaaaaaaaaaaaaaaaa', asset => 'BTC', network => 'BTC',
	    amount => '0.25000000', txHash => 'ab' x 32, confirmations => 3 },
);
my @types = sort keys %events;
my %title;

my %user;
for my $lang (qw(en tr)) {
	my $u = new_user("mail-$lang");
	my $H = bearer($u->{access});
	my $r = api(PUT => '/api/v1/notifications/preferences', $H, { language => $lang,
	    preferences => [ map { { type => $_, emailEnabled => JSON::PP::true,
	    webhookEnabled => JSON::PP::true } } @types ] });
	is($r->{status}, 200, "$lang: every type's mail on") or diag($r->{body});
	is($r->{json}{data}{language}, $lang, "  language $lang");
	$title{$lang} = { map { $_->{type} => $_->{title} } @{ $r->{json}{data}{preferences} } };
	$user{$lang} = { u => $u, H => $H };
}

# A user with mail off for bot.error (explicitly) and for order.filled
# (opt-in, never turned on), on for bot.trade.
my $off = new_user('mail-off');
my $offH = bearer($off->{access});
my $r = api(PUT => '/api/v1/notifications/preferences', $offH, { preferences => [
    { type => 'bot.error', emailEnabled => JSON::PP::false, webhookEnabled => JSON::PP::true } ] });
is($r->{status}, 200, 'off: bot.error mail turned off');
my %offp = map { $_->{type} => $_ } @{ $r->{json}{data}{preferences} };
ok(!$offp{'bot.error'}{emailEnabled}, '  as the preferences say');
ok(!$offp{'order.filled'}{emailEnabled}, '  order.filled off until asked for');
ok($offp{'bot.trade'}{emailEnabled}, '  bot.trade on by default');

# A Turkish user with three events of one type: one digest.
my $dig = new_user('mail-digest');
my $digH = bearer($dig->{access});
is(api(PUT => '/api/v1/notifications/preferences', $digH, { language => 'tr' })->{status}, 200,
    'digest: Turkish');

my $tu = new_user('mail-tls');
my $tuH = bearer($tu->{access});
is(api(PUT => '/api/v1/notifications/preferences', $tuH, { language => 'tr' })->{status}, 200, 'tls: a Turkish user');
my $nu = new_user('mail-notls');
my $nuH = bearer($nu->{access});

# The users are registered (their verification mail went out through the
# stack's worker); from here on only this test's workers deliver.
stack_worker_pause();
ok(@paused, "the stack's worker paused (pids @paused)");

for my $lang (qw(en tr)) {
	hook_event($user{$lang}{u}, $_, $events{$_}) for @types;
}
hook_event($off, $_, $events{$_}) for qw(bot.error order.filled bot.trade);
hook_event($dig, 'bot.take_profit', $events{'bot.take_profit'}, 3);

# ---- one pass through the plain sink ----------------------------------------------

my $plain = sink_start('plain', 0);
is(worker_once(HZM_MAIL_TRANSPORT => "smtp://127.0.0.1:$plain"), 0, 'a one-shot cron-notify exits 0');
my $mails = sink_mail('plain');
my %got;
push @{ $got{ $_->{rcpt} } }, $_ for @$mails;

for my $lang (qw(en tr)) {
	my $u = $user{$lang}{u};
	my $mine = $got{ $u->{email} } // [];
	is(scalar @$mine, scalar @types, "$lang: one mail per type (" . scalar(@types) . ')');
	my %by_subject = map { $_->{subject} => $_ } @$mine;
	for my $type (@types) {
		(my $tmpl = "${type}_$lang") =~ tr/./_/;
		my $want = subject_of($tmpl, $events{$type});
		my $m = $by_subject{$want};
		ok($m, "$lang $type: subject '$want'") or next;
		like($m->{headers}{'content-type'} // '', qr{^multipart/alternative}i, '  multipart/alternative');
		like($m->{headers}{to} // '', qr/\Q$u->{email}\E/, '  To: the user');
		is($m->{tls}, 'no', '  over plain SMTP');
		ok(defined $m->{text} && defined $m->{html}, '  a text and an HTML part');
		my $t = $title{$lang}{$type};
		like($m->{text} // '', qr/\Q$t\E/, "  the text names it in $lang ($t)");
		like($m->{html} // '', qr/\Q$t\E/, '  so does the HTML');
		like($m->{html} // '', qr/<html lang="$lang"/, "  <html lang=\"$lang\">");
		like($m->{text} // '', $lang eq 'tr' ? qr/^Merhaba/ : qr/^Hello/, "  greeting in $lang");
		unlike($m->{text} // '', qr/\{\{/, '  every variable filled in');
		unlike($m->{html} // '', qr/<script/i, '  no script in the HTML');
	}
	my $log = event_mails($user{$lang}{H});
	is(scalar @$log, scalar @types, "$lang: the delivery log has every mail");
	is(scalar(grep { $_->{status} eq 'SENT' && $_->{attempts} == 1 } @$log), scalar @types,
	    '  each SENT on its first attempt');
}
# Turkish text arrives intact (UTF-8, encoded words in the subject).
my ($tr_trade) = grep { $_->{subject} eq subject_of('bot_trade_tr', {}) } @{ $got{ $user{tr}{u}{email} } // [] };
like($tr_trade->{subject} // '', qr/işlem/, 'tr: the subject keeps its Turkish letters');
like($tr_trade->{headers}{subject} // '', qr/=\?UTF-8\?/i, '  as RFC 2047 encoded words');
like($tr_trade->{raw} // '', qr/charset="?utf-8/i, '  parts declared UTF-8');

my $offm = $got{ $off->{email} } // [];
is(scalar @$offm, 1, 'off: one mail only');
is($offm->[0]{subject}, subject_of('bot_trade_en', {}), '  the bot.trade one') if @$offm;
my $offlog = event_mails($offH);
is_deeply([ sort map { $_->{eventType} } @$offlog ], ['bot.trade'],
    '  nothing queued for bot.error (off) or order.filled (not asked for)');

my $digm = $got{ $dig->{email} } // [];
is(scalar @$digm, 1, 'digest: three events, one mail');
is($digm->[0]{subject}, subject_of('digest_tr', { count => 3, title => $title{tr}{'bot.take_profit'} }),
    '  "3 bildirim: ..." in Turkish') if @$digm;
my $diglog = event_mails($digH);
is($diglog->[0]{eventsCount}, 3, '  the log counts the three') if @$diglog;

# ---- STARTTLS with a login --------------------------------------------------------

# With mail_user set, smtp:// demands STARTTLS; mail_ca_file trusts the
# sink's own certificate.
open my $save, '>&', \*STDERR or die;
open STDERR, '>', '/dev/null';
my $rc = system('openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', "$dir/key.pem", '-out', "$dir/cert.pem");
open STDERR, '>&', $save;
$rc == 0 or BAIL_OUT('openssl');
my $tls = sink_start('tls', 1, SMTP_SINK_LOGIN => 'hzm-relay:s3cret-pass');
my %tls_env = (HZM_MAIL_TRANSPORT => "smtp://127.0.0.1:$tls", HZM_MAIL_USER => 'hzm-relay',
    HZM_MAIL_PASSWORD => 's3cret-pass', HZM_MAIL_CA_FILE => "$dir/cert.pem");

hook_event($tu, 'kyc.approved', $events{'kyc.approved'});
is(worker_once(%tls_env), 0, 'tls: a one-shot cron-notify exits 0');
my $tm = sink_mail('tls');
is(scalar @$tm, 1, 'tls: the mail arrived');
if (@$tm) {
	is($tm->[0]{rcpt}, $tu->{email}, '  to the user');
	is($tm->[0]{tls}, 'yes', '  after STARTTLS');
	is($tm->[0]{auth}, 'hzm-relay', '  logged in as mail_user');
	is($tm->[0]{subject}, subject_of('kyc_approved_tr', {}), '  in Turkish');
	ok(defined $tm->[0]{text} && defined $tm->[0]{html}, '  both parts');
}
is(event_mails($tuH)->[0]{status}, 'SENT', '  SENT in the log');

# A password is never sent in the clear: to a relay without STARTTLS the
# mail is not handed over, and stays PENDING with the reason.
hook_event($nu, 'kyc.approved', $events{'kyc.approved'});
my $before = scalar @{ sink_mail('plain') };
is(worker_once(%tls_env, HZM_MAIL_TRANSPORT => "smtp://127.0.0.1:$plain", HZM_MAIL_CA_FILE => ''), 0,
    'no STARTTLS: the worker exits 0');
is(scalar @{ sink_mail('plain') }, $before, '  nothing handed to the plain relay');
my $nl = event_mails($nuH)->[0] // {};
is($nl->{status}, 'PENDING', '  the mail waits for a retry');
is($nl->{attempts}, 1, '  after one attempt');
like($nl->{lastError} // '', qr/mail not accepted/, '  with the reason in the log');
open my $wl, '<', "$ENV{HZM_VAR}/log/hzm.log" or die;
my @why = grep { /cron-notify/ && /kyc_approved_en/ && /"level":"error"/ } <$wl>;
like($why[-1] // '', qr/STARTTLS not supported/, '  the log: the relay offers no STARTTLS');
unlike(join('', @why), qr/s3cret-pass|hzm-relay/, '  and names neither the password nor the user');

# Through the relay that has STARTTLS, the retry goes out.
sleep 1;
is(worker_once(%tls_env), 0, 'retry through the TLS relay');
ok(hook_wait(sub { (event_mails($nuH)->[0]{status} // '') eq 'SENT' }, 5),
    '  SENT on the retry');
is(scalar(grep { $_->{rcpt} eq $nu->{email} } @{ sink_mail('tls') }), 1, '  once');

done_testing;
