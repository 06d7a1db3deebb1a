# tests/bench/http_bots_binance.sh — one cron-bots run over live BINANCE bots against the stand-in (orders answered after BENCH_BINANCE_MS): bots/s, price requests per symbol, orders in flight at once (sourced by tests/bench/run inside its stack)
[ -x "$HZM_VAR/bin/cron-bots" ] && [ -f "$HZM_VAR/binance/binance.conf" ] || return 0
bb_psql() { psql -X -At -q -U hzm -d hzm -h "$HZM_VAR/run/pg" -c "$1"; }
bb_port=$(awk -F= '$1 == "port" { print $2 }' "$HZM_VAR/binance/binance.conf")
bb_stub() { curl -s -X "$1" -H 'Content-Type: application/json' ${3:+-d "$3"} "http://127.0.0.1:$bb_port$2"; }
bb_bots=${BENCH_BINANCE_BOTS:-1000}
bb_ms=${BENCH_BINANCE_MS:-50}
bb_owners=$(HZM_VAR=$HZM_VAR perl "$ROOT/tests/bench/bots_binance_setup.pl" "${BENCH_BINANCE_OWNERS:-10}" 2>/dev/null |
    sed "s/.*/'&'/" | paste -sd,)
if [ -z "$bb_owners" ]; then
	echo "cron-bots (BINANCE): no owners with keys, skipped"
	return 0
fi
bb_psql "UPDATE bots SET status = 'STOPPED' WHERE status = 'RUNNING'" >/dev/null
# every bot buys once: 5 Binance symbols, live, spread over the owners
bb_psql "INSERT INTO bots (public_id, user_id, name, symbol, venue, strategy, params, order_size, paper, status)
    SELECT 'bot_' || translate(substr(md5(random()::text || g), 1, 20), '0189', 'wxyz'), o.id, 'bench-bnb',
    (ARRAY['BTCUSDT','ETHUSDT','BNBUSDT','ETHBTC','BTCTRY'])[1 + g % 5], 'BINANCE', 'simple',
    jsonb_build_object('buyBelow', '100000000', 'sellAbove', '200000000'), 0.001, false, 'RUNNING'
    FROM generate_series(1, $bb_bots) g
    JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM users WHERE public_id IN ($bb_owners)) o
    ON o.k = g % ${BENCH_BINANCE_OWNERS:-10}" >/dev/null
bb_stub POST /test/reset '{}' >/dev/null
bb_stub POST /test/latency "{\"path\": \"/api/v3/order\", \"ms\": $bb_ms}" >/dev/null
bb_t0=$(date +%s.%N)
bb_out=$(HZM_CONF=$HZM_VAR/hzm.conf HZM_BOTS_INTERVAL_SECONDS=0 "$HZM_VAR/bin/cron-bots" 2>&1)
bb_t1=$(date +%s.%N)
bb_req=$(bb_stub GET /test/requests)
bb_stub POST /test/reset '{}' >/dev/null
bb_claimed=$(echo "$bb_out" | awk '$1 == "claimed" { print $2 }')
bb_trades=$(echo "$bb_out" | awk '$1 == "trades" { print $2 }')
bb_orders=$(echo "$bb_out" | awk '$1 == "orders" { print $2 }')
read -r bb_prices bb_posts bb_inflight < <(perl -MJSON::PP -e '
	my $j = decode_json(join "", <STDIN>);
	printf "%d %d %d\n", $j->{counts}{"GET /api/v3/ticker/price"} // 0,
	    $j->{counts}{"POST /api/v3/order"} // 0, $j->{maxInFlight}{"POST /api/v3/order"} // 0' <<<"$bb_req")
awk -v n="${bb_claimed:-0}" -v t0="$bb_t0" -v t1="$bb_t1" -v tr="${bb_trades:-0}" -v o="${bb_orders:-0}" \
    -v pr="$bb_prices" -v po="$bb_posts" -v fl="$bb_inflight" -v ms="$bb_ms" 'BEGIN {
	printf "%-40s %8.0f bots/s  (%d bots, %d orders sent, %d filled, %.2f s)\n", "cron-bots, one run (live BINANCE)", n / (t1 - t0), n, o, tr, t1 - t0
	printf "%-40s %8d (5 symbols: %.2f per symbol; at most 1 per symbol per batch)\n", "  ticker/price requests", pr, pr / 5
	printf "%-40s %8d at most at once (%d POSTs; one at a time would take %.1f s at %d ms each)\n", "  orders in flight", fl, po, po * ms / 1000, ms }'
bb_psql "UPDATE bots SET status = 'STOPPED' WHERE name = 'bench-bnb'" >/dev/null
