# tests/bench/http_auth.sh — sourced by tests/bench/run inside a running
# stack: login/s, authenticated GET /users/profile (JWT) and signed GET.
[ -x "$HZM_VAR/bin/users.fcgi" ] || return 0
signed=$HZM_VAR/signed.txt
read -r api_key _ token < <(perl "$ROOT/tests/bench/auth_setup.pl" "$signed" 100000)
read -r l_rps l_p99 l_bad _ < <(wrk_rps "$base/api/v1/auth/login" -s "$ROOT/tests/bench/login.lua")
read -r j_rps j_p99 j_bad _ < <(wrk_rps "$base/api/v1/users/profile" -H "Authorization: Bearer $token")
read -r g_rps g_p99 g_bad _ < <(BENCH_API_KEY=$api_key BENCH_SIGNED=$signed \
    wrk_rps "$base/api/v1/users/profile" -s "$ROOT/tests/bench/signed.lua")
printf '%-40s %8s req/s  p99 %-8s non-2xx %s\n' \
    "POST /api/v1/auth/login (argon2id)" "$l_rps" "$l_p99" "$l_bad" \
    "GET /api/v1/users/profile (JWT)" "$j_rps" "$j_p99" "$j_bad" \
    "GET /api/v1/users/profile (signed key)" "$g_rps" "$g_p99" "$g_bad"
