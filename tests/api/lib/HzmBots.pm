# tests/api/lib/HzmBots.pm — helpers of the bot tests: a bot made through the API, the worker run by hand, prices set
package HzmBots;
use strict;
use warnings;
use Exporter 'import';
use Hzm;
use HzmTrade;

our @EXPORT = qw(bot_new bot_get bots_run bots_run_bg set_last_price bot_row bot_events);

# POST /bots with defaults filled in; dies unless 201. Returns the bot.
sub bot_new {
	my ($token, %conf) = @_;
	my %body = (name => 'b', symbol => 'BTCTRY', strategy => 'simple',
	    strategyParams => { buyBelow => '100.00', sellAbove => '200.00' },
	    orderSize => '0.01000000', paperMode => JSON::PP::true(), %conf);
	my $r = api(POST => '/api/v1/bots', bearer($token), \%body);
	die "bot: $r->{status} $r->{body}" unless $r->{status} == 201;
	return $r->{json}{data};
}

sub bot_get {
	my ($token, $id) = @_;
	my $r = api(GET => "/api/v1/bots/$id", bearer($token));
	return $r->{json}{data};
}

# Run cron-bots once: (exit code, { claimed => N, trades => N, ... }, output).
sub bots_run {
	my (%env) = @_;
	my $pre = join ' ', map { "$_=$env{$_}" } sort keys %env;
	my $out = `HZM_CONF=$ENV{HZM_VAR}/hzm.conf HZM_BOTS_INTERVAL_SECONDS=0 $pre $ENV{HZM_VAR}/bin/cron-bots 2>&1`;
	my %n = $out =~ /^(\w+) (\d+)$/mg;
	return ($? >> 8, \%n, $out);
}

# Start cron-bots in the background: its pid.
sub bots_run_bg {
	my (%env) = @_;
	my $pid = fork // die "fork: $!";
	if ($pid == 0) {
		$ENV{$_} = $env{$_} for keys %env;
		$ENV{HZM_CONF} = "$ENV{HZM_VAR}/hzm.conf";
		$ENV{HZM_BOTS_INTERVAL_SECONDS} //= 0;
		open STDOUT, '>', "$ENV{HZM_VAR}/bots-bg.$$.out";
		exec "$ENV{HZM_VAR}/bin/cron-bots" or exit 127;
	}
	return $pid;
}

# The price paper bots see: the market's last trade price.
sub set_last_price {
	my ($symbol, $price) = @_;
	psql("UPDATE matcher_state SET last_price = $price WHERE symbol = '$symbol'");
}

sub bot_row {
	my ($id, $cols) = @_;
	return psql("SELECT $cols FROM bots WHERE public_id = '$id'");
}

# The event types written for a bot, oldest first.
sub bot_events {
	my ($id) = @_;
	return [ split /\n/, psql("SELECT event_type FROM outbox WHERE payload->>'botId' = '$id' ORDER BY id") ];
}

1;
