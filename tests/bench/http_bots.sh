# tests/bench/http_bots.sh — one cron-bots run over 10,000 running paper bots across 20 symbols: bots/s and price lookups (sourced by tests/bench/run inside its stack)
[ -x "$HZM_VAR/bin/cron-bots" ] || return 0
b_psql() { psql -X -At -q -U hzm -d hzm -h "$HZM_VAR/run/pg" -c "$1"; }
b_bots=${BENCH_BOTS:-10000}
# 16 bench markets beside the 4 of the seed: 20 symbols, each with a last price
b_psql "INSERT INTO assets (code, name, kind, precision) SELECT 'BX' || g, 'bench ' || g, 'CRYPTO', 8
    FROM generate_series(1, 16) g ON CONFLICT DO NOTHING" >/dev/null
b_psql "INSERT INTO markets (symbol, base_asset, quote_asset, price_precision, quantity_precision,
    min_quantity, min_notional, maker_fee, taker_fee) SELECT 'BX' || g || 'TRY', 'BX' || g, 'TRY', 2, 8,
    0.0001, 10, 0.001, 0.002 FROM generate_series(1, 16) g ON CONFLICT DO NOTHING" >/dev/null
b_psql "INSERT INTO matcher_state (symbol) SELECT symbol FROM markets ON CONFLICT DO NOTHING" >/dev/null
b_psql "UPDATE matcher_state SET last_price = 1000" >/dev/null
# half the bots buy at 1000 (below 1100), half hold; all simple, paper
b_psql "INSERT INTO bots (public_id, user_id, name, symbol, venue, strategy, params, order_size, paper, status)
    SELECT 'bot_' || translate(substr(md5(random()::text || g), 1, 20), '0189', 'wxyz'),
    (SELECT id FROM users WHERE email = 'test.level2@example.com'), 'bench', s.symbol, 'HZM', 'simple',
    jsonb_build_object('buyBelow', CASE WHEN g % 2 = 0 THEN '1100.00' ELSE '900.00' END, 'sellAbove', '2000.00'),
    0.01, true, 'RUNNING'
    FROM generate_series(1, $b_bots) g
    JOIN (SELECT symbol, row_number() OVER (ORDER BY symbol) - 1 AS k FROM markets) s ON s.k = g % 20" >/dev/null
# only the owner may ANALYZE (sql/roles.sql)
psql -X -q -U hzm_owner -d hzm -h "$HZM_VAR/run/pg" -c "ANALYZE bots" >/dev/null
b_t0=$(date +%s.%N)
b_out=$(HZM_CONF=$HZM_VAR/hzm.conf HZM_BOTS_INTERVAL_SECONDS=0 "$HZM_VAR/bin/cron-bots" 2>&1)
b_t1=$(date +%s.%N)
b_claimed=$(echo "$b_out" | awk '$1 == "claimed" { print $2 }')
b_trades=$(echo "$b_out" | awk '$1 == "trades" { print $2 }')
b_lookups=$(echo "$b_out" | awk '$1 == "price_lookups" { print $2 }')
b_symbols=$(b_psql "SELECT count(DISTINCT symbol) FROM bots WHERE name = 'bench'")
awk -v n="${b_claimed:-0}" -v t0="$b_t0" -v t1="$b_t1" -v tr="${b_trades:-0}" \
    -v l="${b_lookups:-?}" -v s="$b_symbols" 'BEGIN {
	printf "%-40s %8.0f bots/s  (%d bots, %d paper trades, %.2f s)\n", "cron-bots, one run (paper)", n / (t1 - t0), n, tr, t1 - t0
	printf "%-40s %8s (symbols x venues: %d; at most that)\n", "price lookups", l, s }'
b_psql "UPDATE bots SET status = 'STOPPED' WHERE name = 'bench'" >/dev/null
