-- sql/029_oco.sql — OCO order lists: two orders of one user, one cancelling the other

-- An OCO list is a LIMIT leg and a STOP_LOSS or STOP_LIMIT leg of one user,
-- one market and one side, placed together and sharing order_list_id (NULL
-- for an order of no list). The list's one lock (the larger of the two
-- legs' needs) sits on the limit leg; the stop leg locks nothing
-- (locked_amount 0). The matcher cancels the other leg when one acts and
-- moves the lock to the leg that goes on; after a restart it finds a
-- leg's other leg by the list.
CREATE SEQUENCE order_list_seq;

ALTER TABLE orders
	ADD COLUMN order_list_id bigint,
	ADD COLUMN list_leg text CHECK (list_leg IN ('LIMIT', 'STOP')),
	ADD CONSTRAINT orders_list_leg CHECK ((order_list_id IS NULL) =
		(list_leg IS NULL)),
	ADD CONSTRAINT orders_list_stop_leg CHECK (list_leg IS DISTINCT FROM
		'STOP' OR (stop_price IS NOT NULL AND locked_amount = 0));

CREATE UNIQUE INDEX orders_list_leg_idx ON orders (order_list_id, list_leg)
	WHERE order_list_id IS NOT NULL;
