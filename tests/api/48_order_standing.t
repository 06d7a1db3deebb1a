# tests/api/48_order_standing.t — POST /orders from an account that lost its standing after the handler last saw it: logged out, token revoked, password changed, suspended, KYC lowered; each refused with the code any other route gives, nothing stored or locked; the session's last sight noted by the batch
use strict;
use warnings;
use Test::More;
use JSON::PP qw(decode_json);
use MIME::Base64 qw(decode_base64url);
use Hzm;
use HzmTrade;

mc_flush();
ok(wait_matcher(), 'the matcher has an empty inbox');
my $P = market_price('ETHTRY', '90000.00');
my $low = price_at($P, -5);
my %bid = (symbol => 'ETHTRY', side => 'BUY', type => 'LIMIT', price => $low,
    quantity => '0.01000000');

# The handler processes have seen the trader (a request each, or nearly),
# and the trader places an order: the account is in good standing.
sub seen_trader {
	my ($tag) = @_;
	my $t = trader($tag, TRY => '100000');
	api(GET => '/api/v1/orders', bearer($t->{token})) for 1 .. 40;
	my $r = place($t->{token}, \%bid);
	is($r->{status}, 201, "$tag: an order while in good standing") or diag($r->{body});
	cancel_open($t->{token});
	return $t;
}

sub claims { return decode_json(decode_base64url((split /\./, $_[0])[1])) }

sub stored {
	my ($t) = @_;
	return psql("SELECT count(*) FROM orders o JOIN users u ON u.id = o.user_id"
	    . " WHERE u.public_id = '$t->{userId}'");
}

sub locked {
	my ($t) = @_;
	return psql("SELECT coalesce(sum(locked), 0) FROM balances b JOIN users u"
	    . " ON u.id = b.user_id WHERE u.public_id = '$t->{userId}'");
}

# Several tries, whichever process takes each: the same refusal, no order.
sub refused_ok {
	my ($t, $status, $code, $name, $extra) = @_;
	my $before = stored($t);
	for my $k (1 .. 5) {
		error_ok(place($t->{token}, { %bid, %{ $extra // {} } }), $status, $code,
		    "$name, try $k");
	}
	is(stored($t), $before, "$name: no order stored");
	is(0 + locked($t), 0, "$name: nothing locked");
}

# Logged out: the session's tokens end with it.
my $t = seen_trader('stand-out');
is(api(POST => '/api/v1/auth/logout', bearer($t->{token}))->{status}, 200, 'logout');
refused_ok($t, 401, 'AUTH_003', 'after logout');

# One access token revoked (as logout of another device would), the session not.
$t = seen_trader('stand-jti');
psql("INSERT INTO revoked_access_tokens (jti, expires_at)"
    . " VALUES ('" . claims($t->{token})->{jti} . "', now() + interval '1 hour')");
refused_ok($t, 401, 'AUTH_003', 'a revoked access token');

# A password change ends the tokens issued before it.
$t = seen_trader('stand-pw');
psql_owner("UPDATE users SET password_changed_at = now() + interval '2 seconds'"
    . " WHERE public_id = '$t->{userId}'");
refused_ok($t, 401, 'AUTH_003', 'after a password change');

# Suspended by staff.
$t = seen_trader('stand-susp');
my $admin = admin_login();
my $r = api(PUT => "/api/v1/admin/users/$t->{userId}/status", bearer($admin),
    { status => 'SUSPENDED', reason => 'order standing test' });
is($r->{status}, 200, 'suspended') or diag($r->{body});
refused_ok($t, 403, 'COMPLIANCE_003', 'suspended');

# KYC lowered below what trading needs.
$t = seen_trader('stand-kyc');
psql_owner("UPDATE users SET kyc_level = 1 WHERE public_id = '$t->{userId}'");
refused_ok($t, 403, 'KYC_REQUIRED', 'KYC lowered');

# The other way: raised since the processes last saw the account.
$t = trader('stand-up', TRY => '100000');
psql_owner("UPDATE users SET kyc_level = 1 WHERE public_id = '$t->{userId}'");
api(GET => '/api/v1/orders', bearer($t->{token})) for 1 .. 40;
psql_owner("UPDATE users SET kyc_level = 2 WHERE public_id = '$t->{userId}'");
$r = place($t->{token}, \%bid);
is($r->{status}, 201, 'KYC raised: the order is placed at once') or diag($r->{body});
cancel_open($t->{token});

# A stored answer is not replayed to a token that no longer stands.
$t = seen_trader('stand-idem');
my $key = "stand-idem-$$";
$r = place($t->{token}, \%bid, { 'X-Idempotency-Key' => $key });
is($r->{status}, 201, 'an order with an idempotency key') or diag($r->{body});
cancel_open($t->{token});
is(api(POST => '/api/v1/auth/logout', bearer($t->{token}))->{status}, 200, 'logout');
error_ok(place($t->{token}, \%bid, { 'X-Idempotency-Key' => $key }), 401, 'AUTH_003',
    'the same key after logout');

# An OCO list goes through the inbox alone: the same check.
$t = seen_trader('stand-oco');
is(api(POST => '/api/v1/auth/logout', bearer($t->{token}))->{status}, 200, 'logout');
my $before = stored($t);
error_ok(place($t->{token}, { symbol => 'ETHTRY', side => 'SELL', type => 'OCO',
    quantity => '0.01000000', price => price_at($P, 5), stopPrice => price_at($P, -5),
    stopLimitPrice => price_at($P, -6) }), 401, 'AUTH_003', 'an OCO list after logout');
is(stored($t), $before, 'OCO after logout: nothing stored');

# The batch notes the session's last sight, as any request does.
$t = seen_trader('stand-seen');
my $sid = claims($t->{token})->{sid};
psql_owner("UPDATE sessions SET last_seen_at = now() - interval '1 hour', ip = NULL"
    . " WHERE family = '$sid'");
$r = place($t->{token}, \%bid);
is($r->{status}, 201, 'an order') or diag($r->{body});
cancel_open($t->{token});
is(psql("SELECT last_seen_at > now() - interval '1 minute' AND ip IS NOT NULL"
    . " FROM sessions WHERE family = '$sid'"), 't', "the session's last sight and address noted");

invariant_ok('after the refused orders');
done_testing();
