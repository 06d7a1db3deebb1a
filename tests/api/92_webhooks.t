# tests/api/92_webhooks.t — webhooks reach an HTTPS receiver signed the Standard Webhooks way, per preference, retried, refused when unsafe
use strict;
use warnings;
use Test::More;
use JSON::PP;
use Time::HiRes qw(sleep time);
use Hzm;

my $root = $ENV{HZM_ROOT};
my $dir = "$ENV{HZM_VAR}/hook";
my $log = "$dir/requests.log";
my $port = $ENV{HZM_HOOK_PORT};
mkdir $dir;
system('openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', "$dir/key.pem", '-out', "$dir/cert.pem")
    == 0 or BAIL_OUT('openssl');
open my $tmp, '>', $log or die; close $tmp;
my $pid = fork // die;
if (!$pid) {
	open STDERR, '>', "$dir/hook.err";
	exec("$root/tests/stubs/hook", $port, $dir, $log) or exit 1;
}
END { kill 'TERM', $pid if $pid }
sleep 0.5;

mc_flush();
my $json = JSON::PP->new->canonical;

sub event {
	my ($u, $type, $data) = @_;
	(my $d = $json->encode($data)) =~ s/"/\\"/g;	# psql() quotes for the shell
	return psql("INSERT INTO outbox (public_id, user_id, event_type, payload) SELECT hzm_public_id('evt_'), id,"
	    . " '$type', '$d'::jsonb FROM users WHERE public_id = '$u->{userId}' RETURNING public_id");
}
sub received {
	my ($path) = @_;
	open my $fh, '<', $log or return [];
	return [ grep { $_->{path} eq $path } map { decode_json($_) } <$fh> ];
}
sub wait_for {
	my ($cond, $secs) = @_;
	my $t = time + ($secs // 15);
	while (time < $t) { my $v = $cond->(); return $v if $v; sleep 0.2; }
	return undef;
}
sub verify {
	my ($secret, $req) = @_;
	my $in = $json->encode({ secret => $secret, body => $req->{body}, headers => {
	    map { $_ => $req->{headers}{$_} } qw(webhook-id webhook-timestamp webhook-signature) } });
	open my $v, '-|', "echo '$in' | $root/tests/stubs/hook_verify" or return 'no verifier';
	my $out = <$v> // '';
	close $v;
	chomp $out;
	return $out;
}
sub log_of {
	my ($H, $q) = @_;
	return api(GET => "/api/v1/notifications?pageSize=100$q", $H)->{json}{data};
}

# A user with an endpoint for bot.trade and order.filled.
my $u = new_user('hooks');
my $H = bearer($u->{access});
my $r = api(POST => '/api/v1/notifications/webhooks', $H, { url => "https://127.0.0.1:$port/ok/a",
    events => ['bot.trade', 'order.filled'] });
is($r->{status}, 201, 'endpoint') or diag($r->{body});
my $secret = $r->{json}{data}{secret};

# bot.trade: webhook on, mail off.
api(PUT => '/api/v1/notifications/preferences', $H, { preferences => [ { type => 'bot.trade',
    emailEnabled => JSON::PP::false, webhookEnabled => JSON::PP::true } ] });
my $t0 = time;
my $evt = event($u, 'bot.trade', { botId => 'bot_abc', side => 'BUY', price => '100' });
my $got = wait_for(sub { my $x = received('/ok/a'); @$x ? $x : undef });
ok($got, 'the webhook arrived') or diag(`cat $dir/hook.err`);
my $req = $got->[0];
my $body = decode_json($req->{body});
is($body->{eventId}, $evt, 'eventId');
is($body->{eventType}, 'bot.trade', 'eventType');
is($body->{userId}, $u->{userId}, 'userId: whose event it is (seed 002)');
like($body->{timestamp}, qr/^\d{4}-\d\d-\d\dT/, 'timestamp');
is_deeply($body->{data}, { botId => 'bot_abc', side => 'BUY', price => '100' }, 'data as the event had it');
like($req->{headers}{'webhook-id'}, qr/^msg_/, 'webhook-id');
like($req->{headers}{'webhook-signature'}, qr{^v1,[A-Za-z0-9+/=]{44}$}, 'one v1 signature');
is(verify($secret, $req), 'ok', 'the Standard Webhooks library verifies it');
$req->{body} =~ s/BUY/SELL/;
isnt(verify($secret, $req), 'ok', 'a changed body does not verify');
my $l = wait_for(sub { my $x = log_of($H, '&filter_channel=WEBHOOK'); @$x && $x->[0]{status} eq 'SENT' ? $x : undef });
ok($l, 'the log shows it SENT');
is($l->[0]{attempts}, 1, 'after one attempt') if $l;
is(scalar @{ log_of($H, '&filter_channel=EMAIL&filter_eventType=bot.trade') }, 0, 'no mail: the preference is off');

# order.filled: mail on, webhook off.
api(PUT => '/api/v1/notifications/preferences', $H, { preferences => [ { type => 'order.filled',
    emailEnabled => JSON::PP::true, webhookEnabled => JSON::PP::false } ] });
event($u, 'order.filled', { orderId => 'ord_x', symbol => 'BTCTRY', side => 'BUY', quantity => '1' });
my $m = mail_for($u->{email}, $t0);
$m = wait_for(sub { my $x = mail_for($u->{email}, $t0); $x && ($x->{text} // '') =~ /ord_x/ ? $x : undef });
ok($m, 'order.filled mailed');
sleep 1;
is(scalar @{ received('/ok/a') }, 1, 'and no webhook for it');

# Rotation: both signatures during the overlap; each verifies.
$r = api(POST => "/api/v1/notifications/webhooks/" . api(GET => '/api/v1/notifications/webhooks', $H)->{json}{data}[0]{webhookId}
    . '/rotate', $H, {});
my $new = $r->{json}{data}{secret};
$r = api(POST => '/api/v1/notifications/webhooks/' . $r->{json}{data}{webhookId} . '/test', $H, {});
is($r->{status}, 202, 'test event queued');
$got = wait_for(sub { my $x = received('/ok/a'); @$x >= 2 ? $x : undef });
$req = $got->[1];
is(decode_json($req->{body})->{eventType}, 'webhook.test', 'the test event arrived');
my @sigs = split / /, $req->{headers}{'webhook-signature'} // '';
is(scalar @sigs, 2, 'two signatures during the rotation overlap');
is(verify($new, $req), 'ok', 'the new secret verifies');
is(verify($secret, $req), 'ok', 'the old one still verifies');

# Retries: 500 three times, then FAILED with the last error; redeliver.
my $f = new_user('hooks-fail');
my $F = bearer($f->{access});
api(POST => '/api/v1/notifications/webhooks', $F, { url => "https://127.0.0.1:$port/fail", events => ['*'] });
event($f, 'bot.error', { botId => 'bot_f' });
$l = wait_for(sub { my $x = log_of($F, '&filter_channel=WEBHOOK'); @$x && $x->[0]{status} eq 'FAILED' ? $x : undef }, 20);
ok($l, 'FAILED after the retries');
is($l->[0]{attempts}, 3, 'three attempts') if $l;
is($l->[0]{lastHttpStatus}, 500, 'last status 500') if $l;
like($l->[0]{lastError} // '', qr/500/, 'last error kept') if $l;
is(scalar @{ received('/fail') }, 3, 'the receiver saw three attempts');
my @ids = map { $_->{headers}{'webhook-id'} } @{ received('/fail') };
is(scalar(keys %{ { map { $_ => 1 } @ids } }), 1, 'all with the same webhook-id');
$r = api(POST => "/api/v1/notifications/$l->[0]{notificationId}/redeliver", $F, {});
is($r->{status}, 202, 'redeliver accepted') or diag($r->{body});
ok(wait_for(sub { @{ received('/fail') } >= 4 }), 'and sent again');

# SSRF at delivery time: an endpoint stored before its address turned private,
# and a redirect, are refused.
my $s = new_user('hooks-ssrf');
my $S = bearer($s->{access});
for my $url ('https://127.0.0.1:1/x', 'https://10.0.0.1/x', 'https://169.254.169.254/latest') {
	psql("INSERT INTO webhook_endpoints (public_id, user_id, url, events, secret_sealed) SELECT hzm_public_id('whk_'), u.id,"
	    . " '$url', '{*}', '\\x00' FROM users u WHERE u.public_id = '$s->{userId}'");
}
$r = api(POST => '/api/v1/notifications/webhooks', $S, { url => "https://127.0.0.1:$port/redirect", events => ['*'] });
is($r->{status}, 201, 'a receiver that redirects');
event($s, 'apikey.invalid', { keyId => 'k' });
$l = wait_for(sub { my $x = log_of($S, '&filter_channel=WEBHOOK&filter_status=FAILED'); @$x >= 4 ? $x : undef }, 20);
ok($l, 'all four FAILED') or diag(explain(log_of($S, '&filter_channel=WEBHOOK')));
my @why = map { $_->{lastError} // '' } @{ $l // [] };
is(scalar(grep { /not allowed/ } @why), 3, 'private, loopback and metadata addresses refused');
is(scalar(grep { /HTTP 302/ } @why), 1, 'the redirect is not followed');
is(scalar @{ received('/redirect') }, 3, 'the redirecting receiver was asked (and its Location ignored)');

done_testing;
