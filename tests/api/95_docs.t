# tests/api/95_docs.t — docs.fcgi: the OpenAPI description, checked against the route tables, and the page linking to it
use strict;
use warnings;
use Test::More;
use JSON::PP;
use Hzm;
use HzmConsole;
use HzmTrade;

my $root = $ENV{HZM_ROOT} or BAIL_OUT('HZM_ROOT is not set');
my $doc_path = '/api/docs/openapi.json';

sub slurp {
	my ($f) = @_;
	open my $fh, '<:raw', $f or die "$f: $!";
	local $/;
	return scalar <$fh>;
}

# ---- what the C code declares ---------------------------------------------------

# Every route of every handler: { "METHOD", "/api/...", fn, AUTH_*, SCOPE_*, RL_*[, fields][, .no_idem = 1][, .sunset = "YYYY-MM-DD"] }
my %routes;
for my $f (sort glob "$root/handlers/*.c") {
	my $src = slurp($f);
	while ($src =~ /\{\s*"(GET|POST|PUT|PATCH|DELETE)"\s*,\s*"(\/api\/[^"]*)"\s*,
	    \s*\w+\s*,\s*AUTH_(\w+)\s*,\s*SCOPE_(\w+)\s*,\s*(RL_\w+)\s*(?:,\s*\w+\s*)?
	    (?:,\s*\.no_idem\s*=\s*(\d)\s*)?
	    (?:,\s*\.roles\s*=\s*[\w|\s]+?)?\s*(?:,\s*\.sunset\s*=\s*"([0-9-]+)"\s*)?\}/gx) {
		my ($m, $p, $auth, $scope, $class, $no_idem, $sunset) = ($1, $2, $3, $4, $5, $6, $7);
		my $k = "$m $p";
		# To a caller USER_BATCHED is USER: the same credentials, the
		# same refusals (the account checked in the matcher's batch).
		$auth = 'USER' if $auth eq 'USER_BATCHED';
		ok(!exists $routes{$k}, "route $k declared once");
		$routes{$k} = { method => $m, path => $p, auth => lc $auth,
		    scope => lc $scope, rl => $class, sunset => $sunset, no_idem => $no_idem // 0,
		    file => $f =~ s{.*/}{}r };
	}
}
cmp_ok(scalar keys %routes, '>=', 40, 'route tables parsed (' .
    scalar(keys %routes) . ' routes)');
ok(exists $routes{'GET /api/docs/openapi.json'}, "docs.c's own routes among them");

