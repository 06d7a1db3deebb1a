# tests/api/97_settings_page.t — the notification settings page (www/settings/notifications) in headless Chromium: login, preferences, webhooks, the delivery log, a test event
use strict;
use warnings;
use utf8;
use Test::More;
use JSON::PP;
use Hzm;
use HzmConsole;
use HzmHook;

binmode(Test::More->builder->$_, ':encoding(UTF-8)') for qw(output failure_output todo_output);
my $root = $ENV{HZM_ROOT};
my $chromium = $ENV{CHROMIUM} // '/usr/bin/chromium';
plan skip_all => 'chromium is not installed (make deps)' unless -x $chromium;
plan skip_all => 'playwright-core is not installed (make deps)'
    unless -d "$root/tests/node/node_modules/playwright-core";

# The static files, as both web servers serve them.
for my $p ('/settings/notifications', '/settings/notifications/') {
	my $r = api(GET => $p);
	is($r->{status}, 200, "GET $p: 200");
	like($r->{headers}{'content-type'} // '', qr{^text/html}, '  HTML');
	like($r->{body}, qr{<script type="module" src="/settings/notifications/settings\.js"}, '  loads its script');
	like($r->{body}, qr{Content-Security-Policy" content="default-src 'none'; script-src 'self'}, '  under a CSP');
}
for ([ 'settings.js', qr{^text/javascript} ], [ 'settings.css', qr{^text/css} ]) {
	my $r = api(GET => "/settings/notifications/$_->[0]");
	is($r->{status}, 200, "$_->[0]: 200");
	like($r->{headers}{'content-type'} // '', $_->[1], "  $_->[1]");
}

hook_start();
mc_flush();
my $u = new_user('settings-page');
my $hook = "https://127.0.0.1:$ENV{HZM_HOOK_PORT}/ok/ui";

local $ENV{HZM_BASE} = base_url();
local $ENV{HZM_EMAIL} = $u->{email};
local $ENV{HZM_PASSWORD} = $u->{password};
local $ENV{HZM_HOOK_URL} = $hook;
# The page shows a row per type the API lists for the user.
my $types = api(GET => '/api/v1/notifications/preferences', bearer($u->{access}));
local $ENV{HZM_PREF_TYPES} = scalar @{ $types->{json}{data}{preferences} // [] };
ok($ENV{HZM_PREF_TYPES} > 0, "the API lists $ENV{HZM_PREF_TYPES} notification types");
local $ENV{CHROMIUM} = $chromium;
my $n = console_run('settings_notifications.mjs', {});
cmp_ok($n, '>=', 24, "the browser script ran through ($n checks)");

# What the page did, seen through the API and the receiver.
my $H = bearer(login($u->{email}, $u->{password})->{json}{data}{accessToken});
my $p = api(GET => '/api/v1/notifications/preferences', $H)->{json}{data};
my %pref = map { $_->{type} => $_ } @{ $p->{preferences} };
is($p->{language}, 'tr', 'the language the page chose');
ok(!$pref{'bot.error'}{emailEnabled}, 'bot.error mail off, as clicked');
ok($pref{'order.filled'}{emailEnabled}, 'order.filled mail on, as clicked');
ok($pref{'bot.trade'}{emailEnabled}, 'the others as they were');
is_deeply(api(GET => '/api/v1/notifications/webhooks', $H)->{json}{data}, [], 'the endpoint deleted');
my $got = hook_wait(sub { my $x = hook_received("/ok/ui"); @$x >= 1 ? $x : undef });
ok($got, 'the receiver got the test event');
is(decode_json($got->[0]{body})->{eventType}, 'webhook.test', '  a webhook.test') if $got;

done_testing;
