-- 014_fiat_limits.sql — one set of withdrawal limits: what a user has used of them counts TRY withdrawals by bank transfer too

-- The daily and monthly withdrawal limits (user_limits, kyc_level_limits)
-- are a user's, in TRY, whatever leaves: crypto withdrawals at their worth
-- (012) and TRY withdrawals by bank transfer at their amount (013's
-- fiat_withdrawals; returns of others' transfers are not the user's).
-- Either kind of request counts the other, and what the API shows as used
-- is the sum of both.
CREATE OR REPLACE FUNCTION withdrawal_used_try(uid bigint, since timestamptz)
RETURNS numeric LANGUAGE sql STABLE AS $$
	SELECT round(coalesce((SELECT sum(coalesce(w.value_try,
	    w.amount * asset_price_try(w.asset), 0))
	    FROM withdrawals w WHERE w.user_id = uid AND w.created_at > since
	    AND w.status NOT IN ('REJECTED', 'FAILED')), 0)
	    + coalesce((SELECT sum(f.amount) FROM fiat_withdrawals f
	    WHERE f.user_id = uid AND f.kind = 'WITHDRAWAL'
	    AND f.created_at > since AND f.status NOT IN ('REJECTED', 'FAILED')),
	    0), 2)
$$;
