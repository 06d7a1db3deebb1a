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

-- Who gets order.filled: a user who turned its mail on (it is off by
-- default, NT_OPT_IN in domain/notify_types.c), or who has an endpoint
-- subscribed to it with webhooks not turned off. The matcher writes the
-- event for these users only: an event per fill for everyone cost a
-- batch of 2,000 fills a third of its time, for mail nobody asked for.
CREATE VIEW order_filled_subscribers AS
	SELECT user_id FROM notification_preferences
	WHERE notification_type = 'order.filled' AND email_enabled
	UNION
	SELECT e.user_id FROM webhook_endpoints e
	LEFT JOIN notification_preferences p ON p.user_id = e.user_id
	    AND p.notification_type = 'order.filled'
	WHERE e.deleted_at IS NULL AND coalesce(p.webhook_enabled, true)
	    AND ('order.filled' = ANY (e.events) OR '*' = ANY (e.events));

-- balance.threshold, written with the balance change that crossed it.
-- Once per statement, not per row: the matcher's settlement updates
-- hundreds of balances in one statement, and only the few rows of users
-- who set a threshold are looked at (the join starts from
-- balance_thresholds). Transition tables rule out a column list, so the
-- trigger fires on every UPDATE of balances; the join is what filters.
CREATE FUNCTION balance_threshold_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO outbox (public_id, user_id, event_type, payload)
	SELECT hzm_public_id('evt_'), n.user_id, 'balance.threshold',
	    jsonb_build_object('asset', n.asset,
	    'threshold', trim_scale(t.threshold)::text,
	    'balance', trim_scale(n.available + n.locked)::text)
	FROM balance_thresholds t
	JOIN new_rows n ON n.user_id = t.user_id AND n.asset = t.asset
	JOIN old_rows o ON o.user_id = t.user_id AND o.asset = t.asset
	WHERE o.available + o.locked >= t.threshold
	    AND n.available + n.locked < t.threshold
	ORDER BY n.user_id, n.asset;
	RETURN NULL;
END $$;
CREATE TRIGGER balance_threshold_event AFTER UPDATE ON balances
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION balance_threshold_event();

-- One NOTIFY per statement instead of one per row: a batch of the
-- matcher writes thousands of order.filled events at once, and each
-- pg_notify is queued, deduplicated and delivered at commit. The payload
-- is the highest id the statement added; a listener reads the outbox
-- from where it is anyway.
DROP TRIGGER outbox_notify ON outbox;
CREATE OR REPLACE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	top bigint;
BEGIN
	SELECT max(id) INTO top FROM new_rows;
	IF top IS NOT NULL THEN
		PERFORM pg_notify('hzm_outbox', top::text);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- Events from before notifications existed are not delivered now.
INSERT INTO notify_fanout (outbox_id) SELECT id FROM outbox;
-- The worker looks only at recent events (domain/notify_fanout.c).
CREATE INDEX outbox_created ON outbox (created_at);
