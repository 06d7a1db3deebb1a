# tests/bench/stack_notify.sh — sourced by tests/bench/run inside a running
# stack: notifications delivered per second by one cron-notify run,
# BENCH_WEBHOOKS (5,000) signed webhooks to a local receiver over libcurl
# multi, then BENCH_MAILS (1,000) mails to the SMTP sink; every delivery
# must arrive exactly once.
[ -x "$HZM_VAR/bin/cron-notify" ] && [ -n "${HZM_BENCH_HOOK_PORT:-}" ] || return 0
if ! perl "$ROOT/tests/bench/notify_delivery.pl" "${BENCH_WEBHOOKS:-5000}" "${BENCH_MAILS:-1000}"; then
	echo "  notify bench: the deliveries are not the events written"
	bench_rc=1
fi
