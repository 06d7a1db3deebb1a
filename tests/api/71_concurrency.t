# tests/api/71_concurrency.t — 200 simultaneous orders from one account that can pay for 10: exactly 10 accepted, nothing negative
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time sleep);
use Hzm;
use HzmBurst;
use HzmTrade;

mc_flush();

my $N = 200;

sub tally {
	my (@res) = @_;
	my %n;
	$n{ $_->{status} . ' ' . ($_->{json}{error}{code} // ($_->{json}{data}{status} // '?')) }++
	    for @res;
	return \%n;
}

# ---- 200 buys, funds for 10 -------------------------------------------------------
# Each buy of 0.00001 BTC a little under the market locks its cost and the
# fee on it (within the price band): ten of those are what the account has.
my $P = market_price('BTCTRY', '1850000.00');
my $bid = price_at($P, -3);
my $lock = buy_lock($bid, '0.00001000');
my $u = trader('burst', TRY => fmt($lock * 10, 2));
my $t0 = time;
my @res = burst(map { [ POST => '/api/v1/orders', $u->{token}, { symbol => 'BTCTRY',
    side => 'BUY', type => 'LIMIT', price => $bid, quantity => '0.00001000' } ] } 1 .. $N);
my $secs = time - $t0;
my $n = tally(@res);
# The burst's wall time is a figure (make bench prints it too), never a
# verdict: this machine may be slow.
diag(sprintf '%s: %d simultaneous orders answered in %.2f s: %s', web(), $N, $secs,
    join(', ', map { "$_ x$n->{$_}" } sort keys %$n));
is(scalar(grep { $_->{status} == 201 } @res), 10, 'exactly 10 orders accepted');
is(scalar(grep { $_->{status} == 400 && ($_->{json}{error}{code} // '') eq 'INSUFFICIENT_BALANCE' } @res),
    $N - 10, 'the other 190 are INSUFFICIENT_BALANCE');
is(scalar(grep { $_->{status} >= 500 || $_->{status} == 0 } @res), 0, 'no 5xx, no dropped connection');
my ($refused) = grep { $_->{status} == 400 } @res;
is_deeply($refused->{json}{error}{details}, { required => fmt($lock, 2), available => '0.00',
    currency => 'TRY' }, 'a refusal says what was needed and what was left')
    or diag(explain($refused->{json}));
my $b = balances($u->{token});
is($b->{TRY}{available}, '0.00', 'nothing left available');
is($b->{TRY}{locked}, fmt($lock * 10, 2), 'all of it locked by the 10 orders');
is(psql("SELECT count(*) FROM orders o JOIN users u ON u.id = o.user_id WHERE u.public_id = '$u->{userId}'"),
    10, 'the database holds 10 orders');

# ---- 200 sells, funds for 10 ------------------------------------------------------
my $s = trader('burstsell', BTC => '0.10000000');
@res = burst(map { [ POST => '/api/v1/orders', $s->{token}, { symbol => 'BTCTRY',
    side => 'SELL', type => 'LIMIT', price => price_at($P, 5), quantity => '0.01000000' } ] } 1 .. $N);
is(scalar(grep { $_->{status} == 201 } @res), 10, 'sells: exactly 10 accepted');
is(scalar(grep { ($_->{json}{error}{code} // '') eq 'INSUFFICIENT_BALANCE' } @res), $N - 10,
    'sells: 190 refused');
$b = balances($s->{token});
is($b->{BTC}{available}, '0.00000000', 'sells: nothing left available');
is($b->{BTC}{locked}, '0.10000000', 'sells: 0.1 BTC locked');

# ---- the same orders cancelled twice, all at once -----------------------------------
my $r = api(GET => '/api/v1/orders?filter_status=OPEN', bearer($u->{token}));
my @ids = map { $_->{orderId} } @{ $r->{json}{data} };
is(scalar @ids, 10, 'ten open orders to cancel');
@res = burst(map { ([ DELETE => "/api/v1/orders/$_", $u->{token} ],
    [ DELETE => "/api/v1/orders/$_", $u->{token} ]) } @ids);
my $okc = grep { $_->{status} == 200 && $_->{json}{data}{status} eq 'CANCELED' } @res;
my $dup = grep { $_->{status} == 400 && $_->{json}{error}{code} eq 'TRADE_007' } @res;
my $acc = grep { $_->{status} == 202 } @res;
is($okc + $dup + $acc, 20, 'every cancel is CANCELED, already done (TRADE_007) or accepted')
    or diag(explain(tally(@res)));
ok($okc >= 10, 'each order reported cancelled at least once');
ok(wait_matcher(), 'the inbox drains');
$b = balances($u->{token});
is($b->{TRY}{locked}, '0.00', 'every lock released once');
is($b->{TRY}{available}, fmt($lock * 10, 2), 'and not twice: the balance is back where it was');
is(psql("SELECT count(*) FROM ledger l JOIN users u ON u.id = l.user_id WHERE"
    . " u.public_id = '$u->{userId}' AND l.kind = 'ORDER_UNLOCK'"), 10,
    'ten unlock entries, one per order');

# ---- a market buy racing the book ---------------------------------------------------
# Buys by quote amount from one account, concurrently, against one seller:
# the account can pay for what it locks and never more.
my $mk = trader('burstmaker', BTC => '1.00000000');
my $tk = trader('bursttaker', TRY => '5000.00');
place($mk->{token}, { symbol => 'BTCTRY', side => 'SELL', type => 'LIMIT',
    price => price_at($P, 2), quantity => '1.00000000' });
@res = burst(map { [ POST => '/api/v1/orders', $tk->{token}, { symbol => 'BTCTRY',
    side => 'BUY', type => 'MARKET', quoteOrderQty => '100.00' } ] } 1 .. 100);
my $filled = grep { $_->{status} == 201 && $_->{json}{data}{status} eq 'FILLED' } @res;
is($filled, 50, 'fifty buys of 100.00 TRY fit in 5000.00 TRY');
is(scalar(grep { ($_->{json}{error}{code} // '') eq 'INSUFFICIENT_BALANCE' } @res), 50,
    'the other fifty are refused');
ok(wait_matcher(), 'the inbox drains');
$b = balances($tk->{token});
is($b->{TRY}{locked}, '0.00', 'taker: nothing left locked');
ok(units($b->{TRY}{available}, 2) >= 0, 'taker: not negative');
cancel_open($_->{token}) for $mk, $s;
ok(wait_matcher(), 'the inbox drains');
invariant_ok('after the bursts');
done_testing;
