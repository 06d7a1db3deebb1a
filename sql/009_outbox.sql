-- 009_outbox.sql — the event outbox: what may notify a user, written with its cause

-- One row per event, inserted in the same transaction as the change that
-- caused it, so an event exists exactly when its cause was committed.
-- Delivery (e-mail, webhooks, the streamer's private channels) reads from
-- here and keeps its own state; rows are never updated.
CREATE TABLE outbox (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	public_id	text NOT NULL UNIQUE CHECK (public_id ~ '^evt_[a-z2-7]{20}$'),
	user_id		bigint REFERENCES users (id),
	event_type	text NOT NULL CHECK (event_type ~ '^[a-z]+(_[a-z]+)*(\.[a-z]+(_[a-z]+)*)+$'),
	payload		jsonb NOT NULL CHECK (jsonb_typeof(payload) = 'object'),
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_user ON outbox (user_id, id);

-- Listeners learn of new events at commit (NOTIFY is transactional): the
-- payload is the row's id, the channel is named in core/channels.h.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_notify('hzm_outbox', NEW.id::text);
	RETURN NULL;
END $$;
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
	FOR EACH ROW EXECUTE FUNCTION outbox_notify();
