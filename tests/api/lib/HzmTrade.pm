# tests/api/lib/HzmTrade.pm — trading helpers for the order tests: tokens, orders, balances, exact amounts, invariants
package HzmTrade;
use strict;
use warnings;
use Exporter 'import';
use Math::BigInt;
use POSIX ();
use Test::More;
use Time::HiRes qw(time sleep);
use Hzm;

our @EXPORT = qw(token place cancel balances balance units fmt fee_balance
    cancel_open invariant_ok matcher_pid wait_matcher via_inbox trader
    market_price price_at buy_lock $FEE_ID);

our $FEE_ID = 'usr_feeaccountaaaaaaaaaa';

my %scale = (TRY => 2, BTC => 8, ETH => 8, USDT => 6);

# An access token for a sandbox (or any) account.
sub token {
	my ($email, $pw) = @_;
	my $r = login($email, $pw);
	die "login $email: $r->{status} $r->{body}" unless $r->{status} == 200;
	return $r->{json}{data}{accessToken};
}

sub place {
	my ($tok, $body, $extra) = @_;
	return api(POST => '/api/v1/orders', { %{ bearer($tok) }, %{ $extra // {} } }, $body);
}

sub cancel {
	my ($tok, $id) = @_;
	return api(DELETE => "/api/v1/orders/$id", bearer($tok));
}

# { ASSET => { available, locked, total, valueInTRY } } from the API.
sub balances {
	my ($tok) = @_;
	my $r = api(GET => '/api/v1/wallets/balances', bearer($tok));
	die "balances: $r->{status} $r->{body}" unless $r->{status} == 200;
	return { map { $_->{asset} => $_ } @{ $r->{json}{data} } };
}

# One asset's total (or another field) as an exact integer at its scale.
sub balance {
	my ($tok, $asset, $field) = @_;
	return units(balances($tok)->{$asset}{$field // 'total'}, $scale{$asset});
}

# "123.45" at scale 2 -> 12345 (Math::BigInt); refuses more decimals.
sub units {
	my ($s, $sc) = @_;
	die "units: undefined" unless defined $s;
	my ($neg, $i, $f) = $s =~ /^(-?)(\d+)(?:\.(\d+))?$/ or die "units: $s";
	$f //= '';
	die "units: $s has more than $sc decimals" if length($f) > $sc && $f !~ /^\d{$sc}0+$/;
	$f = substr($f . ('0' x $sc), 0, $sc);
	my $v = Math::BigInt->new("$i$f");
	return $neg ? -$v : $v;
}

sub fmt {
	my ($v, $sc) = @_;
	my $neg = $v < 0;
	my $s = ($neg ? -$v : $v)->bstr;
	$s = ('0' x ($sc + 1 - length $s)) . $s if length $s <= $sc;
	$s = substr($s, 0, length($s) - $sc) . '.' . substr($s, -$sc) if $sc > 0;
	return ($neg ? '-' : '') . $s;
}

# The fee account's balance of an asset (available + locked), exact.
sub fee_balance {
	my ($asset) = @_;
	my $v = psql("SELECT coalesce(sum(b.available + b.locked), 0) FROM balances b"
	    . " JOIN users u ON u.id = b.user_id WHERE u.public_id = '$FEE_ID'"
	    . " AND b.asset = '$asset'");
	return units($v, 18) / Math::BigInt->new(10)->bpow(18 - $scale{$asset});
}

# Cancel every open order of an account (a clean book between tests).
sub cancel_open {
	my ($tok) = @_;
	for (1 .. 20) {
		my $r = api(GET => '/api/v1/orders?filter_status=OPEN&pageSize=500', bearer($tok));
		my @o = @{ $r->{json}{data} // [] };
		last unless @o;
		cancel($tok, $_->{orderId}) for @o;
	}
}

# For every asset, balances (all users, the fee account too) = ledger.
sub invariant_ok {
	my ($name) = @_;
	my $bad = psql("SELECT count(*) FROM (SELECT asset, sum(available + locked) s"
	    . " FROM balances GROUP BY asset) b FULL JOIN (SELECT asset,"
	    . " sum(delta_available + delta_locked) s FROM ledger GROUP BY asset) l"
	    . " USING (asset) WHERE b.s IS DISTINCT FROM l.s");
	is($bad, '0', "$name: every asset's balances sum to its ledger");
	my $neg = psql("SELECT count(*) FROM balances WHERE available < 0 OR locked < 0");
	is($neg, '0', "$name: no negative balance");
	# What users have locked is what their open orders still hold, and
	# the withdrawals not yet paid out or given back (amount and fee), and
	# the bank payouts (TRY withdrawals, returns) not settled yet.
	my $lk = psql("SELECT count(*) FROM (SELECT user_id, asset, locked FROM balances"
	    . " WHERE locked <> 0) b FULL JOIN (SELECT user_id, asset, sum(l) AS locked"
	    . " FROM (SELECT user_id, lock_asset AS asset, lock_remaining AS l FROM orders"
	    . " WHERE lock_remaining <> 0 UNION ALL SELECT user_id, asset, amount + fee"
	    . " FROM withdrawals WHERE status IN ('PENDING_APPROVAL', 'PENDING_SIGNATURE',"
	    . " 'PROCESSING') UNION ALL SELECT user_id, asset, amount + fee"
	    . " FROM fiat_withdrawals WHERE status = 'PROCESSING') x GROUP BY 1, 2) o"
	    . " USING (user_id, asset) WHERE b.locked IS DISTINCT FROM o.locked");
	is($lk, '0', "$name: locked balances are exactly the open orders', withdrawals' and payouts' locks");
}

# The matcher process (the supervisor's child), or undef.
sub matcher_pid {
	my $f = "$ENV{HZM_VAR}/run/matcher.pid";
	open my $fh, '<', $f or return undef;
	my $sup = <$fh>;
	close $fh;
	chomp $sup;
	my $want = "$ENV{HZM_VAR}/bin/matcher";
	for my $d (glob '/proc/[0-9]*') {
		my $exe = readlink "$d/exe" or next;
		# A binary replaced by a later install reads "... (deleted)".
		next unless $exe eq $want || $exe eq "$want (deleted)";
		open my $st, '<', "$d/stat" or next;
		my @f = split ' ', (<$st> =~ s/^.*\) //r);
		close $st;
		return substr($d, 6) + 0 if $f[1] == $sup;
	}
	return undef;
}

# Wait until the matcher has applied every command in the inbox.
sub wait_matcher {
	my ($secs) = @_;
	my $t0 = time;
	while (time - $t0 < ($secs // 20)) {
		return 1 if psql('SELECT count(*) FROM order_inbox') eq '0';
		sleep 0.05;
	}
	return 0;
}

# Run $code (a request or two placing orders) while the matcher does not
# answer on its socket: frozen until the handler has given up on the
# socket (5 s) and put the order in the inbox, then thawed while the
# handler waits for the matcher's word. $code's result, once the inbox
# is empty again.
sub via_inbox {
	my ($code) = @_;
	my $m = matcher_pid() or die 'no matcher';
	kill 'STOP', $m;
	my $thaw = fork // die;
	if ($thaw == 0) {
		sleep 6;
		kill 'CONT', $m;
		POSIX::_exit(0);
	}
	my @r = $code->();
	waitpid $thaw, 0;
	kill 'CONT', $m;
	wait_matcher();
	return wantarray ? @r : $r[0];
}

# Where a market trades now, as its price band sees it (the last trade
# price, else the mid of the book, else a quote), or $default: a decimal
# string at the market's price precision.
sub market_price {
	my ($sym, $default) = @_;
	my $t = api(GET => "/api/v1/public/ticker/$sym")->{json}{data} // {};
	return $t->{lastPrice} if defined $t->{lastPrice};
	my ($b, $a) = @{$t}{qw(bidPrice askPrice)};
	if (defined $b && defined $a) {
		my ($sc) = $b =~ /\.(\d+)$/;
		$sc = length($sc // '');
		return fmt((units($b, $sc) + units($a, $sc)) / 2, $sc);
	}
	return $a // $b // $default;
}

# price x (1 + pct/100), rounded down to the price's own decimals.
sub price_at {
	my ($price, $pct) = @_;
	my ($sc) = $price =~ /\.(\d+)$/;
	$sc = length($sc // '');
	my $v = units($price, $sc) * Math::BigInt->new(10000 + int($pct * 100)) / 10000;
	return fmt($v, $sc);
}

# What a limit buy locks on a market whose quote has 2 decimals and whose
# quantity has 8 (BTCTRY, ETHTRY): ceil(price x qty), plus ceil of the 0.2%
# taker fee on it, as an integer in hundredths.
sub buy_lock {
	my ($price, $qty) = @_;
	my $x = units($price, 2) * units($qty, 8);
	my $d = Math::BigInt->new(10)->bpow(8);
	my $cost = ($x + $d - 1) / $d;
	return $cost + ($cost * 2000 + 999999) / 1000000;
}

# A fresh LEVEL_2 trader funded through the ledger: { token, userId, email }.
sub trader {
	my ($tag, %fund) = @_;
	my $u = new_user($tag);
	psql("UPDATE users SET kyc_level = 2 WHERE public_id = '$u->{userId}'");
	for my $a (sort keys %fund) {
		psql("INSERT INTO ledger (user_id, asset, delta_available, delta_locked, kind, ref)"
		    . " SELECT id, '$a', $fund{$a}, 0, 'ADJUSTMENT', 'test-funding' FROM users"
		    . " WHERE public_id = '$u->{userId}'");
	}
	return { token => $u->{access}, userId => $u->{userId}, email => $u->{email} };
}

1;
