-- sql/030_price_try_cached.sql — asset_price_try() with its plan kept for the session

-- The SQL function of sql/012 cannot be inlined (its body has a subquery),
-- so each call planned its query anew: a fifth of a millisecond for every
-- order through the inbox, whose daily trading limit asks it. In PL/pgSQL
-- the plan is made once per session. Same answers: 1 for TRY, else the
-- last trade price of the asset's TRY market, NULL while it has none.
CREATE OR REPLACE FUNCTION asset_price_try(a text) RETURNS numeric
LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF a = 'TRY' THEN
		RETURN 1::numeric;
	END IF;
	RETURN (SELECT s.last_price FROM markets m
	    JOIN matcher_state s ON s.symbol = m.symbol
	    WHERE m.base_asset = a AND m.quote_asset = 'TRY');
END $$;
