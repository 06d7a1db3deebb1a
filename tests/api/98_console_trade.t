# tests/api/98_console_trade.t — flow §11.2 in the console (www/console) in headless Chromium: a BTC deposit on the stand-in node, a TRY transfer through the stand-in bank, a trade on the market page, an OCO list placed and canceled, BTC and TRY withdrawals with 2FA
use strict;
use warnings;
use Test::More;
use Time::HiRes qw(time sleep);
use Hzm;
use HzmTrade;
use HzmBank;
use HzmChain;
use HzmWithdraw;
use HzmConsole;

console_ready();
plan skip_all => 'no stand-in bank in this stack'
    unless -s "$ENV{HZM_VAR}/bank/bank.conf" && bank_alive();
plan skip_all => 'no stand-in Bitcoin node in this stack'
    unless -s "$ENV{HZM_VAR}/bitcoind/bitcoin.conf" && btc_alive();

mc_flush();
bank_reset();
my $u = fiat_user('console-trade', totp => 1);
my $iban = iban_tr(62, 4242);
my $addr = foreign_address();
my ($price, $seller);

# One pass of cron-chain that did the work (the stack's own schedule may hold it).
sub chain_pass {
	for (1 .. 100) {
		my $out = `HZM_CONF=$ENV{HZM_VAR}/hzm.conf $ENV{HZM_VAR}/bin/cron-chain 2>&1`;
		return 1 unless $out =~ /^BTC busy$/m;
		sleep 0.1;
	}
	return 0;
}

my $n = console_run('console_trade.mjs', {
	HZM_EMAIL => $u->{email}, HZM_PASSWORD => $u->{password}, HZM_SECRET => $u->{secret},
	HZM_ADDRESS => $addr, HZM_IBAN => $iban, HZM_HOLDER => "$u->{first} $u->{last}",
}, {
	'totp-reset' => sub { psql("UPDATE users SET totp_last_step = 0 WHERE public_id = '$u->{userId}'"); 'ok' },
	'btc-pay' => sub {
		my ($to, $amount) = @_;
		btc('test_pay', $to, $amount);
		btc('test_mine', 6);
		chain_pass() or return 'cron-chain busy';
		'ok';
	},
	'bank-pay' => sub {
		my ($ref, $amount) = @_;
		$ref =~ tr/_/ /;
		bank_deposit(amount => $amount, senderName => uc("$u->{first} $u->{last}"),
		    senderIban => iban_tr(62, 112), description => "Yatirim $ref");
		'ok';
	},
	'seller' => sub {
		$price = market_price('BTCTRY', '1850000.00');
		$seller = trader('console-seller', BTC => 1);
		my $r = place($seller->{token}, { symbol => 'BTCTRY', side => 'SELL', type => 'LIMIT',
		    quantity => '0.01000000', price => $price, timeInForce => 'GTC' });
		$r->{status} == 201 || $r->{status} == 200 ? $price : "$r->{status} $r->{body}";
	},
});
cmp_ok($n, '>=', 30, "the browser script ran through ($n checks)");

# What the browser did, seen through the API.
my $tok = login($u->{email}, $u->{password}, twoFactorCode => do {
	psql("UPDATE users SET totp_last_step = 0 WHERE public_id = '$u->{userId}'");
	totp_code($u->{secret}) })->{json}{data}{accessToken};
my $b = balances($tok);
is($b->{BTC}{total}, '0.01500000', 'BTC: 0.01 in, 0.005 bought (the withdrawal still locked)');
is($b->{TRY}{available} + 0 > 0, 1, 'TRY left after the trade and the TRY withdrawal');
my $o = api(GET => '/api/v1/orders?pageSize=50', bearer($tok))->{json}{data};
is(scalar(grep { $_->{status} eq 'FILLED' } @$o), 1, 'one FILLED order');
is(scalar(grep { $_->{status} eq 'CANCELED' && $_->{orderListId} == -1 } @$o), 1, 'one CANCELED order outside a list');
my @legs = grep { $_->{orderListId} != -1 } @$o;
is(scalar(@legs), 2, 'one OCO list: two legs');
is(scalar(grep { $_->{status} eq 'CANCELED' } @legs), 2, '  both CANCELED');
is(scalar(keys %{{ map { ($_->{orderListId} => 1) } @legs }}), 1, '  of the same list');
cancel($seller->{token}, $_->{orderId}) for grep { $_->{status} =~ /NEW|PARTIAL/ }
    @{ api(GET => '/api/v1/orders?pageSize=50', bearer($seller->{token}))->{json}{data} // [] };
invariant_ok('after the console flow');

done_testing;
