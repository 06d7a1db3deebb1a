/* core/err.h — the one result enum: every error code of the API and its HTTP status */
#ifndef HZM_ERR_H
#define HZM_ERR_H

enum err {
	ERR_OK = 0,
	/* spec §2.4 */
	ERR_INVALID_REQUEST,
	ERR_UNAUTHORIZED,
	ERR_FORBIDDEN,
	ERR_NOT_FOUND,
	ERR_INSUFFICIENT_BALANCE,
	ERR_ORDER_NOT_FOUND,
	ERR_MARKET_CLOSED,
	ERR_RATE_LIMIT_EXCEEDED,
	ERR_KYC_REQUIRED,
	ERR_LIMIT_EXCEEDED,
	ERR_INTERNAL,
	ERR_SERVICE_UNAVAILABLE,
	/* HTTP-level errors the spec leaves implicit */
	ERR_METHOD_NOT_ALLOWED,
	ERR_PAYLOAD_TOO_LARGE,
	ERR_URI_TOO_LONG,
	ERR_HEADER_TOO_LARGE,
	ERR_UNSUPPORTED_MEDIA_TYPE,
	ERR_CONFLICT,
	ERR_UNPROCESSABLE,
	/* Appendix A */
	ERR_AUTH_001, ERR_AUTH_002, ERR_AUTH_003, ERR_AUTH_004,
	ERR_KYC_001, ERR_KYC_002, ERR_KYC_003, ERR_KYC_004,
	ERR_TRADE_001, ERR_TRADE_002, ERR_TRADE_003, ERR_TRADE_004,
	ERR_TRADE_005, ERR_TRADE_006, ERR_TRADE_007,
	ERR_WALLET_001, ERR_WALLET_002, ERR_WALLET_003, ERR_WALLET_004,
	ERR_WALLET_005, ERR_WALLET_006,
	ERR_COMPLIANCE_001, ERR_COMPLIANCE_002, ERR_COMPLIANCE_003,
	ERR_SYSTEM_001, ERR_SYSTEM_002, ERR_SYSTEM_003,
	ERR__COUNT
};

struct err_info {
	const char	*code;		/* the API's "code" string */
	int		 status;	/* HTTP status */
	const char	*reason;	/* HTTP reason phrase */
	const char	*message;	/* default human message */
};

const struct err_info	*err_info(enum err);
const char		*err_reason(int status);
enum err		 err_from_status(int status);

#endif
