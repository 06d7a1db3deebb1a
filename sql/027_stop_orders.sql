-- sql/027_stop_orders.sql — stop orders (STOP_LOSS, STOP_LIMIT) and self-trade prevention on orders

-- A stop order waits (status NEW, triggered_at NULL) until a trade crosses
-- stop_price, its funds locked from the start; triggered_at is set in the
-- matcher's batch that triggered it, and from then on it is a MARKET
-- (STOP_LOSS) or LIMIT (STOP_LIMIT) order. self_trade_prevention is what
-- happens when, as a taker, it meets an order of the same user: Binance's
-- selfTradePreventionMode values.
ALTER TABLE orders
	ADD COLUMN stop_price numeric(38, 18) CHECK (stop_price > 0),
	ADD COLUMN triggered_at timestamptz,
	ADD COLUMN self_trade_prevention text NOT NULL DEFAULT 'EXPIRE_TAKER'
		CHECK (self_trade_prevention IN ('EXPIRE_TAKER', 'EXPIRE_MAKER',
		'EXPIRE_BOTH'));

-- 004 left these checks unnamed: find them by what they say.
DO $$
DECLARE
	c record;
BEGIN
	FOR c IN SELECT conname FROM pg_constraint
	    WHERE conrelid = 'orders'::regclass AND contype = 'c'
	    AND (pg_get_constraintdef(oid) LIKE '%type = ANY%LIMIT%MARKET%'
	    OR pg_get_constraintdef(oid) LIKE '%(type = ''LIMIT''::text) = (price IS NOT NULL)%'
	    OR pg_get_constraintdef(oid) LIKE '%quote_order_qty IS NULL) OR ((type = ''MARKET''%')
	LOOP
		EXECUTE format('ALTER TABLE orders DROP CONSTRAINT %I', c.conname);
	END LOOP;
END $$;

ALTER TABLE orders ADD CONSTRAINT orders_type_check
	CHECK (type IN ('LIMIT', 'MARKET', 'STOP_LOSS', 'STOP_LIMIT'));
ALTER TABLE orders ADD CONSTRAINT orders_price_for_type
	CHECK ((type IN ('LIMIT', 'STOP_LIMIT')) = (price IS NOT NULL));
ALTER TABLE orders ADD CONSTRAINT orders_stop_for_type
	CHECK ((type IN ('STOP_LOSS', 'STOP_LIMIT')) = (stop_price IS NOT NULL));
ALTER TABLE orders ADD CONSTRAINT orders_quote_qty_for_type
	CHECK (quote_order_qty IS NULL OR
	(type IN ('MARKET', 'STOP_LOSS') AND side = 'BUY'));
ALTER TABLE orders ADD CONSTRAINT orders_triggered_stop
	CHECK (triggered_at IS NULL OR stop_price IS NOT NULL);
-- STOP_LOSS is a market order once triggered: IOC or FOK, never resting.
ALTER TABLE orders ADD CONSTRAINT orders_stop_loss_tif
	CHECK (type <> 'STOP_LOSS' OR time_in_force IN ('IOC', 'FOK'));
