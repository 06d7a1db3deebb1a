/* core/err.c — the table mapping each error code to its HTTP status and message */
#include <stddef.h>

#include "core/err.h"

static const struct err_info errs[ERR__COUNT] = {
	[ERR_OK] = { "OK", 200, "OK", "OK" },
	[ERR_INVALID_REQUEST] = { "INVALID_REQUEST", 400, "Bad Request",
	    "Invalid request parameters" },
	[ERR_UNAUTHORIZED] = { "UNAUTHORIZED", 401, "Unauthorized",
	    "Authentication required" },
	[ERR_FORBIDDEN] = { "FORBIDDEN", 403, "Forbidden",
	    "Insufficient permissions" },
	[ERR_NOT_FOUND] = { "NOT_FOUND", 404, "Not Found",
	    "Resource not found" },
	[ERR_INSUFFICIENT_BALANCE] = { "INSUFFICIENT_BALANCE", 400,
	    "Bad Request", "Insufficient balance for this order" },
	[ERR_ORDER_NOT_FOUND] = { "ORDER_NOT_FOUND", 404, "Not Found",
	    "Order does not exist" },
	[ERR_MARKET_CLOSED] = { "MARKET_CLOSED", 400, "Bad Request",
	    "Market is not active" },
	[ERR_RATE_LIMIT_EXCEEDED] = { "RATE_LIMIT_EXCEEDED", 429,
	    "Too Many Requests", "Too many requests" },
	[ERR_KYC_REQUIRED] = { "KYC_REQUIRED", 403, "Forbidden",
	    "KYC verification needed" },
	[ERR_LIMIT_EXCEEDED] = { "LIMIT_EXCEEDED", 400, "Bad Request",
	    "Transaction limit exceeded" },
	[ERR_INTERNAL] = { "INTERNAL_ERROR", 500, "Internal Server Error",
	    "Internal server error" },
	[ERR_SERVICE_UNAVAILABLE] = { "SERVICE_UNAVAILABLE", 503,
	    "Service Unavailable", "Service temporarily unavailable" },
	[ERR_METHOD_NOT_ALLOWED] = { "METHOD_NOT_ALLOWED", 405,
	    "Method Not Allowed", "Method not allowed for this resource" },
	[ERR_PAYLOAD_TOO_LARGE] = { "PAYLOAD_TOO_LARGE", 413,
	    "Payload Too Large", "Request body too large" },
	[ERR_URI_TOO_LONG] = { "URI_TOO_LONG", 414, "URI Too Long",
	    "Request URI too long" },
	[ERR_HEADER_TOO_LARGE] = { "HEADER_TOO_LARGE", 431,
	    "Request Header Fields Too Large", "Request headers too large" },
	[ERR_UNSUPPORTED_MEDIA_TYPE] = { "UNSUPPORTED_MEDIA_TYPE", 415,
	    "Unsupported Media Type", "Request body must be application/json" },
	[ERR_CONFLICT] = { "CONFLICT", 409, "Conflict",
	    "Request conflicts with the current state" },
	[ERR_UNPROCESSABLE] = { "UNPROCESSABLE_ENTITY", 422,
	    "Unprocessable Content", "Request cannot be processed" },
	[ERR_NOT_ACCEPTABLE] = { "NOT_ACCEPTABLE", 406, "Not Acceptable",
	    "No acceptable representation" },
	[ERR_REQUEST_TIMEOUT] = { "REQUEST_TIMEOUT", 408, "Request Timeout",
	    "Request timeout" },
	[ERR_GONE] = { "GONE", 410, "Gone", "Resource no longer exists" },
	[ERR_LENGTH_REQUIRED] = { "LENGTH_REQUIRED", 411, "Length Required",
	    "Content-Length required" },
	[ERR_PRECONDITION_FAILED] = { "PRECONDITION_FAILED", 412,
	    "Precondition Failed", "Precondition failed" },
	[ERR_RANGE_NOT_SATISFIABLE] = { "RANGE_NOT_SATISFIABLE", 416,
	    "Range Not Satisfiable", "Requested range not satisfiable" },
	[ERR_EXPECTATION_FAILED] = { "EXPECTATION_FAILED", 417,
	    "Expectation Failed", "Only the 100-continue expectation is "
	    "supported" },
	[ERR_MISDIRECTED_REQUEST] = { "MISDIRECTED_REQUEST", 421,
	    "Misdirected Request", "Request sent to the wrong server" },
	[ERR_UPGRADE_REQUIRED] = { "UPGRADE_REQUIRED", 426, "Upgrade Required",
	    "Protocol upgrade required" },
	[ERR_NOT_IMPLEMENTED] = { "NOT_IMPLEMENTED", 501, "Not Implemented",
	    "Method not implemented" },
	[ERR_BAD_GATEWAY] = { "BAD_GATEWAY", 502, "Bad Gateway",
	    "Upstream service failed" },
	[ERR_GATEWAY_TIMEOUT] = { "GATEWAY_TIMEOUT", 504, "Gateway Timeout",
	    "Upstream service timed out" },
	[ERR_HTTP_VERSION] = { "HTTP_VERSION_NOT_SUPPORTED", 505,
	    "HTTP Version Not Supported", "HTTP version not supported" },
	[ERR_AUTH_001] = { "AUTH_001", 401, "Unauthorized",
	    "Invalid credentials" },
	[ERR_AUTH_002] = { "AUTH_002", 401, "Unauthorized", "Token expired" },
	[ERR_AUTH_003] = { "AUTH_003", 401, "Unauthorized", "Invalid token" },
	[ERR_AUTH_004] = { "AUTH_004", 401, "Unauthorized",
	    "Invalid 2FA code" },
	[ERR_KYC_001] = { "KYC_001", 403, "Forbidden", "KYC not completed" },
	[ERR_KYC_002] = { "KYC_002", 403, "Forbidden", "KYC pending review" },
	[ERR_KYC_003] = { "KYC_003", 403, "Forbidden", "KYC rejected" },
	[ERR_KYC_004] = { "KYC_004", 400, "Bad Request",
	    "Invalid document format" },
	[ERR_TRADE_001] = { "TRADE_001", 400, "Bad Request",
	    "Insufficient balance" },
	[ERR_TRADE_002] = { "TRADE_002", 400, "Bad Request",
	    "Order below minimum" },
	[ERR_TRADE_003] = { "TRADE_003", 400, "Bad Request", "Invalid price" },
	[ERR_TRADE_004] = { "TRADE_004", 400, "Bad Request", "Market closed" },
	[ERR_TRADE_005] = { "TRADE_005", 400, "Bad Request",
	    "Invalid symbol" },
	[ERR_TRADE_006] = { "TRADE_006", 400, "Bad Request",
	    "Order not found" },
	[ERR_TRADE_007] = { "TRADE_007", 400, "Bad Request",
	    "Cannot cancel filled order" },
	[ERR_WALLET_001] = { "WALLET_001", 400, "Bad Request",
	    "Invalid address" },
	[ERR_WALLET_002] = { "WALLET_002", 400, "Bad Request",
	    "Withdrawal limit exceeded" },
	[ERR_WALLET_003] = { "WALLET_003", 400, "Bad Request",
	    "Minimum withdrawal not met" },
	[ERR_WALLET_004] = { "WALLET_004", 403, "Forbidden",
	    "Withdrawal requires approval" },
	[ERR_WALLET_005] = { "WALLET_005", 400, "Bad Request",
	    "Insufficient confirmations" },
	[ERR_WALLET_006] = { "WALLET_006", 400, "Bad Request",
	    "Blacklisted address" },
	[ERR_COMPLIANCE_001] = { "COMPLIANCE_001", 403, "Forbidden",
	    "Suspicious activity detected" },
	[ERR_COMPLIANCE_002] = { "COMPLIANCE_002", 403, "Forbidden",
	    "Velocity limit exceeded" },
	[ERR_COMPLIANCE_003] = { "COMPLIANCE_003", 403, "Forbidden",
	    "Account suspended" },
	[ERR_SYSTEM_001] = { "SYSTEM_001", 500, "Internal Server Error",
	    "Database error" },
	[ERR_SYSTEM_002] = { "SYSTEM_002", 503, "Service Unavailable",
	    "Service unavailable" },
	/*
	 * Appendix A gives 500. A node error is the node unreachable, busy,
	 * loading or answering wrongly: nothing the request did, and gone on
	 * a later try (Appendix A's own resolution is "Retry"), which 503
	 * and its Retry-After tell clients.
	 */
	[ERR_SYSTEM_003] = { "SYSTEM_003", 503, "Service Unavailable",
	    "Blockchain node error" },
};

