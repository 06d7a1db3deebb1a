-- conf/apache2-headers.lua — refuse request header names with '_' (Apache, mod_lua)
--
-- CGI names "X-API_Key" and "X-API-Key" alike (HTTP_X_API_KEY), so a proxy
-- in front that vets one spelling would let the other reach the handlers.
-- Apache drops such headers before CGI, silently: refuse them instead, as
-- under lighttpd.  This marks the request (HZM_REJECT_HEADER, a name no
-- client can send); conf/apache2.conf sends it to errors.fcgi, which
-- answers 400 with the envelope.
require "apache2"

function header_guard(r)
	for name, _ in pairs(r:headers_in_table()) do
		if string.find(name, "_", 1, true) then
			r.subprocess_env["HZM_REJECT_HEADER"] = name
			break
		end
	end
	return apache2.DECLINED
end
