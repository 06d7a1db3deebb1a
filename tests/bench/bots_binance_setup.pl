#!/usr/bin/perl
# tests/bench/bots_binance_setup.pl — owners for the Binance bots benchmark: N users, each with a
# Binance key saved through the API (so it is sealed as in use) and a deep account on the stand-in
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/../api/lib";
use JSON::PP;
use Hzm;
use HzmTrade;
use HzmBinance;

my ($n) = @ARGV;
$n //= 10;
for my $i (1 .. $n) {
	my $u = trader("bench-bnb$i");
	my $key = substr(sprintf('BENCHKEY%03d', $i) . ('q8Zr3Kp5Vt' x 7), 0, 64);
	my $secret = 'S' . substr(lc($key), 1);
	binance_add_key(apiKey => $key, secretKey => $secret, enableWithdrawals => JSON::PP::false,
	    ipRestrict => JSON::PP::false, balances => { USDT => '1000000000', BTC => '100000',
	    ETH => '1000000', BNB => '1000000', TRY => '100000000000' });
	my $r = api(POST => '/api/v1/api-keys', bearer($u->{token}), { api_key => $key, secret_key => $secret });
	die "key: $r->{status} $r->{body}\n" unless $r->{status} == 201;
	print "$u->{userId}\n";
}
