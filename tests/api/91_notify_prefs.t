# tests/api/91_notify_prefs.t — notification preferences, balance thresholds and webhook endpoints through the API
use strict;
use warnings;
use Test::More;
use Hzm;

mc_flush();
my $u = new_user('prefs');
my $H = bearer($u->{access});

# Defaults: every type listed, both channels on, Turkish.
my $r = api(GET => '/api/v1/notifications/preferences', $H);
is($r->{status}, 200, 'preferences answered') or diag($r->{body});
my $d = $r->{json}{data};
is($d->{language}, 'en', 'English by default, as the account mails');
my %p = map { $_->{type} => $_ } @{ $d->{preferences} };
for my $t (qw(bot.trade bot.stop_loss bot.take_profit bot.daily_target bot.daily_loss
    bot.error apikey.invalid deposit.confirmed withdrawal.completed order.filled
    kyc.approved kyc.rejected balance.threshold)) {
	ok($p{$t}, "$t listed");
}
ok($p{'bot.trade'}{emailEnabled} && $p{'bot.trade'}{webhookEnabled}, 'both channels on by default');
ok($p{'deposit.confirmed'}{emailAvailable} && $p{'deposit.confirmed'}{emailEnabled},
    'deposit mail: as the user says, on by default');
ok(!$p{'withdrawal.completed'}{emailAvailable}, 'withdrawal mail is the money service\'s own (always sent)');

# Change two types and the language; the others keep theirs.
$r = api(PUT => '/api/v1/notifications/preferences', $H, { language => 'tr',
    preferences => [ { type => 'bot.trade', emailEnabled => JSON::PP::false, webhookEnabled => JSON::PP::true },
		     { type => 'order.filled', emailEnabled => JSON::PP::true, webhookEnabled => JSON::PP::false } ] });
is($r->{status}, 200, 'preferences set') or diag($r->{body});
%p = map { $_->{type} => $_ } @{ $r->{json}{data}{preferences} };
ok(!$p{'bot.trade'}{emailEnabled} && $p{'bot.trade'}{webhookEnabled}, 'bot.trade: webhook only');
ok($p{'order.filled'}{emailEnabled} && !$p{'order.filled'}{webhookEnabled}, 'order.filled: mail only');
ok($p{'bot.error'}{emailEnabled}, 'bot.error untouched');
is($r->{json}{data}{language}, 'tr', 'Turkish now');
is(psql("SELECT count(*) FROM notification_preferences p JOIN users u ON u.id = p.user_id WHERE u.public_id = '$u->{userId}'"),
    2, 'two rows stored');
is($p{'bot.trade'}{notificationType}, 'bot.trade', 'notificationType beside type (the seed\'s notification_type)');

# The seed's model names, camelCase or as the seed spells them.
$r = api(PUT => '/api/v1/notifications/preferences', $H, {
    preferences => [ { notificationType => 'bot.error', emailEnabled => JSON::PP::false, webhookEnabled => JSON::PP::true },
		     { notification_type => 'bot.stop_loss', email_enabled => JSON::PP::false,
		       webhook_enabled => JSON::PP::false } ] });
is($r->{status}, 200, 'notificationType, and notification_type with email_enabled, webhook_enabled')
    or diag($r->{body});
