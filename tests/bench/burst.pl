#!/usr/bin/perl
# tests/bench/burst.pl — N (200) simultaneous orders from one account that can pay for 10, each on its own connection: the burst's wall time and what came back
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../api/lib";
use Time::HiRes qw(time);
use Hzm;
use HzmBurst;
use HzmTrade;

my $n = $ARGV[0] // 200;
my $price = price_at(market_price('BTCTRY', '1850000.00'), -3);
my $lock = buy_lock($price, '0.00001000');
my $u = trader('benchburst', TRY => fmt($lock * 10, 2));
my $t0 = time;
my @res = burst(map { [ POST => '/api/v1/orders', $u->{token}, { symbol => 'BTCTRY',
    side => 'BUY', type => 'LIMIT', price => $price, quantity => '0.00001000' } ] } 1 .. $n);
my $secs = time - $t0;
my $ok = grep { $_->{status} == 201 } @res;
my $refused = grep { $_->{status} == 400 } @res;
my $other = @res - $ok - $refused;
printf "%.3f %d %d %d\n", $secs, $ok, $refused, $other;
cancel_open($u->{token});
