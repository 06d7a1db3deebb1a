# docs/openapi/auth.py — registration, e-mail and phone verification, login, tokens, logout, password reset, 2FA
from collections import OrderedDict

from .helpers import FIELDS, V, envelope, obj, ref, s, sref
from .operation import op
from .registry import S

PW = s("10 to 128 characters; not a common password, not one repeated "
       "character, not containing the e-mail address's local part.",
       minLength=10, maxLength=512, format="password")

LOGIN_ERRS = {
    400: [("INVALID_REQUEST", FIELDS)],
    401: [("AUTH_001", "wrong e-mail address or password"),
          ("AUTH_004", "a two-factor code is required (details "
           "`twoFactorRequired: true`), wrong, or already used")],
    403: [("FORBIDDEN", "the e-mail address is not verified yet"),
          ("COMPLIANCE_003", "the account is suspended or blocked")],
    429: [("RATE_LIMIT_EXCEEDED", "too many failed logins for the account "
           "(progressively slowed from the 5th, locked after 100 in an "
           "hour) or the address (50 in 15 minutes)")],
}


def schemas():
    S["RegisterRequest"] = obj(OrderedDict([
        ("email", sref("Email")),
        ("password", PW),
        ("phoneNumber", s("E.164.", pattern="^\\+[1-9][0-9]{6,14}$",
                          minLength=8, maxLength=16, example="+905551234567")),
        ("referralCode", s("Another user's referral code (their profile's "
                           "referralCode), any case; an unknown one is 400.",
                           pattern="^[A-Za-z0-9]{4,16}$", minLength=4,
                           maxLength=16, example="K3J5M2N7PQ")),
    ]), ["email", "password"], closed=True)
    S["Registered"] = obj(OrderedDict([
        ("userId", sref("UserId")),
        ("email", sref("Email")),
        ("status", s(enum=["PENDING_VERIFICATION"])),
        ("verificationRequired", {"type": "array", "items": sref("Verification"),
                                  "description": "EMAIL, and PHONE when a "
                                  "phoneNumber was given (§4.1)."}),
    ]), ["userId", "email", "status", "verificationRequired"],
        desc="The same answer whether or not the address already has an "
             "account (the owner is mailed instead), so registration does not "
             "reveal who has one.")
    S["VerifyEmailRequest"] = obj(OrderedDict([
        ("email", sref("Email")),
        ("code", s("The 6-digit code mailed at registration (15 minutes, 5 "
                   "attempts).", pattern="^[0-9]{6}$")),
    ]), ["email", "code"], closed=True)
    S["EmailVerified"] = obj(OrderedDict([
        ("userId", sref("UserId")),
        ("email", sref("Email")),
        ("status", s("EMAIL_VERIFIED, or ACTIVE when the phone was verified "
                     "first.", enum=["EMAIL_VERIFIED", "ACTIVE"])),
        ("emailVerified", {"type": "boolean", "enum": [True]}),
        ("verificationRequired", {"type": "array", "items": sref("Verification"),
                                  "description": "What is left: PHONE when a "
                                  "number is still to verify."}),
    ]), ["userId", "email", "status", "emailVerified", "verificationRequired"])
    S["VerifyPhoneRequest"] = obj(OrderedDict([
        ("email", sref("Email")),
        ("code", s("The 6-digit code sent by SMS to the account's phone number "
                   "at registration or when the number changed (15 minutes, 5 "
                   "attempts).", pattern="^[0-9]{6}$")),
    ]), ["email", "code"], closed=True)
    S["PhoneVerified"] = obj(OrderedDict([
        ("userId", sref("UserId")),
        ("email", sref("Email")),
        ("phoneNumber", s(example="+905551234567")),
        ("status", sref("UserStatus")),
        ("kycLevel", sref("KycLevel")),
        ("phoneVerified", {"type": "boolean", "enum": [True]}),
        ("verificationRequired", {"type": "array", "items": sref("Verification"),
                                  "description": "EMAIL when the e-mail is "
                                  "still to verify."}),
    ]), ["userId", "email", "phoneNumber", "status", "kycLevel", "phoneVerified",
         "verificationRequired"])
    S["LoginRequest"] = obj(OrderedDict([
        ("email", sref("Email")),
        ("password", s(minLength=1, maxLength=512, format="password")),
        ("twoFactorCode", dict(sref("TwoFactorCode"))),
        ("deviceId", s("Recorded with the session.", minLength=1,
                       maxLength=128)),
    ]), ["email", "password"], closed=True)
    S["SessionUser"] = obj(OrderedDict([
        ("userId", sref("UserId")),
        ("email", sref("Email")),
        ("kycLevel", sref("KycLevel")),
        ("roles", {"type": "array", "items": sref("Role")}),
    ]), ["userId", "email", "kycLevel", "roles"])
    S["TokenPair"] = obj(OrderedDict([
        ("accessToken", s("A JWT for `Authorization: Bearer`.",
                          example="eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...")),
        ("refreshToken", s("Opaque, for POST /auth/refresh; valid 30 days, "
                           "rotated on each use. Absent when the request asked "
                           "for the cookie (X-Refresh-Cookie: 1): it is then in "
                           "the hzm_refresh cookie only.",
                           pattern="^rt_[0-9a-f]{64}$")),
        ("expiresIn", {"type": "integer", "description":
                       "Seconds the access token is valid (900 by default).",
                       "example": 900}),
        ("tokenType", s(enum=["Bearer"])),
        ("user", sref("SessionUser")),
        ("adminSession", {"type": "boolean", "enum": [True], "description":
                          "Present on admin console sessions only."}),
    ]), ["accessToken", "expiresIn", "tokenType", "user"])
    S["RefreshRequest"] = obj(OrderedDict([
        ("refreshToken", s("Required unless X-Refresh-Cookie: 1 is sent with "
                           "the hzm_refresh cookie, or the refresh token is "
                           "sent as `Authorization: Bearer` (§3.1); wins "
                           "over both.",
                           minLength=1, maxLength=128)),
    ]), [], closed=True)
    S["LoggedOut"] = obj({"loggedOut": {"type": "boolean", "enum": [True]}},
                         ["loggedOut"])
    S["EmailRequest"] = obj({"email": sref("Email")}, ["email"], closed=True)
    S["Message"] = obj({"message": s()}, ["message"])
    S["PasswordResetRequest"] = obj(OrderedDict([
        ("email", sref("Email")),
        ("code", s("The 6-digit code mailed by reset-request (15 minutes, 5 "
                   "attempts).", pattern="^[0-9]{6}$")),
        ("newPassword", PW),
    ]), ["email", "code", "newPassword"], closed=True)
    S["PasswordChanged"] = obj(OrderedDict([
        ("passwordChanged", {"type": "boolean", "enum": [True]}),
        ("twoFactorDisabled", {"type": "boolean", "enum": [True],
                               "description": "Present when the reset also "
                               "turned 2FA off and revoked the API keys: an "
                               "account at LEVEL_0 belongs to whoever proves "
                               "the address."}),
    ]), ["passwordChanged"])
    S["TwoFactorSetup"] = obj(OrderedDict([
        ("secret", s("The TOTP secret, base32.", pattern="^[A-Z2-7]+=*$")),
        ("otpauthUri", s("otpauth://totp/... for authenticator apps.",
                         format="uri")),
    ]), ["secret", "otpauthUri"])
    S["TwoFactorCodeRequest"] = obj(OrderedDict([
        ("code", sref("TwoFactorCode")),
        ("twoFactorCode", sref("TwoFactorCode")),
    ]), [], closed=True, desc="The code, as `code` or as `twoFactorCode` "
        "(the name every other guarded body uses); one is required.")
    S["TwoFactorState"] = obj({"twoFactorEnabled": {"type": "boolean"}},
                              ["twoFactorEnabled"])


