-- 019_notifications.sql — notification preferences, webhook endpoints, balance thresholds and the delivery log

-- A public id as util_public_id makes them (prefix + 20 of [a-z2-7]) for
-- rows written by SQL itself (triggers): 20 random bytes from two UUIDs,
-- skipping the bytes that carry their version and variant bits.
CREATE FUNCTION hzm_public_id(prefix text) RETURNS text LANGUAGE sql VOLATILE AS $$
	SELECT prefix || string_agg(substr('abcdefghijklmnopqrstuvwxyz234567',
	    get_byte(b, i) % 32 + 1, 1), '' ORDER BY i)
	FROM (SELECT uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid())
	    AS b) r,
	    unnest(ARRAY[0,1,2,3,4,5,7,9,10,11,12,13,14,15,16,17,18,19,20,21]) AS i
$$;

-- The language mails are written in, per user.
CREATE TABLE notification_settings (
	user_id		bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	language	text NOT NULL DEFAULT 'en' CHECK (language IN ('tr', 'en')),
	updated_at	timestamptz NOT NULL DEFAULT now()
);

-- Seed 002's UserNotificationPreference. A type without a row takes the
-- defaults of domain/notify_prefs.c (mail on, webhooks on). webhook_url,
-- when set, names one of the user's webhook endpoints: only it gets the
-- type; NULL sends to every endpoint subscribed to the type.
CREATE TABLE notification_preferences (
	user_id			bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	notification_type	text NOT NULL
				CHECK (notification_type ~ '^[a-z]+(_[a-z]+)*(\.[a-z]+(_[a-z]+)*)+$'),
	email_enabled		boolean NOT NULL,
	webhook_enabled		boolean NOT NULL,
	webhook_url		text CHECK (length(webhook_url) <= 2048),
	updated_at		timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (user_id, notification_type)
);

-- Appendix H's balance.threshold: an event when an asset's total balance
-- (available + locked) falls below the user's threshold.
CREATE TABLE balance_thresholds (
	user_id		bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	asset		text NOT NULL REFERENCES assets (code),
	threshold	numeric(38, 18) NOT NULL CHECK (threshold > 0),
	PRIMARY KEY (user_id, asset)
);

-- A user's webhook endpoints. Secrets are sealed (core/crypto.c) under
-- the context "webhook:<public_id>"; after a rotation the old one keeps
-- signing until old_secret_until.
CREATE TABLE webhook_endpoints (
	id			bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	public_id		text NOT NULL UNIQUE CHECK (public_id ~ '^whk_[a-z2-7]{20}$'),
	user_id			bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	url			text NOT NULL CHECK (length(url) BETWEEN 8 AND 2048),
	events			text[] NOT NULL CHECK (cardinality(events) BETWEEN 1 AND 32),
	secret_sealed		bytea NOT NULL,
	old_secret_sealed	bytea,
	old_secret_until	timestamptz,
	created_at		timestamptz NOT NULL DEFAULT now(),
	rotated_at		timestamptz,
	deleted_at		timestamptz
);
CREATE INDEX webhook_endpoints_user ON webhook_endpoints (user_id) WHERE deleted_at IS NULL;

-- Which outbox events the delivery worker has turned into deliveries
-- (the outbox itself is never updated).
CREATE TABLE notify_fanout (
	outbox_id	bigint PRIMARY KEY REFERENCES outbox (id),
	done_at		timestamptz NOT NULL DEFAULT now()
);

-- One message to one channel: a mail, or a POST to one endpoint. Events
-- of one type folded into a digest raise events_count on one row.
-- SENDING is a lease: a worker that dies leaves it, and at next_at the
-- message is due again (the same webhook-id goes out twice).
CREATE TABLE notifications (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	public_id	text NOT NULL UNIQUE CHECK (public_id ~ '^msg_[a-z2-7]{20}$'),
	user_id		bigint REFERENCES users (id) ON DELETE CASCADE,
	outbox_id	bigint REFERENCES outbox (id),
	event_id	text NOT NULL,
	event_type	text NOT NULL,
	channel		text NOT NULL CHECK (channel IN ('EMAIL', 'WEBHOOK')),
	endpoint_id	bigint REFERENCES webhook_endpoints (id),
	recipient	text,
	payload		jsonb NOT NULL,
	events_count	integer NOT NULL DEFAULT 1 CHECK (events_count >= 1),
	status		text NOT NULL DEFAULT 'PENDING'
			CHECK (status IN ('PENDING', 'SENDING', 'SENT', 'FAILED')),
	attempts	integer NOT NULL DEFAULT 0,
	next_at		timestamptz NOT NULL DEFAULT now(),
	last_error	text,
	last_status	integer,
	event_at	timestamptz NOT NULL DEFAULT now(),
	created_at	timestamptz NOT NULL DEFAULT now(),
	sent_at		timestamptz,
	CHECK ((channel = 'WEBHOOK') = (endpoint_id IS NOT NULL))
);
CREATE INDEX notifications_due ON notifications (next_at) WHERE status IN ('PENDING', 'SENDING');
CREATE INDEX notifications_user ON notifications (user_id, id);
CREATE INDEX notifications_fold ON notifications (user_id, event_type, channel, id);

-- balance.threshold, written with the balance change that crossed it.
CREATE FUNCTION balance_threshold_event() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	t numeric;
BEGIN
	SELECT threshold INTO t FROM balance_thresholds
	    WHERE user_id = NEW.user_id AND asset = NEW.asset;
	IF t IS NOT NULL AND OLD.available + OLD.locked >= t
	    AND NEW.available + NEW.locked < t THEN
		INSERT INTO outbox (public_id, user_id, event_type, payload)
		VALUES (hzm_public_id('evt_'), NEW.user_id, 'balance.threshold',
		    jsonb_build_object('asset', NEW.asset,
		    'threshold', trim_scale(t)::text,
		    'balance', trim_scale(NEW.available + NEW.locked)::text));
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER balance_threshold_event AFTER UPDATE OF available, locked ON balances
	FOR EACH ROW WHEN (NEW.available + NEW.locked < OLD.available + OLD.locked)
	EXECUTE FUNCTION balance_threshold_event();

-- Events from before notifications existed are not delivered now.
INSERT INTO notify_fanout (outbox_id) SELECT id FROM outbox;
-- The worker looks only at recent events (domain/notify_fanout.c).
CREATE INDEX outbox_created ON outbox (created_at);
