-- tests/bench/login.lua — wrk: POST /api/v1/auth/login with the sandbox user
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"email":"test.level2b@example.com","password":"Sandbox123!"}'
