# docs/openapi/ratelimits.py — the rate-limit classes (core/ratelimit.c): name, limit, window and what is counted, per class

RL = {
    "RL_NONE": ("none", 0, 0, "ip"),
    "RL_PUBLIC": ("public", 100, 60, "ip"),
    "RL_AUTH_REGISTER": ("register", 10, 3600, "ip"),
    "RL_AUTH_VERIFY": ("verify", 10, 3600, "ip"),
    "RL_AUTH_LOGIN": ("login", 20, 3600, "ip"),
    "RL_AUTH_REFRESH": ("refresh", 100, 3600, "ip"),
    "RL_AUTH_LOGOUT": ("logout", 100, 3600, "user"),
    "RL_AUTH_RESET": ("reset", 5, 3600, "ip"),
    "RL_AUTH_2FA": ("2fa", 20, 3600, "user"),
    "RL_PROFILE_GET": ("profile_get", 200, 60, "user"),
    "RL_PROFILE_PUT": ("profile_put", 50, 60, "user"),
    "RL_KYC_SUBMIT": ("kyc_submit", 10, 86400, "user"),
    "RL_KYC_STATUS": ("kyc_status", 200, 60, "user"),
    "RL_TRADE_POST": ("trade_post", 50, 60, "user"),
    "RL_TRADE_GET": ("trade_get", 200, 60, "user"),
    "RL_WALLET": ("wallet", 30, 60, "user"),
    "RL_WALLET_GET": ("wallet_get", 200, 60, "user"),
    "RL_WALLET_ADDRESS": ("wallet_address", 100, 60, "user"),
    "RL_ADMIN_LOGIN": ("admin_login", 20, 3600, "ip"),
    "RL_ADMIN_READ": ("admin_read", 1000, 60, "user"),
    "RL_ADMIN_WRITE": ("admin_write", 500, 60, "user"),
    "RL_ADMIN_REPORT": ("admin_report", 100, 60, "user"),
}

def window_text(sec):
    return {60: "minute", 3600: "hour", 86400: "day"}[sec]
