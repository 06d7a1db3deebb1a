# tests/bench/http_orders.sh — sourced by tests/bench/run inside a running
# stack: orders/s through HTTP with durable commits, and the latency of
# market orders at about 1,000 orders/s.
[ -x "$HZM_VAR/bin/orders.fcgi" ] && [ -x "$HZM_VAR/bin/matcher" ] || return 0
o_tokens=$HZM_VAR/bench-tokens.txt
o_psql() { psql -X -At -q -U hzm -d hzm -h "$HZM_VAR/run/pg" -c "$1"; }
perl "$ROOT/tests/bench/orders_setup.pl" "$o_tokens" "${BENCH_TRADERS:-32}" >/dev/null ||
    { echo "order bench: setup failed"; return 0; }
# Warm up, then give the planner statistics (as the tables' owner, the
# one role that may), as a database in service has:
# plans made while the tables are new scan them (the first autoanalyze,
# within a minute, would fix that too).
BENCH_TOKENS=$o_tokens BENCH_KIND=limit wrk -t2 -c"$CONN" -d3s \
    -s "$ROOT/tests/bench/orders.lua" "$base/api/v1/orders" >/dev/null 2>&1
psql -X -q -U hzm_owner -d hzm -h "$HZM_VAR/run/pg" -c "ANALYZE" >/dev/null 2>&1
# CPU time (clock ticks) the stack's own processes have used, by part:
# its programs (their paths name $HZM_VAR) and PostgreSQL's processes,
# the matcher's backend (its session is hzm-matcher, core/db.c) apart.
# Per order, it holds still on a machine others share, where req/s do not.
o_ticks() {
	local pm mb p comm t g
	pm=$(head -1 "$HZM_VAR/pg/postmaster.pid" 2>/dev/null)
	mb=$(o_psql "SELECT pid FROM pg_stat_activity
	    WHERE application_name = 'hzm-matcher' LIMIT 1")
	for p in $(pgrep -f "$HZM_VAR") ${pm:+$pm $(pgrep -P "$pm")}; do
		read -r comm t < <(awk '{ c = $2; gsub(/[()]/, "", c);
		    print c, $14 + $15 }' "/proc/$p/stat" 2>/dev/null) || continue
		case $comm in
		orders.fcgi) g=handlers ;;
		lighttpd|apache2|httpd) g=web ;;
		matcher) g=matcher ;;
		memcached) g=memcached ;;
		postgres) if [ "$p" = "$mb" ]; then g=matcher_db; else g=postgres; fi ;;
		*) g=other ;;
		esac
		echo "$g $t"
	done | awk '{ s[$1] += $2 } END { for (g in s) print g, s[g] }'
}
# o_durable_run LABEL: wrk's line for POST /orders (limit orders that
# cross), then sets o_n, o_t0 and o_t1 (the orders committed meanwhile)
# and o_rate, those orders per second.
o_durable_run() {
	local rps p99 bad before
	before=$(o_psql "SELECT count(*) FROM orders")
	o_t0=$(date +%s.%N)
	read -r rps p99 bad _ < <(BENCH_TOKENS=$o_tokens BENCH_KIND=limit \
	    wrk_rps "$base/api/v1/orders" -s "$ROOT/tests/bench/orders.lua")
	o_t1=$(date +%s.%N)
	o_n=$(( $(o_psql "SELECT count(*) FROM orders") - before ))
	o_rate=$(awk -v n="$o_n" -v a="$o_t0" -v b="$o_t1" \
	    'BEGIN { printf "%.0f", n / (b - a) }')
	printf '%-40s %8s req/s  p99 %-8s non-2xx %s\n' "$1" "$rps" "$p99" "$bad"
}
o_c0=$(o_ticks)
# BENCH_PERF=FILE: the whole machine's profile of the run below (perf).
o_perf=
if [ -n "${BENCH_PERF:-}" ]; then
	perf record -a -g -o "$BENCH_PERF" -- sleep "$DUR" >/dev/null 2>&1 &
	o_perf=$!
