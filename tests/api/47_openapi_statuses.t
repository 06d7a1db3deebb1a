# tests/api/47_openapi_statuses.t — every status the server answers for an operation is documented for it (good and bad requests across every operation, 405, 411, 413, 414, 415 and 431 included); README's endpoint table is the server's routes
use strict;
use warnings;
use Test::More;
use JSON::PP;
use Hzm;

mc_flush();

my $doc = decode_json(api(GET => '/api/docs/openapi.json')->{body});
my %fill = (symbol => 'BTCTRY', asset => 'BTC', orderId => 'ord_aaaaaaaaaaaaaaaaaaaa',
    kycId => 'kyc_aaaaaaaaaaaaaaaaaaaa', userId => 'usr_aaaaaaaaaaaaaaaaaaaa',
    keyId => 'key_aaaaaaaaaaaaaaaaaaaa', withdrawalId => 'wdr_aaaaaaaaaaaaaaaaaaaa',
    alertId => 'alt_aaaaaaaaaaaaaaaaaaaa', botId => 'bot_aaaaaaaaaaaaaaaaaaaa',
    transferId => 'btr_aaaaaaaaaaaaaaaaaaaa', entryId => 'blk_aaaaaaaaaaaaaaaaaaaa',
    sessionId => '00000000-0000-4000-8000-000000000000', network => 'BTC',
    address => 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080');
my $user = new_user('oas');
my $A = admin_login();
my %auth = (none => {}, user => bearer($user->{access}), staff => bearer($A), admin => bearer($A));

my (@ops, %documented, @undocumented, %seen);
for my $path (sort keys %{ $doc->{paths} }) {
	next unless $path =~ m{^/api/v1/};
	for my $m (sort keys %{ $doc->{paths}{$path} }) {
		my $o = $doc->{paths}{$path}{$m};
		next unless ref $o eq 'HASH' && $o->{responses};
		(my $url = $path) =~ s/\{(\w+)\}/$fill{$1} \/\/ 'x'/ge;
		push @ops, { method => uc $m, path => $path, url => $url, op => $o,
		    methods => [ map { uc } grep { ref $doc->{paths}{$path}{$_} eq 'HASH' } keys %{ $doc->{paths}{$path} } ] };
		$documented{"\U$m\E $path"} = { map { $_ => 1 } keys %{ $o->{responses} } };
	}
}
ok(@ops > 60, 'operations: ' . scalar @ops);

sub seen {
	my ($op, $r, $what) = @_;
	my $k = "$op->{method} $op->{path}";
	$seen{$r->{status}}++;
	push @undocumented, "$k: $r->{status} ($what)" unless $documented{$k}{$r->{status}};
}

my $long = 'q=' . ('a' x 5000);
my $bigh = 'x' x 9000;
for my $op (@ops) {
	my $h = $auth{ $op->{op}{'x-hzm-auth'} } // {};
	my $has_body = $op->{method} ne 'GET' && $op->{method} ne 'DELETE';
	# as it is meant: authenticated, an empty object for a body
	seen($op, api($op->{method}, $op->{url}, $h, $has_body ? {} : undef), 'authenticated');
	# no credentials
	seen($op, api($op->{method}, $op->{url}, {}, $has_body ? {} : undef), 'anonymous');
	# a method the path does not have
	my ($other) = grep { my $x = $_; !grep { $_ eq $x } @{ $op->{methods} } } qw(PATCH PUT DELETE POST GET);
	seen($op, api($other, $op->{url}, $h, $other =~ /^(POST|PUT|PATCH)$/ ? {} : undef), "$other: another method")
	    if $other;
	# a query string past 4096 bytes
	seen($op, api($op->{method}, "$op->{url}?$long", $h, $has_body ? {} : undef), 'URI too long');
	# request headers past 8 KiB
	seen($op, api($op->{method}, $op->{url}, { %$h, 'X-Padding' => $bigh }, $has_body ? {} : undef),
	    'headers too large');
	next unless $has_body;
	seen($op, api($op->{method}, $op->{url}, { %$h, 'Content-Type' => 'text/plain' }, '{}'), 'not JSON');
	seen($op, api($op->{method}, $op->{url}, $h, '{"a":"' . ('x' x (1024 * 1024 + 16)) . '"}'), 'body too large');
	seen($op, api($op->{method}, $op->{url}, $h, '{"a":'), 'malformed JSON');
	seen($op, api($op->{method}, $op->{url}, $h, { unknownField => 1 }), 'unknown field');
	(my $bare = $op->{url}) =~ s/\?.*//;
	my $raw = raw_request("$op->{method} $bare HTTP/1.1\r\nHost: 127.0.0.1\r\n"
	    . "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
	    . "2\r\n{}\r\n0\r\n\r\n");
	seen($op, $raw, 'chunked, no Content-Length');
}
for my $st (405, 413, 414, 415) {
	ok($seen{$st}, "status $st was observed");
}
ok($seen{431} || $seen{400}, 'large headers were refused (431, or 400 under Apache)');
is(scalar @undocumented, 0, 'every observed status is documented for its operation')
    or diag(join "\n", @undocumented[0 .. ($#undocumented < 60 ? $#undocumented : 60)]);

# ---- README's endpoint table: each method with each path of its row is a
# route of handlers/*.c, and every route is in the table.
my $root = $ENV{HZM_ROOT} // '.';
my %routes;
for my $f (glob "$root/handlers/*.c") {
	open my $fh, '<', $f or die;
	local $/;
	my $src = <$fh>;
	$routes{"$1 $2"} = 1 while $src =~ /\{\s*"(GET|POST|PUT|PATCH|DELETE)"\s*,\s*"(\/api\/[^"]*)"/g;
}
open my $rfh, '<', "$root/README.md" or die;
my $readme = do { local $/; <$rfh> };
my ($table) = $readme =~ /^(\| method \| path \| auth \|.*?)\n\n/ms;
ok($table, "README's endpoint table");
my (%claimed, @absent);
for my $row (split /\n/, $table // '') {
	my @c = map { s/^\s+|\s+$//gr } split /(?<!\\)\|/, $row;
	shift @c;
	next unless @c >= 2 && $c[0] =~ /^[A-Z, ]+$/ && $c[0] ne 'method';
	for my $m (split /,\s*/, $c[0]) {
		for my $p ($c[1] =~ /`([^`]*)`/g) {
			$p =~ s/\?.*//;
			next if $p =~ /^\{/;
			$p = "/api/v1$p" unless $p =~ m{^/api/};
			$claimed{"$m $p"} = 1;
			push @absent, "$m $p" unless $routes{"$m $p"};
		}
	}
}
is_deeply(\@absent, [], 'every method and path README names is a route');
is_deeply([ grep { !$claimed{$_} } sort keys %routes ], [], 'every route is in README');

done_testing();
