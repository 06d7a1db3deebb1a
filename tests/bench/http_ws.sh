# tests/bench/http_ws.sh — sourced by tests/bench/run inside a running stack:
# the streamer with BENCH_WS_CONNECTIONS (10,000) clients on one market,
# each subscribed to BENCH_WS_CHANNELS (trade,orderbook,ticker,kline: a
# trading page's set): memory per idle connection, fan-out messages/s, and the
# latency from a trade's batch to its receipt while market orders are
# paced towards 1,000/s (crossing limit orders, so that trades happen;
# after http_orders.sh, whose traders it reuses, or with traders of its own
# under BENCH_ONLY=ws); then 100 clients direct and 100 through the web
# server's /ws proxy, for the latency the proxy adds.
[ -x "$HZM_VAR/bin/streamer" ] || return 0
if [ ! -s "$HZM_VAR/bench-tokens.txt" ]; then
	perl "$ROOT/tests/bench/orders_setup.pl" "$HZM_VAR/bench-tokens.txt" \
	    "${BENCH_TRADERS:-32}" >/dev/null || { echo "ws bench: setup failed"; return 0; }
fi
w_chans=${BENCH_WS_CHANNELS:-trade,orderbook,ticker,kline}
w_pid=$(pgrep -P "$(head -n1 "$HZM_VAR/run/streamer.pid")" -x streamer | head -n1)
[ -n "$w_pid" ] || { echo "ws bench: no streamer"; return 0; }
w_port=$(sed -n 's/^streamer_port = //p' "$HZM_VAR/hzm.conf" | tail -n1)
w_out=$HZM_VAR/ws-load.out
# ws_run PORT CLIENTS [memory]: that many clients on PORT (the streamer's,
# or the web server's /ws) while crossing limit orders are paced towards
# 1,000/s.
ws_run() {
	# Each client is a socket here and one in the streamer.
	(ulimit -n 65536 2>/dev/null; exec "$ROOT/build/opt/tests/ws_load" "$1" BTCTRY \
	    "$2" "$DUR" "$w_pid" "$w_chans") > "$w_out" 2>&1 &
	w_bg=$!
	for _ in $(seq 1 600); do
		grep -q READY "$w_out" 2>/dev/null && break
		kill -0 "$w_bg" 2>/dev/null || break
		sleep 0.1
	done
	w_orders=$(BENCH_TOKENS=$HZM_VAR/bench-tokens.txt BENCH_KIND=limit \
	    BENCH_DELAY_MS=${BENCH_PACE_MS:-27} wrk -t2 -c"${BENCH_PACE_CONNECTIONS:-40}" \
	    -d"${DUR}s" -s "$ROOT/tests/bench/orders.lua" "$base/api/v1/orders" 2>&1 |
	    awk '/^Requests\/sec:/ { printf "%d", $2 }')
	wait "$w_bg"
	# Memory per connection means something on the first run only.
	grep -v READY "$w_out" | { [ "${3:-}" = memory ] && cat || grep -v 'per idle'; }
	echo "  while crossing limit orders ran at ${w_orders:-?} orders/s"
}
echo "== streamer: ${BENCH_WS_CONNECTIONS:-10000} clients on BTCTRY ($w_chans), direct to its port"
ws_run "$w_port" "${BENCH_WS_CONNECTIONS:-10000}" memory
echo "== streamer: ${BENCH_WS_FEW:-100} clients, the latency at the same pace"
ws_run "$w_port" "${BENCH_WS_FEW:-100}"
echo "== streamer: ${BENCH_WS_FEW:-100} clients through $HZM_WEB's /ws, at the same pace"
ws_run "$HZM_PORT" "${BENCH_WS_FEW:-100}"
