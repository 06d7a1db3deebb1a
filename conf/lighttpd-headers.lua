-- conf/lighttpd-headers.lua — refuse request header names with '_' (lighttpd, mod_magnet)
--
-- CGI names "X-API_Key" and "X-API-Key" alike (HTTP_X_API_KEY), so a proxy
-- in front that vets one spelling would let the other reach the handlers.
-- No header name hzm reads has an '_', nor does any standard one: such a
-- request goes to errors.fcgi with HZM_REJECT_HEADER (a name no client can
-- send) naming the header, and is answered 400 with the envelope.
local r = lighty.r
if r.req_env["HZM_REJECT_HEADER"] then
	return 0	-- restarted below: already marked
end
for name, _ in pairs(r.req_header) do
	if string.find(name, "_", 1, true) then
		r.req_env["HZM_REJECT_HEADER"] = name
		r.req_attr["request.uri"] = "/api/_refused"
		return lighty.RESTART_REQUEST
	end
end
return 0
