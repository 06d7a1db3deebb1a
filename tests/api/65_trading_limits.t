# tests/api/65_trading_limits.t — the daily trading limit at order placement: within, over, freed by a cancel, counted when executed, a new UTC day, both order paths, an admin's override
# BTCTRY, the market every trading test prices from market_price(): ETHTRY's
# book and 24-hour figures are 73_market_data's own.
use strict;
use warnings;
use Test::More;
use Math::BigInt;
use Time::HiRes qw(time);
use Hzm;
use HzmTrade;

mc_flush();
ok(wait_matcher(), 'the matcher has an empty inbox');
my $ADMIN = bearer(admin_login());
my $A = trader('tlim-a', TRY => '5000000', BTC => '1');
my $S = trader('tlim-s', BTC => '10');

my $P = market_price('BTCTRY', '1850000.00');
my $bid = price_at($P, -3);		# rests: no ask comes near
my $Q = '0.01000000';
# What a limit order counts: price x quantity, in TRY hundredths (rounded down).
sub worth { my ($p, $q) = @_; return units($p, 2) * units($q, 8) / Math::BigInt->new(10)->bpow(8) }
my $V = worth($bid, $Q);
my $L = $V * 5 / 2;			# room for two such orders, not three

sub limits_of {
	my ($u) = @_;
	my $r = api(GET => '/api/v1/kyc/status', bearer($u->{token}));
	die "kyc/status: $r->{body}" unless $r->{status} == 200;
	return $r->{json}{data}{limits};
}
sub used_of { return units(limits_of($_[0])->{dailyTradingUsed}, 2) }
sub buy {
	my ($u, $p, $q, $extra) = @_;
	return place($u->{token}, { symbol => 'BTCTRY', side => 'BUY', type => 'LIMIT',
	    price => $p, quantity => $q, timeInForce => 'GTC' }, $extra);
}
sub set_trading_limit {
	my ($u, $limit) = @_;
	return api(PUT => "/api/v1/admin/users/$u->{userId}/limits", $ADMIN,
	    { dailyWithdrawal => '0', monthlyWithdrawal => '0', dailyTrading => $limit,
	      reason => 'trading limit test' });
}

# === the level's default ===========================================================
my $l = limits_of($A);
is($l->{dailyTrading}, '1000000.00', 'LEVEL_2: 1,000,000 TRY a day');
is($l->{dailyTradingUsed}, '0.00', 'nothing used yet');
my $big = fmt(Math::BigInt->new(1000000_00) * Math::BigInt->new(10)->bpow(8) / units($bid, 2) + 1000, 8);
my $r = buy($A, $bid, $big);
error_ok($r, 403, 'COMPLIANCE_002', 'one order worth more than the level allows');
is_deeply($r->{json}{error}{details}, { period => 'DAY', limit => '1000000.00', used => '0.00',
    requested => fmt(worth($bid, $big), 2), currency => 'TRY' }, 'details: limit, used, requested, currency');
is(psql("SELECT count(*) FROM orders o JOIN users u ON u.id = o.user_id"
    . " WHERE u.public_id = '$A->{userId}'"), 0, 'nothing stored');
is(balance($A->{token}, 'TRY', 'locked'), 0, 'nothing locked');
$r = buy($A, $bid, '1000.00000000');
error_ok($r, 400, 'INSUFFICIENT_BALANCE', 'an order the balance cannot pay is told so first');

# === an admin's override ===========================================================
$r = set_trading_limit($A, fmt($L, 2));
is($r->{status}, 200, 'an admin sets the user\'s own trading limit') or diag($r->{body});
is($r->{json}{data}{limits}{dailyTrading}, fmt($L, 2), 'shown');
is(limits_of($A)->{dailyTrading}, fmt($L, 2), 'the user sees it');

# === within, over ==================================================================
$r = buy($A, $bid, $Q);
is($r->{status}, 201, 'first order within the limit') or diag($r->{body});
my $first = $r->{json}{data}{orderId};
is(used_of($A), $V, 'used: its value');
$r = buy($A, $bid, $Q);
is($r->{status}, 201, 'second order within the limit') or diag($r->{body});
is(used_of($A), 2 * $V, 'used: both');
$r = buy($A, $bid, $Q);
error_ok($r, 403, 'COMPLIANCE_002', 'a third goes past the limit');
is_deeply($r->{json}{error}{details}, { period => 'DAY', limit => fmt($L, 2), used => fmt(2 * $V, 2),
    requested => fmt($V, 2), currency => 'TRY' }, 'details');
