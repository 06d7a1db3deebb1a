# docs/openapi/notifications.py — notification preferences, balance thresholds, webhook endpoints and the delivery log
import copy
from collections import OrderedDict

from .helpers import (B32ID, FIELDS, TS, TS_STR, V, dec, envelope,
                      list_envelope, nullable, obj, pparam, qparam, ref, s,
                      sref)
from .operation import op
from .registry import P, S

NTF_TYPES = ["bot.trade", "bot.stop_loss", "bot.take_profit",
             "bot.daily_target", "bot.daily_loss", "bot.error",
             "apikey.invalid", "deposit.confirmed", "withdrawal.completed",
             "order.filled", "kyc.approved", "kyc.rejected", "kyc.expired",
             "balance.threshold"]


def add():
    """Its schemas and parameters, then its operations."""
    ntype = s("A notification type (domain/notify_types.c).", enum=NTF_TYPES)
    S["NotificationType"] = ntype
    S["NotificationPreference"] = obj(OrderedDict([
        ("type", sref("NotificationType")),
        ("notificationType", s("The same as type: the seed's "
                               "notification_type.", enum=NTF_TYPES)),
        ("title", s("The type's name in the caller's language.")),
        ("emailEnabled", {"type": "boolean", "description": "Mailed. "
                          "order.filled is off until turned on; always "
                          "false where emailAvailable is false."}),
        ("emailAvailable", {"type": "boolean", "description": "false for "
                            "withdrawal.completed: the withdrawal service "
                            "mails it itself, whatever the preference (as "
                            "the fiat service does a bank deposit's "
                            "deposit.confirmed; a crypto deposit's is "
                            "mailed as the preference says)."}),
        ("webhookEnabled", {"type": "boolean", "description": "Sent to the "
                            "caller's webhook endpoints subscribed to it "
                            "(default true)."}),
        ("webhookUrl", nullable(s("Only the endpoint of this URL gets the "
                                  "type; null: every subscribed one."))),
    ]), ["type", "notificationType", "title", "emailEnabled",
         "emailAvailable", "webhookEnabled", "webhookUrl"])
    S["NotificationPreferences"] = obj(OrderedDict([
        ("language", s("The language of mails and titles.",
                       enum=["tr", "en"])),
        ("securityEmails", s("Security mails (verification codes, password "
                             "resets, lock-outs) cannot be turned off.")),
        ("preferences", {"type": "array",
                         "items": sref("NotificationPreference"),
                         "description": "Every type, in the catalogue's "
                                        "order."}),
    ]), ["language", "securityEmails", "preferences"])
    changed = copy.deepcopy(S["NotificationPreferences"])
    changed["properties"]["webhooksCreated"] = {
        "type": "array", "description": "The endpoints made for URLs new "
        "to the caller, each with its signing secret, shown this once.",
        "items": obj(OrderedDict([
            ("webhookId", s(pattern="^whk_" + B32ID + "$")), ("url", s()),
            ("secret", s(pattern="^whsec_"))]),
            ["webhookId", "url", "secret"])}
    changed["required"] = changed["required"] + ["webhooksCreated"]
    S["NotificationPreferencesChanged"] = changed
    S["NotificationPreferenceUpdate"] = obj(OrderedDict([
        ("type", sref("NotificationType")),
        ("notificationType", s("type by the seed's name "
                               "(notification_type); one of the two.",
                               enum=NTF_TYPES)),
        ("emailEnabled", {"type": "boolean"}),
        ("webhookEnabled", {"type": "boolean"}),
        ("webhookUrl", s("Only the caller's endpoint of this URL gets "
                         "the type (absent: every subscribed one); the "
                         "endpoint takes the type, and a URL new to the "
                         "caller becomes an endpoint (its secret in "
                         "webhooksCreated), as POST /notifications/webhooks "
                         "takes a URL (seed 002 keeps it on the "
                         "preference).", minLength=8, maxLength=2048)),
    ]), ["emailEnabled", "webhookEnabled"], closed=True,
        desc="The seed's snake_case names (notification_type, "
             "email_enabled, webhook_enabled, webhook_url) are taken too.")
    S["NotificationPreferenceUpdate"]["oneOf"] = [
        {"required": ["type"]}, {"required": ["notificationType"]}]
    S["NotificationPreferencesUpdate"] = obj(OrderedDict([
        ("language", s(enum=["tr", "en"])),
        ("preferences", {"type": "array", "maxItems": 32,
                         "items": sref("NotificationPreferenceUpdate"),
                         "description": "The types named change; the "
                                        "others stay as they are."}),
    ]), closed=True, desc="language, preferences or both.")
    S["BalanceThreshold"] = obj(OrderedDict([
        ("asset", s(pattern="^[A-Z0-9]{2,10}$", example="BTC")),
        ("threshold", dec("Notify (balance.threshold) when the available "
                          "balance falls below this.", "0.5")),
    ]), ["asset", "threshold"], closed=True)
    S["BalanceThresholds"] = obj({"thresholds": {
        "type": "array", "maxItems": 20, "items": sref("BalanceThreshold")}},
        ["thresholds"], closed=True,
        desc="The whole list: it replaces the previous one (an empty "
             "array removes them all). Each asset at most once.")
    WHK_ID = s(pattern="^whk_" + B32ID + "$")
    S["WebhookEndpoint"] = obj(OrderedDict([
        ("webhookId", WHK_ID),
        ("url", s(format="uri")),
        ("events", {"type": "array", "items": s(
            "A notification type, or * for all of them.")}),
        ("createdAt", TS),
        ("rotatedAt", nullable(TS_STR)),
        ("previousSecretValidUntil", nullable(s(
            "After a rotation the old secret signs too (a second "
            "signature) until then: 24 hours.", format="date-time"))),
    ]), ["webhookId", "url", "events", "createdAt", "rotatedAt",
         "previousSecretValidUntil"])
    S["WebhookEndpointWithSecret"] = {"allOf": [sref("WebhookEndpoint"), obj(
        OrderedDict([
            ("secret", s("The signing secret (Standard Webhooks: whsec_ "
                         "and base64); shown in this answer only.",
                         pattern="^whsec_[A-Za-z0-9+/=]+$")),
            ("message", s()),
        ]), ["secret", "message"])]}
    S["WebhookCreateRequest"] = obj(OrderedDict([
        ("url", s("https (http only for the operator's "
                  "webhook_allow_hosts); no credentials in it; a host "
                  "that resolves to public addresses only (one that does "
                  "not resolve yet is kept, and checked at delivery).",
                  minLength=8, maxLength=2048,
                  example="https://example.com/hzm/hook")),
        ("events", {"type": "array", "minItems": 1, "maxItems": 32,
                    "uniqueItems": True, "items": s(
                        "A notification type (webhook.test excluded) or *.",
                        minLength=1, maxLength=64),
                    "example": ["bot.trade", "balance.threshold"]}),
    ]), ["url", "events"], closed=True)
    S["WebhookDeleted"] = obj(OrderedDict([
        ("webhookId", WHK_ID), ("deleted", {"type": "boolean"}),
    ]), ["webhookId", "deleted"])
    S["WebhookTestQueued"] = obj(OrderedDict([
        ("eventId", s(pattern="^evt_" + B32ID + "$")),
        ("eventType", s(enum=["webhook.test"])),
        ("webhookId", WHK_ID),
    ]), ["eventId", "eventType", "webhookId"])
    S["WebhookSources"] = obj(OrderedDict([
        ("addresses", {"type": "array", "items": s(),
                       "description": "The addresses (or ranges) hzm's "
                       "webhooks come from (webhook_source_addresses), "
                       "for a receiver's allow-list; empty when the "
                       "operator publishes none."}),
        ("signatureHeader", s(enum=["webhook-signature"])),
        ("scheme", s(example="Standard Webhooks v1 (HMAC-SHA256)")),
    ]), ["addresses", "signatureHeader", "scheme"])
    NTF_STATUS = ["PENDING", "SENDING", "SENT", "FAILED"]
    S["NotificationDelivery"] = obj(OrderedDict([
        ("notificationId", s(pattern="^msg_" + B32ID + "$")),
        ("eventId", s(pattern="^evt_" + B32ID + "$")),
        ("eventType", s(example="bot.trade")),
        ("channel", s(enum=["EMAIL", "WEBHOOK"])),
        ("webhookId", nullable(WHK_ID)),
        ("status", s("PENDING (waiting, or a retry due at nextAttemptAt), "
                     "SENDING (a worker holds it), SENT, FAILED (after "
                     "notify_max_attempts, or refused for good).",
                     enum=NTF_STATUS)),
        ("attempts", {"type": "integer", "minimum": 0}),
        ("lastError", nullable(s())),
        ("lastHttpStatus", nullable({"type": "integer"})),
        ("eventsCount", {"type": "integer", "minimum": 1,
                         "description": "More than 1: an e-mail digest of "
                                        "that many events of the type "
                                        "(a webhook is always one event)."}),
        ("createdAt", TS),
        ("sentAt", nullable(TS_STR)),
        ("nextAttemptAt", nullable(TS_STR)),
    ]), ["notificationId", "eventId", "eventType", "channel", "webhookId",
         "status", "attempts", "lastError", "lastHttpStatus", "eventsCount",
         "createdAt", "sentAt", "nextAttemptAt"],
        desc="One mail or webhook delivery (the delivery log).")
    S["RedeliveryQueued"] = obj(OrderedDict([
        ("notificationId", s(pattern="^msg_" + B32ID + "$")),
        ("status", s(enum=["PENDING"])),
    ]), ["notificationId", "status"])
    P["WebhookId"] = pparam("webhookId", "One of the caller's webhook "
                            "endpoints; any other value is 404.", WHK_ID)
    P["NotificationId"] = pparam("notificationId", "One of the caller's "
                                 "deliveries; any other value is 404.",
                                 s(pattern="^msg_" + B32ID + "$"))
    LIST400 = {400: [("INVALID_REQUEST", "an unknown or repeated query "
                      "parameter; page, pageSize, a filter or sort out of "
                      "range")]}
    N = V + "/notifications"

    op("GET", N, "listNotifications", "notifications",
       "The delivery log", "user", "read", "RL_PROFILE_GET",
       description="The caller's mails and webhook deliveries, newest "
                   "first, with their status, attempts and last error.",
       params=[ref("parameters", "Page"), ref("parameters", "PageSize"),
               qparam("sort", "-createdAt (default, newest first) or "
                      "+createdAt.", s(enum=["-createdAt", "+createdAt",
                                             "createdAt"])),
               qparam("filter_status", "Only this status.",
                      s(enum=NTF_STATUS)),
               qparam("filter_channel", "Only this channel.",
                      s(enum=["EMAIL", "WEBHOOK"])),
               qparam("filter_eventType", "Only this type.",
                      s(enum=NTF_TYPES + ["webhook.test"]))],
       ok=[(200, "A page of deliveries.",
            list_envelope(sref("NotificationDelivery")))],
       errors=LIST400)
    op("POST", N + "/{notificationId}/redeliver", "redeliverNotification",
       "notifications", "Send a delivery again", "user", "none",
       "RL_PROFILE_PUT",
       description="A SENT or FAILED delivery goes back to PENDING with "
                   "its attempts reset; the worker sends it again with the "
                   "same webhook-id (receivers drop what they have seen). "
                   "Takes no body.",
       params=[ref("parameters", "NotificationId")],
       ok=[(202, "Queued.", envelope(sref("RedeliveryQueued")))],
       errors={404: [("NOT_FOUND", "no such delivery of the caller's")],
               409: [("CONFLICT", "the delivery is still PENDING or "
                      "SENDING")]})
    op("GET", N + "/preferences", "getNotificationPreferences",
       "notifications", "What the caller is notified of, and how", "user",
       "read", "RL_PROFILE_GET",
       description="Each type with its mail and webhook switches, and the "
                   "language of mails.",
       ok=[(200, "The preferences.",
            envelope(sref("NotificationPreferences")))])
    op("PUT", N + "/preferences", "putNotificationPreferences",
       "notifications", "Change notification preferences", "user", "none",
       "RL_PROFILE_PUT",
       description="The types named change, the others stay; security "
                   "mails cannot be turned off.",
       body=sref("NotificationPreferencesUpdate"),
       ok=[(200, "The preferences as they are now, and the endpoints "
            "their URLs made.",
            envelope(sref("NotificationPreferencesChanged")))],
       errors={400: [("INVALID_REQUEST", FIELDS + "; neither language nor "
                      "preferences; a language not tr or en; more than 32 "
                      "preferences; an unknown type; a malformed "
                      "webhookUrl, or one not https")],
               403: [("FORBIDDEN", "a webhookUrl of a private, loopback "
                      "or reserved address")],
               409: [("CONFLICT", "a new webhookUrl, and the caller has "
                      "10 endpoints already")]})
    op("GET", N + "/thresholds", "getBalanceThresholds", "notifications",
       "The caller's balance thresholds", "user", "read", "RL_PROFILE_GET",
       ok=[(200, "By asset.", envelope(sref("BalanceThresholds")))])
    op("PUT", N + "/thresholds", "putBalanceThresholds", "notifications",
       "Replace the caller's balance thresholds", "user", "none",
       "RL_PROFILE_PUT",
       description="A balance.threshold notification goes out when an "
                   "asset's available balance falls below its threshold "
                   "(once per crossing).",
       body=sref("BalanceThresholds"),
       ok=[(200, "The thresholds as they are now.",
            envelope(sref("BalanceThresholds")))],
       errors={400: [("INVALID_REQUEST", FIELDS + "; more than 20; an "
                      "unknown asset; a threshold not a positive decimal "
                      "(at most 18 decimals); an asset twice")]})
    op("GET", N + "/webhooks", "listWebhooks", "notifications",
       "The caller's webhook endpoints", "user", "read", "RL_PROFILE_GET",
       description="Oldest first; secrets are never shown again.",
       ok=[(200, "The endpoints.", envelope({
           "type": "array", "items": sref("WebhookEndpoint")}))])
    op("POST", N + "/webhooks", "createWebhook", "notifications",
       "Add a webhook endpoint", "user", "none", "RL_PROFILE_PUT",
       description="Deliveries are signed as the Standard Webhooks "
                   "specification says (`webhook-id`, `webhook-timestamp`, "
                   "`webhook-signature`: v1, HMAC-SHA256) with the secret "
                   "in this answer, shown once. The host is resolved now "
                   "(a name that does not resolve yet is kept) and again "
                   "at each delivery: private, loopback, link-local, "
                   "metadata and multicast addresses are refused. At most "
                   "10 endpoints.",
       body=sref("WebhookCreateRequest"),
       ok=[(201, "Created, with its secret.",
            envelope(sref("WebhookEndpointWithSecret")))],
       errors={400: [("INVALID_REQUEST", FIELDS + "; url not an absolute "
                      "https URL, with credentials, or with an invalid "
                      "port (field `url`); "
                      "events empty, repeated, or not notification types "
                      "or *")],
               403: [("FORBIDDEN", "the host resolves to a private, "
                      "loopback, link-local, metadata or multicast "
                      "address (field `url`)")],
               409: [("CONFLICT", "already 10 endpoints")]})
    op("GET", N + "/webhooks/sources", "getWebhookSources", "notifications",
       "Where webhooks come from and how they are signed", "none", "none",
       "RL_PUBLIC", db=False,
       description="For a receiver's IP allow-list (Appendix H).",
       ok=[(200, "The addresses and the signature scheme.",
            envelope(sref("WebhookSources")))])
    op("DELETE", N + "/webhooks/{webhookId}", "deleteWebhook",
       "notifications", "Remove a webhook endpoint", "user", "none",
       "RL_PROFILE_PUT",
       description="Nothing more is sent to it; its log stays.",
       params=[ref("parameters", "WebhookId")],
       ok=[(200, "Removed.", envelope(sref("WebhookDeleted")))],
       errors={404: [("NOT_FOUND", "no such endpoint of the caller's")]})
    op("POST", N + "/webhooks/{webhookId}/rotate", "rotateWebhookSecret",
       "notifications", "A new signing secret", "user", "none",
       "RL_PROFILE_PUT",
       description="The new secret is shown once; for 24 hours deliveries "
                   "carry a signature with each, so a receiver can switch "
                   "without losing any. Takes no body.",
       params=[ref("parameters", "WebhookId")],
       ok=[(200, "Rotated, with the new secret.",
            envelope(sref("WebhookEndpointWithSecret")))],
       errors={404: [("NOT_FOUND", "no such endpoint of the caller's")]})
    op("POST", N + "/webhooks/{webhookId}/test", "testWebhook",
       "notifications", "Send a test event", "user", "none",
       "RL_PROFILE_PUT",
       description="A `webhook.test` event for this endpoint, sent by the "
                   "worker like any other (see the delivery log). Takes no "
                   "body.",
       params=[ref("parameters", "WebhookId")],
       ok=[(202, "Queued.", envelope(sref("WebhookTestQueued")))],
       errors={404: [("NOT_FOUND", "no such endpoint of the caller's")]})
