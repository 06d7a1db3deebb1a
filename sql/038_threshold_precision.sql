-- 038_threshold_precision.sql — balance.threshold's amounts are written at their asset's precision

-- Amounts everywhere else are written at the asset's precision (BTC with
-- 8 decimals, TRY with 2; Appendix E); balance.threshold's payload
-- trimmed them ("0.4"). Now it writes them as balances are written, with
-- more decimals only where a threshold was set with more; the balance cut,
-- not rounded, so that one just under the threshold never reads as it.
CREATE OR REPLACE FUNCTION balance_threshold_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO outbox (public_id, user_id, event_type, payload)
	SELECT hzm_public_id('evt_'), n.user_id, 'balance.threshold',
	    jsonb_build_object('asset', n.asset,
	    'threshold', round(t.threshold,
	        greatest(a.precision, scale(trim_scale(t.threshold))))::text,
	    'balance', trunc(n.available + n.locked, a.precision)::text)
	FROM balance_thresholds t
	JOIN new_rows n ON n.user_id = t.user_id AND n.asset = t.asset
	JOIN old_rows o ON o.user_id = t.user_id AND o.asset = t.asset
	JOIN assets a ON a.code = t.asset
	WHERE o.available + o.locked >= t.threshold
	    AND n.available + n.locked < t.threshold
	ORDER BY n.user_id, n.asset;
	RETURN NULL;
END $$;
