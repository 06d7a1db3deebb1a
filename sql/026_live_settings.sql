-- 026_live_settings.sql — live settings written through to the tables their services read: the KYC levels' limits kept consistent as staff change them

-- A live setting with a table of its own (domain/sysconfig_apply.c) is
-- written there in the transaction of its version, history and audit
-- rows: markets' fees, the default network's withdrawal fee, and the KYC
-- levels' limits here. Those limits now change while everything runs, so
-- they get the checks a user's own limits have (user_limits, 002).
ALTER TABLE kyc_level_limits
	ADD CONSTRAINT kyc_level_limits_daily_withdrawal_check
		CHECK (daily_withdrawal >= 0),
	ADD CONSTRAINT kyc_level_limits_daily_trading_check
		CHECK (daily_trading >= 0),
	ADD CONSTRAINT kyc_level_limits_monthly_check
		CHECK (monthly_withdrawal >= daily_withdrawal);

-- A withdrawal threshold (withdrawal_threshold.ASSET) is kept in
-- system_config and read by the withdrawal's own statement, which casts
-- it: only an amount or "none" may be stored under that name.
ALTER TABLE system_config ADD CONSTRAINT system_config_threshold_check
	CHECK (key NOT LIKE 'withdrawal\_threshold.%'
	    OR value = 'none' OR value ~ '^[0-9]+(\.[0-9]+)?$');
