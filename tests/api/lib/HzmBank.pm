# tests/api/lib/HzmBank.pm — the stack's stand-in bank from API tests: deposits it reports, payouts and faults, signed callbacks, the payout worker, fiat users
package HzmBank;
use strict;
use warnings;
use Exporter 'import';
use Digest::SHA qw(hmac_sha256_hex);
use HTTP::Tiny;
use JSON::PP;
use Time::HiRes qw(time sleep);
use Hzm;
use HzmTrade;

our @EXPORT = qw(bank_conf bank_alive bank_call bank_deposit bank_fault bank_reset
    bank_payouts bank_payout bank_settle callback_send callback_sign payout_run
    fiat_user kyc_verified totp_on $SANDBOX_IBAN iban_tr);

# The platform's account in the stack (scripts/stack: bank_conf).
our $SANDBOX_IBAN = 'TR330006100519786457841326';

my $json = JSON::PP->new->canonical;
my $http = HTTP::Tiny->new(timeout => 60, keep_alive => 0);

# bank.conf of the stand-in: { port, token, secret, callback_url }
sub bank_conf {
	my $f = "$ENV{HZM_VAR}/bank/bank.conf";
	open my $fh, '<', $f or die "no $f: is the stand-in bank part of the stack?";
	my %c = map { /^(\w+)=(.*)$/ ? ($1 => $2) : () } <$fh>;
	close $fh;
	return \%c;
}

sub bank_alive {
	open my $fh, '<', "$ENV{HZM_VAR}/run/bank.pid" or return 0;
	my $pid = <$fh>;
	close $fh;
	chomp $pid;
	return $pid && kill(0, $pid) ? $pid : 0;
}

# One call to the stand-in: decoded JSON (or undef) and the status.
sub bank_call {
	my ($method, $path, $body) = @_;
	my $c = bank_conf();
	my %opt = (headers => { 'Content-Type' => 'application/json',
	    Authorization => "Bearer $c->{token}" });
	$opt{content} = $json->encode($body) if defined $body;
	my $r = $http->request($method, "http://127.0.0.1:$c->{port}$path", \%opt);
	my $j = eval { decode_json($r->{content}) };
	return wantarray ? ($j, $r->{status}) : $j;
}

# "A customer transferred AMOUNT with DESCRIPTION from NAME": the
# stand-in's callback(s) to hzm -> { transactionId, answers => [...] }
sub bank_deposit {
	my (%a) = @_;
	$a{senderIban} //= 'TR400006200000000000000001';
	$a{description} //= '';
	my ($j, $st) = bank_call(POST => '/test/deposit', \%a);
	die "bank deposit: $st" unless $st == 200;
	return $j;
}

sub bank_fault { my ($j, $st) = bank_call(POST => '/test/fault', {@_}); die "fault: $st" unless $st == 200 }
sub bank_reset { bank_call(POST => '/test/reset', {}) }
sub bank_settle { scalar bank_call(POST => '/test/settle', {@_}) }

# Every payout the stand-in holds (with "posts": the POSTs it saw).
sub bank_payouts { return bank_call(GET => '/test/payouts')->{payouts} }

# The payout under an idempotency key, or undef.
sub bank_payout {
	my ($key) = @_;
	my @p = grep { $_->{idempotencyKey} eq $key } @{ bank_payouts() };
	return $p[0];
}

