# tests/api/98_console_bots.t — a bot's life in the console (www/console) in headless Chromium: platform API key, Binance key on the stand-in, a paper bot created, started, run by the worker, its report and PnL chart, stopped, its settings edited
use strict;
use warnings;
use Test::More;
use Hzm;
use HzmTrade;
use HzmBank;
use HzmBots;
use HzmBinance;
use HzmConsole;

console_ready();
plan skip_all => 'no stand-in Binance in this stack' unless eval { binance_conf(); 1 };

mc_flush();
binance_reset();
psql("UPDATE bots SET status = 'STOPPED'");	# other files' bots stay out of the runs
my $u = fiat_user('console-bots', totp => 1);
my $bkey = substr('CONSOLEKEY' . ('7Hq2Lm9Xw4' x 7), 0, 64);
my $bsecret = 'S' . substr(lc($bkey), 1);
binance_add_key(apiKey => $bkey, secretKey => $bsecret, enableWithdrawals => JSON::PP::false,
    ipRestrict => JSON::PP::false);

my $n = console_run('console_bots.mjs', {
	HZM_EMAIL => $u->{email}, HZM_PASSWORD => $u->{password}, HZM_SECRET => $u->{secret},
	HZM_BINANCE_KEY => $bkey, HZM_BINANCE_SECRET => $bsecret,
}, {
	'totp-reset' => sub { psql("UPDATE users SET totp_last_step = 0 WHERE public_id = '$u->{userId}'"); 'ok' },
	'key-works' => sub {
		my ($key, $pw) = @_;
		api(GET => '/api/v1/wallets/balances', { 'X-Email' => $u->{email}, 'X-API-Key' => $key,
		    'X-API-Password' => $pw })->{status};
	},
	'bot-trade' => sub {
		my ($id) = @_;
		my $old = psql("SELECT last_price FROM matcher_state WHERE symbol = 'ETHTRY'");
		for my $p (99000, 111000) {
			set_last_price('ETHTRY', $p);
			my ($rc, $cnt, $out) = bots_run();
			return "cron-bots: $rc $out" if $rc;
		}
		set_last_price('ETHTRY', length $old ? $old : 'NULL');
		'ok';
	},
});
cmp_ok($n, '>=', 25, "the browser script ran through ($n checks)");

my $H = bearer($u->{token});
my $bots = api(GET => '/api/v1/bots', $H)->{json}{data};
is(scalar @$bots, 1, 'one bot');
is($bots->[0]{state}{status}, 'STOPPED', 'stopped, as clicked');
is($bots->[0]{name}, 'eth swing 2', 'renamed');
like($bots->[0]{orderSize}, qr/^0\.20*$/, 'its order size changed');
like($bots->[0]{stopLossPercent} // '', qr/^5(\.0+)?$/, 'a stop-loss set');
is($bots->[0]{strategyParams}{buyBelow}, '100000.00', 'its strategy parameters kept');
is(api(GET => '/api/v1/api-keys/me', $H)->{json}{data}{exchange}, 'BINANCE', 'the Binance key stored');

done_testing;
