-- tests/bench/signed.lua — wrk: each request a different pre-signed GET
-- (a signed request cannot be replayed, so no line is sent twice)
local counter = 0
function setup(thread)
	thread:set("offset", counter)
	counter = counter + 1
end

local lines, i = {}, 0
local key = os.getenv("BENCH_API_KEY")
for line in io.lines(os.getenv("BENCH_SIGNED")) do
	lines[#lines + 1] = line
end

request = function()
	-- two threads take the odd and the even lines
	local k = (i * 2 + offset) % #lines + 1
	i = i + 1
	local ts, sig, rid = lines[k]:match("(%S+) (%S+) (%S+)")
	return wrk.format("GET", "/api/v1/users/profile", {
		["X-API-Key"] = key, ["X-Timestamp"] = ts,
		["X-Signature"] = sig, ["X-Request-ID"] = rid })
end
