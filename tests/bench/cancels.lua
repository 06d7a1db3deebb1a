-- tests/bench/cancels.lua — wrk: place a resting buy, cancel it, in turn
--   BENCH_TOKENS    file of access tokens, one a line (one trader each)
-- Run it with one connection per thread (-tN -cN): the order to cancel
-- is the thread's, and so is its trader.
local tokens = {}
for line in io.lines(os.getenv("BENCH_TOKENS")) do
	tokens[#tokens + 1] = line
end

local threads = 0
function setup(thread)
	thread:set("me", threads)
	threads = threads + 1
end

local tok, pending
function init(args)
	tok = tokens[(me % #tokens) + 1]
end

-- Below the market (1,850,000.00 in the bench's book), within its band.
local body = '{"symbol":"BTCTRY","side":"BUY","type":"LIMIT",' ..
    '"price":"1760000.00","quantity":"0.00010000"}'

function request()
	if pending then
		local id = pending
		pending = nil
		return wrk.format("DELETE", "/api/v1/orders/" .. id,
		    { ["Authorization"] = "Bearer " .. tok })
	end
	return wrk.format("POST", "/api/v1/orders", {
		["Authorization"] = "Bearer " .. tok,
		["Content-Type"] = "application/json",
	}, body)
end

function response(status, headers, body)
	if status == 201 then
		pending = body:match('"orderId"%s*:%s*"(ord_[a-z2-7]+)"')
	end
end