fi
o_durable_run "POST /api/v1/orders (limit, crossing)"
o_c1=$(o_ticks)
[ -n "$o_perf" ] && wait "$o_perf"
o_trades=$(o_psql "SELECT count(*) FROM trades")
o_durable=$o_rate
awk -v n="$o_n" -v a="$o_t0" -v b="$o_t1" -v r="$o_rate" -v t="$o_trades" 'BEGIN {
	printf "  %d orders committed in %.1f s: %d orders/s durable; %d trades so far\n",
	    n, b - a, r, t }'
# Where it went, in ms per order: the part the serial path (the matcher
# and its one backend) takes bounds the orders/s the rest can bring.
# The backend's share of the run's wall time is how near that bound is.
awk -v n="$o_n" -v hz="$(getconf CLK_TCK)" \
    -v a="$o_t0" -v b="$o_t1" '
	FNR == NR { before[$1] = $2; next }
	{ d[$1] = $2 - before[$1]; t += d[$1] }
	END {
		if (n <= 0)
			exit
		printf "  CPU of the stack: %.3f ms per order:", t * 1000 / hz / n
		split("handlers web matcher matcher_db postgres memcached other", g)
		for (i = 1; i in g; i++)
			printf " %s %.3f", g[i], d[g[i]] * 1000 / hz / n
		printf "; the matcher'"'"'s backend busy %.0f%% of the run\n",
		    d["matcher_db"] * 100 / hz / (b - a)
	}' <(echo "$o_c0") <(echo "$o_c1")
