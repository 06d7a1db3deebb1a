# tests/bench/http_burst.sh — sourced by tests/bench/run inside a running
# stack: BENCH_BURST (200) orders sent at once from one account that can
# pay for 10, the wall time until the last answer (spec of 71_concurrency.t).
[ -x "$HZM_VAR/bin/orders.fcgi" ] && [ -x "$HZM_VAR/bin/matcher" ] || return 0
read -r u_secs u_ok u_refused u_other < <(perl "$ROOT/tests/bench/burst.pl" \
    "${BENCH_BURST:-200}" 2>/dev/null)
printf '%-40s %8s s     (%s accepted, %s refused, %s other)\n' \
    "burst: ${BENCH_BURST:-200} orders at once ($web)" "${u_secs:-?}" \
    "${u_ok:-?}" "${u_refused:-?}" "${u_other:-?}"