%p = map { $_->{type} => $_ } @{ $r->{json}{data}{preferences} // [] };
ok(!$p{'bot.error'}{emailEnabled} && $p{'bot.error'}{webhookEnabled}, '  bot.error: webhook only');
ok(!$p{'bot.stop_loss'}{emailEnabled} && !$p{'bot.stop_loss'}{webhookEnabled}, '  bot.stop_loss: neither');
error_ok(api(PUT => '/api/v1/notifications/preferences', $H, { preferences => [ { type => 'bot.trade',
    notificationType => 'bot.error', emailEnabled => JSON::PP::true, webhookEnabled => JSON::PP::true } ] }),
    400, 'INVALID_REQUEST', 'type and notificationType both: refused');
error_ok(api(PUT => '/api/v1/notifications/preferences', $H, { preferences => [ { email_enabled => JSON::PP::true,
    emailEnabled => JSON::PP::true, type => 'bot.trade', webhookEnabled => JSON::PP::true } ] }),
    400, 'INVALID_REQUEST', 'a field under both spellings: refused');

# Hostile and wrong input.
error_ok(api(PUT => '/api/v1/notifications/preferences', $H, { preferences => [ { type => 'nope.thing',
    emailEnabled => JSON::PP::true, webhookEnabled => JSON::PP::true } ] }), 400, 'INVALID_REQUEST', 'unknown type');
error_ok(api(PUT => '/api/v1/notifications/preferences', $H, { preferences => [ { type => 'bot.trade',
    emailEnabled => 'yes', webhookEnabled => JSON::PP::true } ] }), 400, 'INVALID_REQUEST', 'not a boolean');
error_ok(api(PUT => '/api/v1/notifications/preferences', $H, { language => 'de' }), 400, 'INVALID_REQUEST', 'unknown language');
error_ok(api(PUT => '/api/v1/notifications/preferences', $H, { preferences => [ { type => 'bot.trade',
    emailEnabled => JSON::PP::true, webhookEnabled => JSON::PP::true, webhookUrl => 'http://elsewhere.example/x' } ] }),
    400, 'INVALID_REQUEST', 'a webhookUrl over plain http');
error_ok(api(PUT => '/api/v1/notifications/preferences', $H, { preferences => [ { type => 'bot.trade',
    emailEnabled => JSON::PP::true, webhookEnabled => JSON::PP::true, webhookUrl => 'https://10.1.2.3/x' } ] }),
    403, 'FORBIDDEN', 'a webhookUrl of a private address');
is(scalar @{ api(GET => '/api/v1/notifications/webhooks', $H)->{json}{data} }, 0, '  no endpoint made by either');

# Seed 002 keeps the webhook's URL on the preference: a URL new to the user
# becomes one of their endpoints, for that type, its secret shown once.
$r = api(PUT => '/api/v1/notifications/preferences', $H, { preferences => [ { type => 'bot.trade',
    emailEnabled => JSON::PP::false, webhookEnabled => JSON::PP::true, webhookUrl => 'https://hooks.example/hzm' },
    { notification_type => 'bot.error', email_enabled => JSON::PP::true, webhook_enabled => JSON::PP::true,
      webhook_url => 'https://hooks.example/hzm' } ] });
is($r->{status}, 200, 'a preference naming a new webhook URL') or diag($r->{body});
my $made = $r->{json}{data}{webhooksCreated} // [];
is(scalar @$made, 1, '  one endpoint made for the URL');
like($made->[0]{webhookId}, qr/^whk_[a-z2-7]{20}$/, '  its id');
like($made->[0]{secret}, qr/^whsec_/, '  its signing secret, this once');
%p = map { $_->{type} => $_ } @{ $r->{json}{data}{preferences} };
is($p{'bot.error'}{webhookUrl}, 'https://hooks.example/hzm', '  the preference keeps the URL');
my ($hk) = grep { $_->{webhookId} eq ($made->[0]{webhookId} // '') }
    @{ api(GET => '/api/v1/notifications/webhooks', $H)->{json}{data} };
is_deeply([ sort @{ $hk->{events} // [] } ], [qw(bot.error bot.trade)], '  subscribed to both types');
ok(!exists $hk->{secret}, '  whose secret is not listed');
$r = api(PUT => '/api/v1/notifications/preferences', $H, { preferences => [ { type => 'apikey.invalid',
    emailEnabled => JSON::PP::true, webhookEnabled => JSON::PP::true, webhookUrl => 'https://hooks.example/hzm' } ] });
is_deeply($r->{json}{data}{webhooksCreated}, [], 'the same URL again: no new endpoint');
($hk) = grep { $_->{webhookId} eq $made->[0]{webhookId} }
    @{ api(GET => '/api/v1/notifications/webhooks', $H)->{json}{data} };
is_deeply([ sort @{ $hk->{events} } ], [qw(apikey.invalid bot.error bot.trade)], '  it takes the third type too');
is(api(DELETE => "/api/v1/notifications/webhooks/$made->[0]{webhookId}", $H)->{status}, 200,
    'the endpoint deleted again');
api(PUT => '/api/v1/notifications/preferences', $H, { preferences => [ map { { type => $_,
    emailEnabled => JSON::PP::true, webhookEnabled => JSON::PP::true } } qw(apikey.invalid bot.error) ] });
error_ok(api(PUT => '/api/v1/notifications/preferences', $H, '[1,2]'), 400, 'INVALID_REQUEST', 'not an object');
error_ok(api(GET => '/api/v1/notifications/preferences', {}), 401, undef, 'needs a login');

# Balance thresholds.
$r = api(PUT => '/api/v1/notifications/thresholds', $H, { thresholds => [ { asset => 'BTC', threshold => '0.5' } ] });
is($r->{status}, 200, 'threshold set') or diag($r->{body});
is_deeply($r->{json}{data}{thresholds}, [ { asset => 'BTC', threshold => '0.50000000' } ],
    'and listed, at the asset\'s precision');
$r = api(PUT => '/api/v1/notifications/thresholds', $H, { thresholds => [ { asset => 'BTC', threshold => '0.123456789' } ] });
is($r->{json}{data}{thresholds}[0]{threshold}, '0.123456789', '  or as finely as it was set');
$r = api(PUT => '/api/v1/notifications/thresholds', $H, { thresholds => [ { asset => 'BTC', threshold => '0.5' } ] });
is($r->{status}, 200, 'threshold set again') or diag($r->{body});
error_ok(api(PUT => '/api/v1/notifications/thresholds', $H, { thresholds => [ { asset => 'NOPE', threshold => '1' } ] }),
    400, 'INVALID_REQUEST', 'unknown asset');
error_ok(api(PUT => '/api/v1/notifications/thresholds', $H, { thresholds => [ { asset => 'BTC', threshold => '-1' } ] }),
    400, 'INVALID_REQUEST', 'negative threshold');
error_ok(api(PUT => '/api/v1/notifications/thresholds', $H, { thresholds => [ { asset => 'BTC', threshold => '1e5' } ] }),
    400, 'INVALID_REQUEST', 'not a decimal');

# The event: once when the total (available + locked) falls below the
# threshold, not while it stays below, again after it rose above; only
# for the user who set it, whatever else the same statement changed.
sub ledger_move {
	my ($amount, @who) = @_;
	my $in = join(',', map { "'$_->{userId}'" } @who);
	psql("INSERT INTO ledger (user_id, asset, delta_available, delta_locked, kind, ref)"
	    . " SELECT id, 'BTC', $amount, 0, 'ADJUSTMENT', 'test' FROM users WHERE public_id IN ($in)");
}
sub th_events {
	my ($who) = @_;
	return psql("SELECT count(*) FROM outbox o JOIN users u ON u.id = o.user_id"
	    . " WHERE u.public_id = '$who->{userId}' AND o.event_type = 'balance.threshold'");
}
my $other = new_user('prefs-other');
ledger_move('1', $u, $other);
is(th_events($u), 0, 'balance.threshold: none while above');
ledger_move('-0.3', $u, $other);
is(th_events($u), 0, '  none at 0.7');
ledger_move('-0.3', $u, $other);
is(th_events($u), 1, '  one on falling to 0.4');
like(psql("SELECT payload::text FROM outbox o JOIN users u ON u.id = o.user_id WHERE u.public_id = '$u->{userId}'"
    . " AND o.event_type = 'balance.threshold'"), qr/"balance": "0\.40000000".*"threshold": "0\.50000000"/, '  with the balance and the threshold');
ledger_move('-0.1', $u, $other);
is(th_events($u), 1, '  none while it stays below');
ledger_move('0.5', $u);
ledger_move('-0.5', $u);
is(th_events($u), 2, '  one again after it rose above');
is(th_events($other), 0, '  none for a user without a threshold in the same statements');

# Webhook endpoints: https only, secret shown once and sealed at rest.
my $port = $ENV{HZM_HOOK_PORT};
error_ok(api(POST => '/api/v1/notifications/webhooks', $H, { url => 'http://203.0.113.5/hook', events => ['bot.trade'] }),
    400, 'INVALID_REQUEST', 'plain http refused');
error_ok(api(POST => '/api/v1/notifications/webhooks', $H, { url => 'https://127.0.0.1/hook', events => ['bot.trade'] }),
    403, 'FORBIDDEN', 'loopback refused');
error_ok(api(POST => '/api/v1/notifications/webhooks', $H, { url => 'https://10.1.2.3/hook', events => ['bot.trade'] }),
    403, 'FORBIDDEN', '10.x refused');
error_ok(api(POST => '/api/v1/notifications/webhooks', $H, { url => 'https://169.254.169.254/latest/meta-data', events => ['bot.trade'] }),
    403, 'FORBIDDEN', 'metadata address refused');
error_ok(api(POST => '/api/v1/notifications/webhooks', $H, { url => 'https://localhost:1/x', events => ['bot.trade'] }),
    403, 'FORBIDDEN', 'a name resolving to loopback refused');
error_ok(api(POST => '/api/v1/notifications/webhooks', $H, { url => 'https://user:pw@203.0.113.5/x', events => ['bot.trade'] }),
    400, 'INVALID_REQUEST', 'credentials in the URL refused');
error_ok(api(POST => '/api/v1/notifications/webhooks', $H, { url => "https://127.0.0.1:$port/h", events => ['no.such'] }),
    400, 'INVALID_REQUEST', 'unknown event type');

$r = api(POST => '/api/v1/notifications/webhooks', $H, { url => "https://127.0.0.1:$port/h", events => ['bot.trade', 'order.filled'] });
is($r->{status}, 201, 'endpoint created (an allowed test host)') or diag($r->{body});
my $hook = $r->{json}{data};
like($hook->{webhookId}, qr/^whk_[a-z2-7]{20}$/, 'a whk_ id');
like($hook->{secret}, qr{^whsec_[A-Za-z0-9+/]{32}$}, 'a whsec_ secret');
my $sealed = psql("SELECT encode(secret_sealed, 'escape') FROM webhook_endpoints WHERE public_id = '$hook->{webhookId}'");
unlike($sealed, qr/\Q$hook->{secret}\E|\Q@{[substr $hook->{secret}, 6]}\E/, 'the secret is not stored in the clear');

$r = api(GET => '/api/v1/notifications/webhooks', $H);
is(scalar @{ $r->{json}{data} }, 1, 'one endpoint listed');
ok(!exists $r->{json}{data}[0]{secret}, 'the list never shows the secret');
is_deeply($r->{json}{data}[0]{events}, ['bot.trade', 'order.filled'], 'its events');

# A name that does not resolve now (.invalid never does) is kept: each
# delivery resolves it again, and refuses private addresses then.
$r = api(POST => '/api/v1/notifications/webhooks', $H, { url => 'https://hooks.hzm-test.invalid/x', events => ['bot.trade'] });
is($r->{status}, 201, 'a name that does not resolve yet is kept') or diag($r->{body});
is(api(DELETE => "/api/v1/notifications/webhooks/$r->{json}{data}{webhookId}", $H)->{status}, 200, '  and deleted')
    if $r->{status} == 201;

# A preference may name the endpoint's URL.
$r = api(PUT => '/api/v1/notifications/preferences', $H, { preferences => [ { type => 'bot.trade',
    emailEnabled => JSON::PP::true, webhookEnabled => JSON::PP::true, webhookUrl => "https://127.0.0.1:$port/h" } ] });
is($r->{status}, 200, 'a preference names an endpoint by URL') or diag($r->{body});

# Rotation: a new secret, the old one valid 24 hours more.
$r = api(POST => "/api/v1/notifications/webhooks/$hook->{webhookId}/rotate", $H, {});
is($r->{status}, 200, 'rotated') or diag($r->{body});
isnt($r->{json}{data}{secret}, $hook->{secret}, 'a new secret');
ok(defined $r->{json}{data}{previousSecretValidUntil}, 'the old one still verifies for a while');

# Ownership: another user cannot touch it.
my $v = new_user('prefs-other');
my $V = bearer($v->{access});
error_ok(api(POST => "/api/v1/notifications/webhooks/$hook->{webhookId}/rotate", $V, {}), 404, 'NOT_FOUND', 'rotate: not theirs');
error_ok(api(POST => "/api/v1/notifications/webhooks/$hook->{webhookId}/test", $V, {}), 404, 'NOT_FOUND', 'test: not theirs');
error_ok(api(DELETE => "/api/v1/notifications/webhooks/$hook->{webhookId}", $V), 404, 'NOT_FOUND', 'delete: not theirs');
is(scalar @{ api(GET => '/api/v1/notifications/webhooks', $V)->{json}{data} }, 0, 'and does not see it');

# The published sender addresses (Appendix H's IP whitelisting).
$r = api(GET => '/api/v1/notifications/webhooks/sources', {});
is($r->{status}, 200, 'sender addresses published');
is(ref $r->{json}{data}{addresses}, 'ARRAY', 'as a list');

$r = api(DELETE => "/api/v1/notifications/webhooks/$hook->{webhookId}", $H);
is($r->{status}, 200, 'deleted');
is(scalar @{ api(GET => '/api/v1/notifications/webhooks', $H)->{json}{data} }, 0, 'gone from the list');

# The delivery log is a list (core/list) and checks its parameters.
$r = api(GET => '/api/v1/notifications?page=1&pageSize=10', $H);
is($r->{status}, 200, 'delivery log') or diag($r->{body});
ok(exists $r->{json}{meta}, 'with meta');
error_ok(api(GET => '/api/v1/notifications?filter_status=BOGUS', $H), 400, 'INVALID_REQUEST', 'unknown status filter');
error_ok(api(POST => '/api/v1/notifications/msg_aaaaaaaaaaaaaaaaaaaa/redeliver', $H, {}), 404, 'NOT_FOUND', 'redeliver: unknown');

done_testing;