# o_latency LABEL UNIT PER: wrk's --latency output (stdin) as one line:
# its requests/s divided by PER (requests per UNIT), p50, p99, non-2xx.
o_latency() {
	awk -v l="$1" -v u="$2" -v per="$3" '/^Requests\/sec:/ { r = $2 }
	    $1 == "50%" { p50 = $2 } $1 == "99%" { p99 = $2 }
	    /Non-2xx/ { bad = $NF }
	    END { printf "%-40s %8d %-6s p50 %-8s p99 %-8s non-2xx %d\n",
		l, r / per, u, p50, p99, bad }'
}
# o_paced_run LABEL: market orders paced towards 1,000/s, 40 connections
# each pausing 27 ms between answer and next order (wrk has no open-loop
# rate; the achieved rate is printed); sets o_mp99, their p99.
o_paced_run() {
	local out
	out=$(BENCH_TOKENS=$o_tokens BENCH_KIND=market BENCH_DELAY_MS=${BENCH_PACE_MS:-27} \
	    wrk -t2 -c"${BENCH_PACE_CONNECTIONS:-40}" -d"${DUR}s" --latency \
	    -s "$ROOT/tests/bench/orders.lua" "$base/api/v1/orders" 2>&1)
	o_latency "$1" "req/s" 1 <<<"$out"
	o_mp99=$(awk '$1 == "99%" { print $2 }' <<<"$out")
}
# o_cancel_run LABEL: 4 clients, each placing a resting buy and cancelling
# it in turn: pairs/s, and the p50 and p99 of both requests.
o_cancel_run() {
	BENCH_TOKENS=$o_tokens wrk -t4 -c4 -d"${DUR}s" --latency \
	    -s "$ROOT/tests/bench/cancels.lua" "$base" 2>&1 |
	    o_latency "$1" "pairs/s" 2
}
# o_ratios LABEL DURABLE MARKET_P99: the two figures the order path is
# judged by, against this run's own baselines (tests/bench/run): durable
# orders/s over static files/s, and the p99 of paced market orders over
# the p99 of GET /public/time.
o_ratios() {
	awk -v k="$1" -v o="${2:-0}" -v mp="$3" -v s="${s_rps:-0}" \
	    -v tp="${t_p99:-?}" '
	function ms(v) {
		if (v ~ /us$/) return v / 1000
		if (v ~ /ms$/) return v + 0
		if (v ~ /s$/) return v * 1000
		return 0
	}
	BEGIN {
		r = s > 0 ? o / s : 0
		l = ms(tp) > 0 ? ms(mp) / ms(tp) : 0
		# Only the main path has targets.
		printf "%sratio durable orders/static %.3f%s", k, r,
		    k == "" ? " (target >= 0.14)" : ""
		printf "   market p99/time p99 %.2f%s\n", l,
		    k == "" ? " (target <= 2)" : ""
	}'
}
# o_pace: the matcher (the child of its supervisor, as http_ws.sh finds
# the streamer) logs its pace now (SIGUSR1; matcher/main.c), so that its
# next line covers what follows.
o_pace() {
	local p
	p=$(pgrep -P "$(head -n1 "$HZM_VAR/run/matcher.pid" 2>/dev/null)" -x matcher | head -n1)
	[ -n "$p" ] && kill -USR1 "$p"
	sleep 0.5
}
# o_where FROM: where the paced market orders' time went, from the log
# lines after line FROM: each request's time in its handler (durationMs,
# from its FastCGI request to its answer) and the matcher's own figure
# for its socket requests (from their line read to their answer). The
# client's less the handler's is the web server's and the client's
# share; the handler's less the matcher's, the handler's own work and
# the wait of its line behind the batch in hand.
o_where() {
	local log=$HZM_VAR/log/hzm.log new h m
	[ -f "$log" ] || return 0
	o_pace
	new=$(tail -n +"$(($1 + 1))" "$log")
	h=$(grep '"program":"orders"' <<<"$new" |
	    grep -F '"method":"POST","path":"/api/v1/orders",' |
	    sed -n 's/.*"durationMs":\([0-9.]*\).*/\1/p' | sort -n | awk '
	    { d[NR] = $1 }
	    END { if (NR) printf "in the handler p50 %.2fms p99 %.2fms",
		d[int(NR / 2) + 1], d[int(NR * 0.99) + 1] }')
	m=$(grep '"program":"matcher"' <<<"$new" | sed -n \
	    's/.*answered in p50 \([0-9.]*\) ms, p99 \([0-9.]*\) ms.*/p50 \1ms p99 \2ms/p' |
	    tail -1)
	[ -n "$h" ] && echo "  where it went: $h${m:+; in the matcher $m}"
	return 0
}
o_pace
o_from=$(wc -l <"$HZM_VAR/log/hzm.log" 2>/dev/null || echo 0)
o_paced_run "POST /api/v1/orders (market, paced)"
o_where "$o_from"
o_ratios "" "$o_durable" "$o_mp99"
o_cancel_run "POST then DELETE /api/v1/orders/{id}"
# Each order with an X-Idempotency-Key of its own: the key rides the
# socket and the matcher claims it in the order's batch; the handler
# holds the key's lock meanwhile and stores its answer over the claim.
BENCH_IDEM=1 o_durable_run "  with X-Idempotency-Key: limit, crossing"
echo "    $o_n orders committed: $o_rate orders/s durable"
# Beside them, the same two figures through the fallback, the database
# inbox: the way every order went before the matcher's socket, and the
# way orders and cancels go when it cannot be reached (and OCO lists
# always). Each handler stores its order and an inbox
# row in a transaction of its own; the matcher reads the inbox. The
# handlers are hot-upgraded to the configuration without matcher_sockets
# (a key's last line wins), then back.
o_conf=$HZM_VAR/hzm.conf
if cp "$o_conf" "$o_conf.bench" && echo "matcher_sockets =" >>"$o_conf" &&
    "$ROOT/scripts/stack" deploy orders >/dev/null 2>&1; then
	sleep 1
	o_durable_run "  via the inbox: limit, crossing"
	echo "    $o_n orders committed: $o_rate orders/s durable"
	o_paced_run "  via the inbox: market, paced"
	o_ratios "  via the inbox: " "$o_rate" "$o_mp99"
	o_cancel_run "  via the inbox: POST then DELETE"
fi
[ -f "$o_conf.bench" ] && mv -f "$o_conf.bench" "$o_conf" &&
    "$ROOT/scripts/stack" deploy orders >/dev/null 2>&1
o_left=$(o_psql "SELECT count(*) FROM order_inbox")
o_bad=$(o_psql "SELECT count(*) FROM (SELECT asset, sum(available + locked) s FROM balances GROUP BY 1) b FULL JOIN (SELECT asset, sum(delta_available + delta_locked) s FROM ledger GROUP BY 1) l USING (asset) WHERE b.s IS DISTINCT FROM l.s")
echo "  inbox left: $o_left; assets whose balances differ from the ledger: $o_bad"
# The matcher alone: 20,000 crossing limit orders committed at once (locks,
# orders and inbox rows as POST /orders writes them), then the time until
# every one is matched, settled and committed.
o_n=${BENCH_MATCHER_ORDERS:-20000}
o_load() {
	o_psql "BEGIN;
CREATE TEMP TABLE bo AS SELECT i, nextval('order_seq') AS seq, u.id AS user_id,
    'ord_' || translate(substr(md5(random()::text || i), 1, 20), '0189', 'wxyz') AS pid,
    CASE WHEN i % 2 = 0 THEN 'BUY' ELSE 'SELL' END AS side
    FROM generate_series(1, $o_n) i
    JOIN users u ON u.email = 'bench' || (i % 32) || '@example.com';
INSERT INTO orders (public_id, user_id, symbol, side, type, time_in_force, price,
    quantity, fee_asset, lock_asset, locked_amount, lock_remaining, seq)
    SELECT pid, user_id, 'BTCTRY', side, 'LIMIT', 'GTC', 1850000, 0.0001, 'TRY',
    CASE side WHEN 'BUY' THEN 'TRY' ELSE 'BTC' END,
    CASE side WHEN 'BUY' THEN 185.37 ELSE 0.0001 END,
    CASE side WHEN 'BUY' THEN 185.37 ELSE 0.0001 END, seq FROM bo ORDER BY seq;
INSERT INTO ledger (user_id, asset, delta_available, delta_locked, kind, ref)
    SELECT o.user_id, o.lock_asset, -o.locked_amount, o.locked_amount, 'ORDER_LOCK',
    o.public_id FROM orders o JOIN bo ON bo.pid = o.public_id;
INSERT INTO order_inbox (seq, kind, order_id, symbol)
    SELECT o.seq, 'NEW', o.id, 'BTCTRY' FROM orders o JOIN bo ON bo.pid = o.public_id;
COMMIT; NOTIFY hzm_inbox;" >/dev/null
}
o_load
o_t0=$(date +%s.%N)
while [ "$(o_psql "SELECT count(*) FROM order_inbox")" != 0 ]; do sleep 0.02; done
o_t1=$(date +%s.%N)
awk -v n="$o_n" -v a="$o_t0" -v b="$o_t1" 'BEGIN {
	printf "%-40s %8.0f orders/s (%d orders, batches of up to 2000, durable)\n",
	    "matcher alone (inbox to committed)", n / (b - a), n }'