const struct err_info *
err_info(enum err e)
{
	if ((unsigned)e >= ERR__COUNT || errs[e].code == NULL)
		return &errs[ERR_INTERNAL];
	return &errs[e];
}

const char *
err_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	}
	return err_info(err_from_status(status))->reason;
}

/* The generic code for a status the web server or a caller reports. */
enum err
err_from_status(int status)
{
	switch (status) {
	case 400: return ERR_INVALID_REQUEST;
	case 401: return ERR_UNAUTHORIZED;
	case 403: return ERR_FORBIDDEN;
	case 404: return ERR_NOT_FOUND;
	case 405: return ERR_METHOD_NOT_ALLOWED;
	case 406: return ERR_NOT_ACCEPTABLE;
	case 408: return ERR_REQUEST_TIMEOUT;
	case 409: return ERR_CONFLICT;
	case 410: return ERR_GONE;
	case 411: return ERR_LENGTH_REQUIRED;
	case 412: return ERR_PRECONDITION_FAILED;
	case 413: return ERR_PAYLOAD_TOO_LARGE;
	case 414: return ERR_URI_TOO_LONG;
	case 415: return ERR_UNSUPPORTED_MEDIA_TYPE;
	case 416: return ERR_RANGE_NOT_SATISFIABLE;
	case 417: return ERR_EXPECTATION_FAILED;
	case 421: return ERR_MISDIRECTED_REQUEST;
	case 422: return ERR_UNPROCESSABLE;
	case 426: return ERR_UPGRADE_REQUIRED;
	case 429: return ERR_RATE_LIMIT_EXCEEDED;
	case 431: return ERR_HEADER_TOO_LARGE;
	case 501: return ERR_NOT_IMPLEMENTED;
	case 502: return ERR_BAD_GATEWAY;
	case 503: return ERR_SERVICE_UNAVAILABLE;
	case 504: return ERR_GATEWAY_TIMEOUT;
	case 505: return ERR_HTTP_VERSION;
	}
	return ERR_INTERNAL;
}