# Error codes and statuses (core/err.c), rate-limit classes (core/ratelimit.c).
my %status_of;
my $errc = slurp("$root/core/err.c");
while ($errc =~ /\[ERR_\w+\]\s*=\s*\{\s*"([A-Z0-9_]+)"\s*,\s*(\d+)/g) {
	$status_of{$1} = $2 unless $1 eq 'OK';
}
cmp_ok(scalar keys %status_of, '>=', 40, 'error codes parsed from core/err.c');
my %rl;
my $rlc = slurp("$root/core/ratelimit.c");
while ($rlc =~ /\[(RL_\w+)\]\s*=\s*\{\s*"(\w+)"\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*RL_BY_(IP|USER)\s*\}/g) {
	$rl{$1} = { class => $2, limit => $3, window => $4, per => lc $5 };
}
ok(exists $rl{RL_PUBLIC} && exists $rl{RL_NONE}, 'rate-limit classes parsed');

# ---- the document as served ----------------------------------------------------

my $r = api(GET => $doc_path);
is($r->{status}, 200, "GET $doc_path: 200") or diag(substr($r->{body}, 0, 300));
like($r->{headers}{'content-type'} // '', qr{^application/json}, 'JSON content type');
is($r->{headers}{'access-control-allow-origin'}, '*', 'viewers elsewhere may load it');
ok(defined $r->{headers}{'x-ratelimit-limit'}, 'counted as a public request');
is($r->{body}, slurp("$root/docs/openapi.json"), 'the file of the repository, byte for byte');
my $doc = $r->{json};
ok(ref $doc eq 'HASH', 'parses as a JSON object') or BAIL_OUT('no document');
like($doc->{openapi} // '', qr/^3\.0\.\d+$/, 'OpenAPI 3.0.x');
ok(length($doc->{info}{title} // '') && length($doc->{info}{version} // ''),
    'info: title and version');
ok(ref $doc->{paths} eq 'HASH', 'paths');

$r = api(HEAD => $doc_path);
is($r->{status}, 200, 'HEAD: 200');
is($r->{body}, '', 'HEAD: no body');

# ---- every $ref resolves ------------------------------------------------------

sub pointer {
	my ($ref) = @_;
	return undef unless $ref =~ m{^#/(.*)$};
	my $node = $doc;
	for my $part (split m{/}, $1, -1) {
		$part =~ s/~1/\//g;
		$part =~ s/~0/~/g;
		return undef unless ref $node eq 'HASH' && exists $node->{$part};
		$node = $node->{$part};
	}
	return $node;
}

my (@refs, @bad);
sub walk {
	my ($n) = @_;
	if (ref $n eq 'HASH') {
		push @refs, $n->{'$ref'} if exists $n->{'$ref'};
		walk($_) for values %$n;
	} elsif (ref $n eq 'ARRAY') {
		walk($_) for @$n;
	}
}
walk($doc);
@bad = grep { !defined pointer($_) } @refs;
cmp_ok(scalar @refs, '>', 100, 'the document uses $ref (' . scalar(@refs) . ')');
is_deeply(\@bad, [], 'every $ref resolves inside the document');

sub deref {
	my ($n) = @_;
	$n = pointer($n->{'$ref'}) while ref $n eq 'HASH' && exists $n->{'$ref'};
	return $n;
}

# ---- components ---------------------------------------------------------------

my $c = $doc->{components};
for my $s (qw(SuccessEnvelope ErrorEnvelope ListEnvelope PageMeta PageLinks
    ErrorCode Decimal)) {
	ok(exists $c->{schemas}{$s}, "schema $s");
}
my $codes = $c->{schemas}{ErrorCode};
my %enum = map { $_ => 1 } @{ $codes->{enum} // [] };
is_deeply([grep { !$enum{$_} } sort keys %status_of], [],
    'ErrorCode lists every code of core/err.c');
is_deeply([grep { !exists $status_of{$_} && $_ ne 'REQUEST_TIMEOUT' } sort keys %enum],
    [], 'and nothing else (but Apache\'s REQUEST_TIMEOUT)');
is_deeply({ map { $_ => $codes->{'x-hzm-http-status'}{$_} } keys %status_of },
    \%status_of, 'x-hzm-http-status as in core/err.c');
my $env_err = $c->{schemas}{ErrorEnvelope}{properties}{error};
is(deref($env_err)->{properties}{code}{'$ref'}, '#/components/schemas/ErrorCode',
    'the error envelope uses ErrorCode');
is_deeply([sort @{ $c->{schemas}{SuccessEnvelope}{required} }],
    [qw(data requestId success timestamp)], 'success envelope fields');
like($c->{schemas}{Decimal}{pattern} // '', qr/\\\./, 'decimals are strings with a pattern');

my $sec = $c->{securitySchemes};
is($sec->{bearerAuth}{type}, 'http', 'bearerAuth: http');
is($sec->{bearerAuth}{scheme}, 'bearer', 'bearerAuth: bearer');
is($sec->{bearerAuth}{bearerFormat}, 'JWT', 'bearerAuth: JWT');
my %hdr = (apiKey => 'X-API-Key', apiEmail => 'X-Email',
    apiPassword => 'X-API-Password', apiTimestamp => 'X-Timestamp',
    apiSignature => 'X-Signature', apiRequestId => 'X-Request-ID');
for my $k (sort keys %hdr) {
	is($sec->{$k}{in} . ' ' . $sec->{$k}{name}, "header $hdr{$k}", "$k: header $hdr{$k}");
}
like($sec->{apiSignature}{description} // '', qr/HMAC-SHA256/, 'the signature is described');

# ---- routes and paths, both ways --------------------------------------------------

my %documented;
my %is_method = map { $_ => 1 } qw(get put post delete options head patch trace);
for my $p (sort keys %{ $doc->{paths} }) {
	for my $m (sort grep { $is_method{$_} } keys %{ $doc->{paths}{$p} }) {
		$documented{uc($m) . " $p"} = $doc->{paths}{$p}{$m};
	}
}
is_deeply([grep { !$documented{$_} } sort keys %routes], [],
    'every route of handlers/*.c is documented');
# §9.2: a route deprecated in its table is deprecated in the document, and no other.
for my $k (sort grep { $documented{$_} } keys %routes) {
	my $o = $documented{$k};
	if (defined $routes{$k}{sunset}) {
		my ($y, $mo, $d) = split /-/, $routes{$k}{sunset};
		ok($o->{deprecated} && ($o->{'x-sunset'} // '') =~ /^\w{3}, $d \w{3} $y 00:00:00 GMT$/,
		    "$k: deprecated, sunset $routes{$k}{sunset}");
	} else {
		ok(!$o->{deprecated}, "$k: not deprecated") if $o->{deprecated};
	}
}
is_deeply([grep { !$routes{$_} } sort keys %documented], [],
    'every documented operation is a route of handlers/*.c');

my (%opid, @opid_dup);
for my $k (sort keys %routes) {
	my $o = $documented{$k} or next;
	my $rt = $routes{$k};
	my $name = "$k ($rt->{file})";
	push @opid_dup, $o->{operationId} if $opid{ $o->{operationId} // '' }++;

	is($o->{'x-hzm-auth'}, $rt->{auth}, "$name: x-hzm-auth");
	is($o->{'x-hzm-scope'}, $rt->{scope}, "$name: x-hzm-scope");
	my $want = $rl{ $rt->{rl} };
	my $got = $o->{'x-hzm-rate-limit'} // {};
	is($got->{class}, $want->{class}, "$name: x-hzm-rate-limit class");
	if ($want->{limit}) {
		is_deeply([@$got{qw(limit windowSeconds per)}],
		    [@$want{qw(limit window per)}], "$name: limit, window, per");
	}
	like($o->{description} // '', qr/scope/i, "$name: the scope in the description");

	# security, as the route's auth and scope say
	my @alts = map { join '+', sort keys %$_ } @{ $o->{security} // [] };
	my @want_alts = $rt->{auth} eq 'none' ? () :
	    $rt->{auth} ne 'user' ? ('adminBearerAuth') :
	    $rt->{scope} eq 'none' ? ('bearerAuth') :
	    ('bearerAuth', 'apiEmail+apiKey+apiPassword',
	     'apiKey+apiRequestId+apiSignature+apiTimestamp');
	is_deeply([sort @alts], [sort @want_alts], "$name: security");
	ok(defined $o->{security}, "$name: security stated (even when none)");
	for my $alt (@{ $o->{security} // [] }) {
		ok(exists $sec->{$_}, "$name: scheme $_ exists") for keys %$alt;
	}

	# parameters: path ones declared, X-Idempotency-Key on POSTs but those
	# that issue a session (.no_idem)
	my @params = map { deref($_) } @{ $o->{parameters} // [] };
	my %path_params = map { $_->{name} => $_ } grep { $_->{in} eq 'path' } @params;
	my @in_path = $rt->{path} =~ /\{(\w+)\}/g;
	is_deeply([sort keys %path_params], [sort @in_path], "$name: path parameters");
	ok($path_params{$_}{required}, "$name: {$_} required") for @in_path;
	my $idem = grep { $_->{in} eq 'header' && $_->{name} eq 'X-Idempotency-Key' } @params;
	my $want_idem = $rt->{method} eq 'POST' && !$rt->{no_idem} ? 1 : 0;
	is($idem, $want_idem, "$name: X-Idempotency-Key " . ($want_idem ? 'taken' : 'not offered'));

	# responses: a success; error codes with the status core/err.c gives them
	my $resps = $o->{responses} // {};
	ok((grep { /^2\d\d$/ } keys %$resps), "$name: a 2xx response");
	my @wrong;
	for my $st (sort keys %$resps) {
		my $resp = deref($resps->{$st});
		for my $code (@{ $resp->{'x-hzm-error-codes'} // [] }) {
			push @wrong, "$st $code" unless ($status_of{$code} // 0) == $st;
		}
		my $schema = $resp->{content}{'application/json'}{schema};
		if ($st >= 400) {
			ok(@{ $resp->{'x-hzm-error-codes'} // [] }, "$name: $st names its codes");
			is($schema->{allOf}[0]{'$ref'}, '#/components/schemas/ErrorEnvelope',
			    "$name: $st is the error envelope");
		}
	}
	is_deeply(\@wrong, [], "$name: every error code under its own status");
	if ($rt->{auth} ne 'none') {
		ok($resps->{401} && $resps->{403}, "$name: 401 and 403 documented");
	}
	if ($want->{limit}) {
		my $tmr = deref($resps->{429});
		ok($tmr && $tmr->{headers}{'Retry-After'}, "$name: 429 with Retry-After");
		my ($ok) = grep { /^2\d\d$/ } sort keys %$resps;
		ok(deref($resps->{$ok})->{headers}{'X-RateLimit-Remaining'},
		    "$name: X-RateLimit-* on success");
	} else {
		ok(!$resps->{429}, "$name: no 429 where nothing is counted");
	}
	if ($o->{requestBody}) {
		ok($o->{requestBody}{content}{'application/json'}{schema},
		    "$name: a JSON request body");
	}
}
is_deeply(\@opid_dup, [], 'operationIds are unique');

# ---- the document against the running handlers ------------------------------------

# Without credentials every private route answers 401 with a documented code.
for my $k (sort grep { $routes{$_}{auth} ne 'none' } keys %routes) {
	my $rt = $routes{$k};
	(my $path = $rt->{path}) =~ s/\{\w+\}/x1/g;
	$r = api($rt->{method} => $path);
	my $d = deref($documented{$k}{responses}{ $r->{status} } // {});
	is($r->{status}, 401, "$k without credentials: 401");
	ok((grep { $_ eq ($r->{json}{error}{code} // '') } @{ $d->{'x-hzm-error-codes'} // [] }),
	    "$k: its code is documented under 401");
}
# Public GETs answer with a documented success.
for my $k (sort grep { $routes{$_}{auth} eq 'none' && $routes{$_}{method} eq 'GET'
    && $routes{$_}{path} !~ /\{/ } keys %routes) {
	$r = api(GET => $routes{$k}{path});
	ok(exists $documented{$k}{responses}{ $r->{status} } && $r->{status} =~ /^2/,
	    "$k: $r->{status} is a documented success");
}

# ---- the page and the handler's edges ---------------------------------------------

# The pages: HTML under a CSP that runs no inline script and loads nothing
# from elsewhere; every script and stylesheet they name is served.
my %csp_want = (
	'/api/docs'    => { 'script-src' => "'self'", 'style-src' => "'self'",
	    'img-src' => 'data:', 'connect-src' => "'self'" },
	'/api/redoc'   => { 'script-src' => "'self'", 'style-src' => "'self' 'unsafe-inline'",
	    'img-src' => 'data:', 'connect-src' => "'self'", 'worker-src' => 'blob:' },
	'/api/docs/ws' => { 'style-src' => "'self'", 'img-src' => 'data:' },
);
my %asset_type = (js => qr{^text/javascript}, css => qr{^text/css});
for my $p ('/api/docs', '/api/docs/', '/api/redoc', '/api/docs/ws') {
	(my $key = $p) =~ s{/$}{};
	$r = api(GET => $p);
	is($r->{status}, 200, "GET $p: 200");
	like($r->{headers}{'content-type'} // '', qr{^text/html; charset=utf-8}, "$p: HTML");
	like($r->{body}, qr{href="/api/docs/openapi\.json"}, "$p: links to the OpenAPI document");
	like($r->{body}, qr{href="/api/docs/ws"}, "$p: links to the WebSocket page");
	unlike($r->{body}, qr{<script(?![^>]*\bsrc=)[^>]*>}i, "$p: no inline script");
	unlike($r->{body}, qr{\son\w+=}i, "$p: no inline event handler");
	my %csp = map { /^\s*(\S+)\s*(.*?)\s*$/ ? ($1 => $2) : () }
	    split /;/, $r->{headers}{'content-security-policy'} // '';
	is($csp{'default-src'}, "'none'", "$p: CSP default-src 'none'");
	is($csp{'frame-ancestors'}, "'none'", "$p: CSP frame-ancestors 'none'");
	my $want = $csp_want{$key};
	is($csp{$_}, $want->{$_}, "$p: CSP $_ $want->{$_}") for sort keys %$want;
	ok(!exists $csp{'script-src'}, "$p: CSP allows no script") unless $want->{'script-src'};
	is_deeply([sort grep { !/^(?:default-src|frame-ancestors|base-uri|form-action)$/ } keys %csp],
	    [sort keys %$want], "$p: CSP allows nothing else");
	ok(!grep({ /unsafe-eval|\*|https?:/ } values %csp), "$p: nothing unsafe-eval, no wildcard or host");
	my @assets = (($r->{body} =~ m{<script\b[^>]*\bsrc="([^"]+)"}gi),
	    ($r->{body} =~ m{<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"}gi));
	like($r->{body}, qr{<link rel="icon" href="data:,">}, "$p: no favicon to fetch");
	cmp_ok(scalar @assets, '>=', $key eq '/api/docs/ws' ? 1 : 2, "$p: names its assets (@assets)");
	for my $a (@assets) {
		like($a, qr{^/docs/[\w.-]+\.(?:js|css)$}, "$p: $a is served here");
		my $ar = api(GET => $a);
		is($ar->{status}, 200, "$p: GET $a: 200");
		my ($ext) = $a =~ /\.(\w+)$/;
		like($ar->{headers}{'content-type'} // '', $asset_type{$ext}, "$p: $a as $ext");
		cmp_ok(length $ar->{body}, '>', 100, "$p: $a has content");
		unlike($ar->{body}, qr{cdn\.redoc\.ly}, "$p: $a refers to no CDN");
	}
}
$r = api(GET => '/api/docs/nothing.json');
error_ok($r, 404, 'NOT_FOUND', 'an unknown docs path');
$r = api(POST => $doc_path, {}, {});
error_ok($r, 405, 'METHOD_NOT_ALLOWED', "POST $doc_path");
is($r->{headers}{allow}, 'GET', 'Allow: GET');

# Without the installed file the answer is a 404 envelope, not a crash.
my $installed = "$ENV{HZM_VAR}/docs/openapi.json";
ok(-f $installed, 'the stack installed the document');
rename $installed, "$installed.away" or die "rename: $!";
$r = api(GET => $doc_path);
rename "$installed.away", $installed or die "rename back: $!";
error_ok($r, 404, 'NOT_FOUND', 'the document missing');
is(api(GET => $doc_path)->{status}, 200, 'back once it is there again');
my $page_file = "$ENV{HZM_VAR}/docs/ui/redoc.html";
ok(-f $page_file, 'the stack installed the ReDoc page');
rename $page_file, "$page_file.away" or die "rename: $!";
$r = api(GET => '/api/redoc');
rename "$page_file.away", $page_file or die "rename back: $!";
error_ok($r, 404, 'NOT_FOUND', 'the ReDoc page missing');
is(api(GET => '/api/redoc')->{status}, 200, 'the page back once it is there again');
ok(!-e "$ENV{HZM_VAR}/docs/ui/node_modules", 'the npm packages are not copied into the stack');

# ---- the WebSocket API's description --------------------------------------------

$r = api(GET => '/api/docs/asyncapi.json');
is($r->{status}, 200, 'GET /api/docs/asyncapi.json: 200');
like($r->{headers}{'content-type'} // '', qr{^application/json}, 'asyncapi.json: JSON');
is($r->{body}, slurp("$root/docs/asyncapi.json"), 'asyncapi.json: the file of the repository');
my $aa = $r->{json} // {};
like($aa->{asyncapi} // '', qr/^2\.6\./, 'AsyncAPI 2.6');
my $msgs = $aa->{components}{messages} // {};
my %close = map { $_->{code} => 1 } @{ $aa->{info}{'x-close-codes'} // [] };
# The close codes the streamer uses (streamer/streamer.h, main.c) are all described.
my $sh = slurp("$root/streamer/streamer.h");
my @codes = ($sh =~ /#define\s+CLOSE_\w+\s+(\d+)/g);
push @codes, 1009 if slurp("$root/streamer/main.c") =~ /LWS_CLOSE_STATUS_MESSAGE_TOO_LARGE/;
cmp_ok(scalar @codes, '>=', 3, "the streamer's close codes (@codes)");
ok($close{$_}, "close code $_ described") for @codes;
like($aa->{info}{description} // '', qr/\b$_\b/, "close code $_ in the description") for @codes;
# Every channel and method streamer/proto.c knows has its messages.
my $proto = slurp("$root/streamer/proto.c");
my ($chan_src) = $proto =~ /proto_channels\[PC__COUNT\]\s*=\s*\{(.*?)\};/s;
my @chans = ($chan_src // '') =~ /"(\w+)"/g;
cmp_ok(scalar @chans, '>=', 6, "the streamer's channels (@chans)");
my $all = JSON::PP->new->canonical->encode($msgs);
for my $ch (@chans) {
	ok((grep { ($_->{payload}{properties}{channel}{const} // '') eq $ch } values %$msgs),
	    "channel $ch: a message describes it") or diag('no message with channel const ' . $ch);
}
for my $m ('SUBSCRIBE', 'UNSUBSCRIBE', 'PING', 'LIST_SUBSCRIPTIONS') {
	ok($proto =~ /"\Q$m\E"/, "$m is a method of streamer/proto.c");
	ok((grep { ($_->{payload}{properties}{method}{const} // '') eq $m } values %$msgs),
	    "$m: a message describes it");
}
my %ev = map { $_ => 1 } map { $_->{payload}{properties}{event}{const} // () } values %$msgs;
ok($ev{$_}, "answer event $_ described") for qw(subscribed unsubscribed pong subscriptions error);
like($msgs->{orderbookUpdate}{description} // '', qr/lastUpdateId \+ 1/,
    'the order book sync procedure is described');

# What the streamer really sends through the web server, held to the
# document's (closed) message schemas.
SKIP: {
	skip 'ajv is not installed (make deps)', 1
	    unless -d "$root/docs/ui/node_modules/ajv";
	local $ENV{HZM_WS} = base_url() =~ s{^http}{ws}r . '/ws';
	local $ENV{HZM_BASE} = base_url();
	local $ENV{HZM_SYMBOL} = 'ETHTRY';
	# Two traders whose orders meet (as in 97_ws_private.t), below the
	# book's best bid so nothing else fills them.
	my $sa = trader('docswsa', ETH => 10, TRY => 1000000);
	my $sb = trader('docswsb', ETH => 10, TRY => 1000000);
	my $px = market_price('ETHTRY', '100000.00');
	my $bb = api(GET => '/api/v1/markets/ETHTRY/orderbook?depth=1')->{json}{data}{bids}[0];
	$px = price_at($bb->[0], 0.5) if $bb && $bb->[0] >= $px;
	local $ENV{HZM_PRICE} = $px;
	local $ENV{HZM_TOKEN_A} = $sa->{token};
	local $ENV{HZM_TOKEN_B} = $sb->{token};
	open my $node, '-|', 'node', "$root/tests/node/ws_asyncapi.mjs", "$root/docs/asyncapi.json"
	    or die "node: $!";
	my $n = 0;
	while (my $line = <$node>) {
		chomp $line;
		if ($line =~ /^(not )?ok - (.*?)(?: # (.*))?$/) {
			$n++;
			ok(!$1, "/ws: $2") or diag($3 // '');
		} else {
			note($line);
		}
	}
	close $node;
	is($? >> 8, 0, 'the /ws script exits 0');
	cmp_ok($n, '>=', 42, "the /ws script ran through ($n checks)");
}

# ---- the pages in a browser -----------------------------------------------------

SKIP: {
	my $chromium = $ENV{CHROMIUM} // '/usr/bin/chromium';
	skip 'chromium is not installed (make deps)', 1 unless -x $chromium;
	skip 'playwright-core is not installed (make deps)', 1
	    unless -d "$root/tests/node/node_modules/playwright-core";
	local $ENV{CHROMIUM} = $chromium;
	local $ENV{HZM_SHOTS} = "$ENV{HZM_VAR}/screenshots";
	local $ENV{HZM_BASE} = base_url();
	my $n = console_run('docs_pages.mjs', { HZM_SHOTS => $ENV{HZM_SHOTS} });
	cmp_ok($n, '>=', 25, "the browser script ran through ($n checks)");
	note("screenshots: $ENV{HZM_SHOTS}");
	ok(-s "$ENV{HZM_SHOTS}/$_.png", "screenshot $_.png saved") for qw(swagger-ui redoc websocket);
}

done_testing;
