-- 011_money_kinds.sql — ledger kinds for money leaving: a withdrawal's funds locked, released, paid out

-- A withdrawal locks its amount and fee when it is requested
-- (WITHDRAWAL_LOCK: available -> locked), gives them back exactly once if
-- it is rejected or fails (WITHDRAWAL_UNLOCK: locked -> available), and
-- leaves on completion (WITHDRAWAL for the amount, FEE for the network or
-- bank fee, both from locked). Fiat deposits credit with DEPOSIT like
-- crypto ones; a returned transfer is RETURN.
ALTER TABLE ledger DROP CONSTRAINT ledger_kind_check;
ALTER TABLE ledger ADD CONSTRAINT ledger_kind_check CHECK (kind IN ('DEPOSIT',
	'WITHDRAWAL', 'WITHDRAWAL_LOCK', 'WITHDRAWAL_UNLOCK', 'RETURN',
	'ORDER_LOCK', 'ORDER_UNLOCK', 'TRADE', 'FEE', 'ADJUSTMENT'));