# The same with every trader subscribed to order.filled mail (it is
# opt-in): the matcher then writes an outbox event per filled order in
# the batch, and the notification worker folds them into digests.
if [ "$(o_psql "SELECT to_regclass('notification_preferences') IS NOT NULL")" = t ]; then
	o_psql "INSERT INTO notification_preferences (user_id, notification_type,
	    email_enabled, webhook_enabled) SELECT id, 'order.filled', true, true
	    FROM users WHERE email LIKE 'bench%@example.com'
	    ON CONFLICT DO NOTHING" >/dev/null
	o_ev0=$(o_psql "SELECT count(*) FROM outbox WHERE event_type = 'order.filled'")
	o_load
	o_t0=$(date +%s.%N)
	while [ "$(o_psql "SELECT count(*) FROM order_inbox")" != 0 ]; do sleep 0.02; done
	o_t1=$(date +%s.%N)
	o_ev=$(( $(o_psql "SELECT count(*) FROM outbox WHERE event_type = 'order.filled'") - o_ev0 ))
	awk -v n="$o_n" -v a="$o_t0" -v b="$o_t1" -v ev="$o_ev" 'BEGIN {
		printf "%-40s %8.0f orders/s (%d order.filled events written)\n",
		    "  the same, all subscribed to fills", n / (b - a), ev }'
fi
