-- sql/028_expired_in_match.sql — EXPIRED_IN_MATCH: an order expired by self-trade prevention

-- Binance's status for an order that selfTradePreventionMode took out of
-- the match; EXPIRED stays for an IOC, FOK or market remainder and for a
-- triggered stop its market refused. Orders expired so before this
-- migration stay EXPIRED: nothing recorded which expiry it was.
DO $$
DECLARE
	c record;
BEGIN
	FOR c IN SELECT conname FROM pg_constraint
	    WHERE conrelid = 'orders'::regclass AND contype = 'c'
	    AND pg_get_constraintdef(oid) LIKE '%status = ANY%NEW%EXPIRED%'
	LOOP
		EXECUTE format('ALTER TABLE orders DROP CONSTRAINT %I', c.conname);
	END LOOP;
END $$;

ALTER TABLE orders ADD CONSTRAINT orders_status_check
	CHECK (status IN ('NEW', 'PARTIALLY_FILLED', 'FILLED', 'CANCELED',
	'REJECTED', 'EXPIRED', 'EXPIRED_IN_MATCH'));
