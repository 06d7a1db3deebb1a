-- tests/bench/orders.lua — wrk: POST /api/v1/orders with bearer tokens from a file
--   BENCH_TOKENS    file of access tokens, one a line (one trader each)
--   BENCH_KIND      "limit": buys and sells at one price that cross each
--                   other; "market": market buys and sells against a deep book
--   BENCH_DELAY_MS  pause between a connection's requests (pacing)
--   BENCH_IDEM      set: each order with an X-Idempotency-Key of its own
local tokens = {}
for line in io.lines(os.getenv("BENCH_TOKENS")) do
	tokens[#tokens + 1] = line
end
local kind = os.getenv("BENCH_KIND") or "limit"
local pause = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
local idem = (os.getenv("BENCH_IDEM") or "") ~= ""

local bodies = {
	limit = {
		'{"symbol":"BTCTRY","side":"BUY","type":"LIMIT","price":"1850000.00","quantity":"0.00010000"}',
		'{"symbol":"BTCTRY","side":"SELL","type":"LIMIT","price":"1850000.00","quantity":"0.00010000"}',
	},
	market = {
		'{"symbol":"BTCTRY","side":"BUY","type":"MARKET","quantity":"0.00010000"}',
		'{"symbol":"BTCTRY","side":"SELL","type":"MARKET","quantity":"0.00010000"}',
	},
}

local threads = 0
function setup(thread)
	thread:set("first", threads * 7919)
	threads = threads + 1
end

local n, run
function init(args)
	n = first
	-- Keys stay unique across runs against the same traders.
	run = string.format("%d-%d", os.time(), math.random(1, 1000000000))
end

function request()
	n = n + 1
	local tok = tokens[(n % #tokens) + 1]
	-- Each trader alternates sides round by round, so balances hold out.
	local body = bodies[kind][(math.floor(n / #tokens) % 2) + 1]
	local hdrs = {
		["Authorization"] = "Bearer " .. tok,
		["Content-Type"] = "application/json",
	}
	if idem then
		hdrs["X-Idempotency-Key"] = "bench-" .. run .. "-" .. n
	end
	return wrk.format("POST", "/api/v1/orders", hdrs, body)
end

if pause > 0 then
	function delay()
		return pause
	end
end