# X-Bank-Signature for a timestamp and a body.
sub callback_sign {
	my ($ts, $body, $secret) = @_;
	return hmac_sha256_hex("$ts.$body", $secret // bank_conf()->{secret});
}

# A callback sent by the test itself: body (a hash or raw bytes); ts,
# sig, headers and local_address (the connection's source) to forge.
sub callback_send {
	my ($body, %o) = @_;
	my $raw = ref $body ? $json->encode($body) : $body;
	my $ts = exists $o{ts} ? $o{ts} : int(time * 1000);
	my %h = ('Content-Type' => 'application/json', %{ $o{headers} // {} });
	$h{'X-Bank-Timestamp'} = $ts if defined $ts;
	my $sig = exists $o{sig} ? $o{sig} : callback_sign($ts // '', $raw, $o{secret});
	$h{'X-Bank-Signature'} = $sig if defined $sig;
	my $client = HTTP::Tiny->new(timeout => 30, keep_alive => 0,
	    $o{local_address} ? (local_address => $o{local_address}) : ());
	my $r = $client->request(POST => base_url() . '/api/v1/fiat/bank/callback',
	    { headers => \%h, content => $raw });
	my $res = { status => $r->{status}, headers => $r->{headers},
	    body => $r->{content} // '' };
	$res->{json} = eval { decode_json($res->{body}) } if length $res->{body};
	return $res;
}

# One run of cron-payout, with settings of its own: (exit code, output).
sub payout_run {
	my (%env) = @_;
	local @ENV{ map { "HZM_" . uc $_ } keys %env } = values %env;
	my $out = `HZM_CONF=$ENV{HZM_VAR}/hzm.conf $ENV{HZM_VAR}/bin/cron-payout 2>&1`;
	return ($? >> 8, $out);
}

# A TR IBAN for an account number (16 digits or fewer), check digits made.
sub iban_tr {
	my ($bank, $acct) = @_;
	my $bban = sprintf('%05d0%016s', $bank, $acct);
	$bban =~ tr/ /0/;
	my $num = join '', map { /\d/ ? $_ : ord($_) - 55 } split //, $bban . 'TR00';
	my $rem = 0;
	$rem = ($rem * 10 + $_) % 97 for split //, $num;
	return sprintf('TR%02d%s', 98 - $rem, $bban);
}

sub b32id {
	my @c = ('a' .. 'z', 2 .. 7);
	return join '', map { $c[int rand 32] } 1 .. 20;
}

# A verified identity for a user, as an approved KYC application leaves it
# (LEVEL_2, the name on record); names without quote characters.
sub kyc_verified {
	my ($u, $first, $last, $level) = @_;
	$level //= 2;
	my $id = 'kyc_' . b32id();
	psql("INSERT INTO kyc_submissions (public_id, user_id, status, first_name,"
	    . " last_name, date_of_birth, nationality, id_number, address, level,"
	    . " reviewed_at) SELECT '$id', id, 'APPROVED', '$first', '$last',"
	    . " '1990-05-17', 'TR', '\\x00', 'Istanbul', $level, now() FROM users"
	    . " WHERE public_id = '$u->{userId}'");
	psql("UPDATE users SET kyc_level = $level WHERE public_id = '$u->{userId}'");
	return $id;
}

# Two-factor authentication on for a user: its base32 secret.
sub totp_on {
	my ($u) = @_;
	my $r = api(POST => '/api/v1/auth/2fa/setup', bearer($u->{access}));
	my $secret = $r->{json}{data}{secret} or die "2fa setup: $r->{body}";
	$r = with_totp($secret, sub { api(POST => '/api/v1/auth/2fa/enable',
	    bearer($u->{access}), { code => $_[0] }) });
	die "2fa enable: $r->{body}" unless $r->{status} == 200;
	return $secret;
}

# A fresh user with a verified name (and 2FA, and TRY, when asked):
# new_user()'s fields plus token, first, last, secret.
sub fiat_user {
	my ($tag, %o) = @_;
	my $u = new_user($tag);
	$u->{token} = $u->{access};
	$u->{first} = $o{first} // 'Ayse';
	$u->{last} = $o{last} // 'Yilmaz';
	kyc_verified($u, $u->{first}, $u->{last});
	$u->{secret} = totp_on($u) if $o{totp};
	if ($o{try}) {
		psql("INSERT INTO ledger (user_id, asset, delta_available, delta_locked, kind, ref)"
		    . " SELECT id, 'TRY', $o{try}, 0, 'ADJUSTMENT', 'test-funding' FROM users"
		    . " WHERE public_id = '$u->{userId}'");
	}
	return $u;
}

1;
