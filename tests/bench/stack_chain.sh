# tests/bench/stack_chain.sh — sourced by tests/bench/run inside a running
# stack: deposits credited per second by one run of the chain watcher
# (cron-chain) over BENCH_DEPOSITS (5,000) confirmed transfers.
[ -x "$HZM_VAR/bin/cron-chain" ] && [ -s "$HZM_VAR/bitcoind/bitcoin.conf" ] || return 0
if ! perl "$ROOT/tests/bench/chain_deposits.pl" "${BENCH_DEPOSITS:-5000}"; then
	echo "  chain bench: the deposits credited are not the transfers made"
	bench_rc=1
fi