# A sell counts as much as a buy.
$r = place($A->{token}, { symbol => 'BTCTRY', side => 'SELL', type => 'LIMIT',
    price => price_at($P, 3), quantity => $Q });
error_ok($r, 403, 'COMPLIANCE_002', 'a sell is trading too');
is(used_of($A), 2 * $V, 'refusals use nothing');

# === a cancel frees what the order did not trade ===================================
$r = cancel($A->{token}, $first);
is($r->{status}, 200, 'the first order cancelled') or diag($r->{body});
ok(wait_matcher(), 'cancel applied');
is(used_of($A), $V, 'used: the open one only');
$r = buy($A, $bid, $Q);
is($r->{status}, 201, 'room again for an order') or diag($r->{body});

# === executed value stays counted ==================================================
$r = place($S->{token}, { symbol => 'BTCTRY', side => 'SELL', type => 'LIMIT',
    price => $bid, quantity => '0.02000000', timeInForce => 'IOC' });
is($r->{status}, 201, 'a seller takes both bids') or diag($r->{body});
is($r->{json}{data}{status}, 'FILLED', 'filled');
ok(wait_matcher(), 'settled');
is(psql("SELECT count(*) FROM orders o JOIN users u ON u.id = o.user_id"
    . " WHERE u.public_id = '$A->{userId}' AND o.status = 'FILLED'"), 2, 'both of A\'s orders filled');
is(used_of($A), 2 * $V, 'executed value still counts');
$r = buy($A, $bid, $Q);
error_ok($r, 403, 'COMPLIANCE_002', 'and holds the limit');

# === an idempotency key, then a frozen matcher (the inbox path) =====================
$r = buy($A, $bid, $Q, { 'X-Idempotency-Key' => "tlim-$$-1" });
error_ok($r, 403, 'COMPLIANCE_002', 'with an idempotency key: refused the same way');
$r = set_trading_limit($A, fmt(4 * $V, 2));
is($r->{status}, 200, 'limit raised') or diag($r->{body});
$r = buy($A, $bid, $Q, { 'X-Idempotency-Key' => "tlim-$$-2" });
is($r->{status}, 201, 'with an idempotency key: within the limit') or diag($r->{body});
ok(wait_matcher(), 'applied');
is(used_of($A), 3 * $V, 'counted once');
my $m = matcher_pid();
ok($m, 'the matcher runs');
kill 'STOP', $m;
my $t0 = time;
$r = buy($A, $bid, fmt(units($Q, 8) * 2, 8));
my $over = $r;
$r = buy($A, $bid, $Q);
kill 'CONT', $m;
error_ok($over, 403, 'COMPLIANCE_002', 'frozen matcher: over the limit through the inbox');
is($r->{status}, 201, 'frozen matcher: within the limit through the inbox') or diag($r->{body});
ok(time - $t0 < 20, 'in time');
ok(wait_matcher(), 'thawed, the matcher takes the inbox');
is(used_of($A), 4 * $V, 'used: the limit exactly');
$r = buy($A, $bid, $Q);
error_ok($r, 403, 'COMPLIANCE_002', 'the matcher\'s path sees what the inbox counted');
is(psql("SELECT count(*) FROM orders o JOIN users u ON u.id = o.user_id"
    . " WHERE u.public_id = '$A->{userId}'"), 5, 'only the accepted orders exist');

# === a new UTC day ==================================================================
cancel_open($A->{token});
ok(wait_matcher(), 'open orders cancelled');
is(used_of($A), 2 * $V, 'cancelled: freed; filled: kept');
# Yesterday, as far as the counter and what it has yet to fold are concerned.
psql("UPDATE trading_days SET day = day - 1 WHERE user_id = (SELECT id FROM users"
    . " WHERE public_id = '$A->{userId}')");
psql("UPDATE trading_releases SET day = day - 1 WHERE user_id = (SELECT id FROM users"
    . " WHERE public_id = '$A->{userId}')");
is(used_of($A), 0, 'a new day: nothing used');
for my $k (1 .. 4) {
	$r = buy($A, $bid, $Q);
	is($r->{status}, 201, "the whole limit again: order $k") or diag($r->{body});
}
is(used_of($A), 4 * $V, 'counted on the new day');
cancel_open($A->{token});
ok(wait_matcher(), 'cleaned up');

invariant_ok('after the trading limits');
done_testing();