def paths():
    # auth --------------------------------------------------------------------
    op("POST", V + "/auth/register", "register", "auth", "Register",
       "none", "none", "RL_AUTH_REGISTER",
       description="Creates the account in PENDING_VERIFICATION and mails a "
                   "6-digit code for POST /auth/verify-email; with a "
                   "phoneNumber, a second code goes by SMS for POST "
                   "/auth/verify-phone.",
       body=sref("RegisterRequest"),
       ok=[(201, "Registered (or already registered: the same answer).",
            envelope(sref("Registered")))],
       errors={400: [("INVALID_REQUEST", FIELDS + "; a weak password; a phone "
                      "number not in E.164; a referralCode not 4-16 letters "
                      "and digits or not any user's")],
               403: [("COMPLIANCE_001", "the address, its domain or the phone "
                      "number is on the identity blacklist (§11.1 Compliance "
                      "Check 1); staff get a BLACKLIST_HIT alert")]})
    op("POST", V + "/auth/verify-email", "verifyEmail", "auth",
       "Verify the e-mail address", "none", "none", "RL_AUTH_VERIFY",
       body=sref("VerifyEmailRequest"),
       ok=[(200, "Verified: EMAIL_VERIFIED (or ACTIVE when the phone was "
            "verified first).", envelope(sref("EmailVerified")))],
       errors={400: [("INVALID_REQUEST", FIELDS + "; a code that is wrong, "
                      "expired or used up (field `code`)")]})
    op("POST", V + "/auth/verify-phone", "verifyPhone", "auth",
       "Verify the phone number", "none", "none", "RL_AUTH_VERIFY",
       description="The code sent by SMS. With the e-mail verified too the "
                   "account is ACTIVE at LEVEL_1 (Appendix C). Limits as for "
                   "e-mail codes: 15 minutes, 5 attempts, a new code at most "
                   "once a minute and 5 an hour (PUT /users/profile with the "
                   "number asks for a new one).",
       body=sref("VerifyPhoneRequest"),
       ok=[(200, "Verified.", envelope(sref("PhoneVerified")))],
       errors={400: [("INVALID_REQUEST", FIELDS + "; a code that is wrong, "
                      "expired or used up, or an account with no number to "
                      "verify (field `code`)")]})
    op("POST", V + "/auth/login", "login", "auth", "Log in", "none", "none",
       "RL_AUTH_LOGIN",
       description="Returns a 15-minute access token and a 30-day refresh "
                   "token. twoFactorCode is needed when the account has 2FA. "
                   "With X-Refresh-Cookie: 1 the refresh token is set as the "
                   "httpOnly hzm_refresh cookie instead of the body.",
       params=[ref("parameters", "DeviceId"), ref("parameters", "ClientVersion"),
               ref("parameters", "RefreshCookie")],
       body=sref("LoginRequest"),
       ok=[(200, "Logged in.", envelope(sref("TokenPair")))],
       errors=LOGIN_ERRS, no_idem=True)
    op("POST", V + "/auth/refresh", "refreshToken", "auth",
       "Rotate the refresh token", "none", "none", "RL_AUTH_REFRESH",
       description="The refresh token is single-use: the answer carries a new "
                   "pair. Presenting a used one again ends the whole session "
                   "(reuse detection). Browsers send `{}` with X-Refresh-Cookie: "
                   "1 and the hzm_refresh cookie, and get the new one as a "
                   "cookie too.",
       params=[ref("parameters", "DeviceId"), ref("parameters", "ClientVersion"),
               ref("parameters", "RefreshCookie"),
               ref("parameters", "RefreshCookieValue")],
       body=sref("RefreshRequest"),
       ok=[(200, "A new token pair.", envelope(sref("TokenPair")))],
       errors={400: [("INVALID_REQUEST", FIELDS)],
               401: [("AUTH_003", "refresh token unknown, expired, revoked or "
                      "reused (the session is then revoked), or X-Refresh-Cookie "
                      "without a usable cookie")],
               403: [("COMPLIANCE_003", "the account is suspended or "
                      "blocked")]}, no_idem=True)
    op("POST", V + "/auth/logout", "logout", "auth", "Log out", "user", "none",
       "RL_AUTH_LOGOUT",
       description="Ends this session: its refresh-token family and this "
                   "access token. With X-Refresh-Cookie: 1 the answer also "
                   "clears the hzm_refresh cookie.",
       params=[ref("parameters", "RefreshCookie")],
       ok=[(200, "Logged out.", envelope(sref("LoggedOut")))])
    op("POST", V + "/auth/password/reset-request", "requestPasswordReset",
       "auth", "Ask for a password reset code", "none", "none",
       "RL_AUTH_RESET",
       description="Mails a 6-digit code when the address has an account; "
                   "the answer is the same either way.",
       body=sref("EmailRequest"),
       ok=[(200, "Accepted.", envelope(sref("Message")))],
       errors={400: [("INVALID_REQUEST", FIELDS)]})
    op("POST", V + "/auth/password/reset", "resetPassword", "auth",
       "Set a new password with the mailed code", "none", "none",
       "RL_AUTH_RESET",
       description="Every existing session of the account ends.",
       body=sref("PasswordResetRequest"),
       ok=[(200, "Password changed.", envelope(sref("PasswordChanged")))],
       errors={400: [("INVALID_REQUEST", FIELDS + "; a code that is wrong, "
                      "expired or used up; a weak newPassword")]})
    op("POST", V + "/auth/2fa/setup", "setupTwoFactor", "auth",
       "Start 2FA enrolment", "user", "none", "RL_AUTH_2FA",
       description="Returns a new TOTP secret; it takes effect with POST "
                   "/auth/2fa/enable.",
       ok=[(200, "The secret to enrol.", envelope(sref("TwoFactorSetup")))],
       errors={409: [("CONFLICT", "2FA is already enabled")]})
    op("POST", V + "/auth/2fa/enable", "enableTwoFactor", "auth",
       "Enable 2FA", "user", "none", "RL_AUTH_2FA",
       body=sref("TwoFactorCodeRequest"),
       ok=[(200, "Enabled.", envelope(sref("TwoFactorState")))],
       errors={400: [("INVALID_REQUEST", FIELDS)],
               401: [("AUTH_004", "wrong or reused code")],
               409: [("CONFLICT", "2FA is already enabled, or /auth/2fa/setup "
                      "was not called")]})
    op("POST", V + "/auth/2fa/disable", "disableTwoFactor", "auth",
       "Disable 2FA", "user", "none", "RL_AUTH_2FA",
       body=sref("TwoFactorCodeRequest"),
       ok=[(200, "Disabled.", envelope(sref("TwoFactorState")))],
       errors={400: [("INVALID_REQUEST", FIELDS)],
               401: [("AUTH_004", "wrong or reused code")],
               403: [("FORBIDDEN", "staff accounts must keep 2FA")],
               409: [("CONFLICT", "2FA is not enabled")]})
