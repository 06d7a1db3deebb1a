# tests/api/lib/HzmWithdraw.pm — withdrawal helpers for the API tests: users with 2FA, requests, the worker, the node's hot wallet, a TRY price
package HzmWithdraw;
use strict;
use warnings;
use Exporter 'import';
use JSON::PP;
use Math::BigInt;
use POSIX ();
use Test::More;
use Time::HiRes qw(time sleep);
use Hzm;
use HzmTrade;
use HzmChain;

our @EXPORT = qw(wd_user withdraw withdraw_raw worker_run worker_pause worker_resume
    fund_node btc_price foreign_address withdrawal_row sends_of ledger_of
    twofa_on $FOREIGN);

# An address outside the node's wallet (regtest P2WPKH, valid checksum).
our $FOREIGN = 'bcrt1q0fdgt68mc6299l4wkcn5k2pnwszvl9jqw3zzuw';

# A fresh regtest P2WPKH address outside the node's wallet (bech32, BIP 173):
# each user pays its own, as the rules engine counts shared addresses.
my @B32 = split //, 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';
sub b32_polymod {
	my $chk = 1;
	my @gen = (0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3);
	for my $v (@_) {
		my $top = $chk >> 25;
		$chk = (($chk & 0x1ffffff) << 5) ^ $v;
		for my $i (0 .. 4) {
			$chk ^= $gen[$i] if ($top >> $i) & 1;
		}
	}
	return $chk;
}
sub foreign_address {
	my $hrp = 'bcrt';
	my @prog = map { int rand 256 } 1 .. 20;
	my ($acc, $bits, @data) = (0, 0, 0);
	for my $b (@prog) {
		$acc = (($acc << 8) | $b) & 0xffffff;
		$bits += 8;
		while ($bits >= 5) {
			$bits -= 5;
			push @data, ($acc >> $bits) & 31;
		}
	}
	push @data, ($acc << (5 - $bits)) & 31 if $bits;
	my @hx = ((map { ord($_) >> 5 } split //, $hrp), 0, map { ord($_) & 31 } split //, $hrp);
	my $pm = b32_polymod(@hx, @data, 0, 0, 0, 0, 0, 0) ^ 1;
	my @chk = map { ($pm >> (5 * (5 - $_))) & 31 } 0 .. 5;
	return $hrp . '1' . join '', map { $B32[$_] } @data, @chk;
}

# Turn 2FA on for a user of new_user(): the secret.
sub twofa_on {
	my ($u) = @_;
	my $r = api(POST => '/api/v1/auth/2fa/setup', bearer($u->{access}));
	my $secret = $r->{json}{data}{secret} or die "2fa setup: $r->{body}";
	$r = api(POST => '/api/v1/auth/2fa/enable', bearer($u->{access}),
	    { code => totp_code($secret) });
	die "2fa enable: $r->{body}" unless $r->{status} == 200;
	return $secret;
}

# A fresh LEVEL_2 user with 2FA, funded through the ledger:
# new_user()'s fields plus token, secret and addr (an address of its own
# to withdraw to). %opt: fund => { BTC => 2 },
# age_days => N (the account made N days ago), level => L.
sub wd_user {
	my ($tag, %opt) = @_;
	my $u = new_user($tag);
	my $level = $opt{level} // 2;
	psql("UPDATE users SET kyc_level = $level WHERE public_id = '$u->{userId}'");
	if ($opt{age_days}) {
		psql("UPDATE users SET created_at = created_at - interval '$opt{age_days} days',"
		    . " password_changed_at = password_changed_at - interval '$opt{age_days} days'"
		    . " WHERE public_id = '$u->{userId}'");
	}
	my $fund = $opt{fund} // { BTC => 2 };
	for my $a (sort keys %$fund) {
		psql("INSERT INTO ledger (user_id, asset, delta_available, delta_locked, kind, ref)"
		    . " SELECT id, '$a', $fund->{$a}, 0, 'ADJUSTMENT', 'test-funding' FROM users"
		    . " WHERE public_id = '$u->{userId}'");
	}
	$u->{secret} = twofa_on($u) unless $opt{no_2fa};
	$u->{token} = $u->{access};
	$u->{addr} = foreign_address();
	return $u;
}

# POST /wallets/{asset}/withdraw with a good code. $body without twoFactorCode.
sub withdraw {
	my ($u, $body, $asset) = @_;
	$asset //= 'BTC';
	# A code is good once a step: the tests start each user's steps over.
	psql("UPDATE users SET totp_last_step = 0 WHERE public_id = '$u->{userId}'");
	return with_totp($u->{secret}, sub {
		api(POST => "/api/v1/wallets/$asset/withdraw", bearer($u->{token}),
		    { %$body, twoFactorCode => $_[0] }) });
}

# The same with the body as given (no code added).
sub withdraw_raw {
	my ($u, $body, $asset, $headers) = @_;
	return api(POST => '/api/v1/wallets/' . ($asset // 'BTC') . '/withdraw',
	    { %{ bearer($u->{token}) }, %{ $headers // {} } }, $body);
}

# One run of cron-withdraw with extra settings (HZM_KEY => value): (exit code, output).
sub worker_run {
	my (%env) = @_;
	my $pre = join ' ', map { "$_=$env{$_}" } sort keys %env;
	my $out = `HZM_CONF=$ENV{HZM_VAR}/hzm.conf $pre $ENV{HZM_VAR}/bin/cron-withdraw 2>&1`;
	return ($? >> 8, $out);
}

sub worker_pids {
	my ($name) = @_;
	my $want = "$ENV{HZM_VAR}/bin/" . ($name // 'cron-withdraw');
	my @p;
	for my $d (glob '/proc/[0-9]*') {
		my $exe = readlink "$d/exe" or next;
		push @p, substr($d, 6) + 0 if $exe eq $want;
	}
	return @p;
}

# The stack runs each cron worker on a schedule (scripts/periodic): stop
# a schedule (cron-withdraw unless named) while a test drives the worker
# itself, and wait for a run in progress to end. worker_resume() starts
# them again.
my %paused;
sub worker_pause {
	my ($name) = @_;
	$name //= 'cron-withdraw';
	open my $fh, '<', "$ENV{HZM_VAR}/run/$name.pid" or return;
	chomp(my $pid = <$fh> // '');
	close $fh;
	return unless $pid;
	$paused{$name} = $pid;
	kill 'STOP', $pid;
	for (1 .. 200) {
		last unless worker_pids($name);
		sleep 0.1;
	}
}
sub worker_resume {
	kill 'CONT', $_ for values %paused;
	%paused = ();
}
END { worker_resume() }

# Coins for the node's wallet to pay withdrawals from (confirmed).
sub fund_node {
	my ($amount) = @_;
	btc('test_pay', btc('getnewaddress', 'hot'), $amount // 100);
	btc('test_mine', 1);
}

# BTCTRY's last trade price; when it never traded, a trade at $price
# between two fresh traders makes one. The price as a string.
sub btc_price {
	my ($price) = @_;
	my $last = psql("SELECT last_price::text FROM matcher_state WHERE symbol = 'BTCTRY'");
	return fmt(units($last, 18) / Math::BigInt->new(10)->bpow(16), 2)
	    if length $last;
	$price //= '1850000.00';
	my $s = trader('wd-price-s', BTC => 1);
	my $b = trader('wd-price-b', TRY => 100000);
	my $r = place($s->{token}, { symbol => 'BTCTRY', side => 'SELL', type => 'LIMIT',
	    quantity => '0.001', price => $price, timeInForce => 'GTC' });
	die "price sell: $r->{body}" unless $r->{status} == 201;
	$r = place($b->{token}, { symbol => 'BTCTRY', side => 'BUY', type => 'LIMIT',
	    quantity => '0.001', price => $price, timeInForce => 'IOC' });
	die "price buy: $r->{body}" unless $r->{status} == 201;
	wait_matcher();
	cancel_open($s->{token});
	$last = psql("SELECT last_price::text FROM matcher_state WHERE symbol = 'BTCTRY'");
	die 'no BTCTRY price' unless length $last;
	return fmt(units($last, 18) / Math::BigInt->new(10)->bpow(16), 2);
}

# A withdrawal's row: { column => value } of the columns asked.
sub withdrawal_row {
	my ($id, @cols) = @_;
	my $v = psql("SELECT " . join(", ", map { "coalesce(" . $_ . "::text, '')" } @cols)
	    . " FROM withdrawals WHERE public_id = '$id'");
	my @v = length $v ? split(/\|/, $v, -1) : ('') x @cols;
	return { map { $cols[$_] => $v[$_] } 0 .. $#cols };
}

# The node wallet's sends for a withdrawal (by the comment its tries carry).
sub sends_of {
	my ($id) = @_;
	my $list = btc('listtransactions', '*', 1000, 0, JSON::PP::true);
	my %tx;
	$tx{ $_->{txid} } = $_ for grep { $_->{category} eq 'send'
	    && ($_->{comment} // '') =~ /^hzm:\Q$id\E:/ } @$list;
	return [values %tx];
}

# The ledger rows of a withdrawal: "KIND user delta_available delta_locked" sorted.
sub ledger_of {
	my ($id) = @_;
	return [split /\n/, psql("SELECT l.kind || ' ' || u.public_id || ' '"
	    . " || l.delta_available::numeric(38,8) || ' ' || l.delta_locked::numeric(38,8)"
	    . " FROM ledger l JOIN users u ON u.id = l.user_id"
	    . " WHERE l.ref = 'withdrawal:$id' ORDER BY l.id")];
}

1;
