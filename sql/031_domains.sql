-- 031_domains.sql — the one-column rules of orders, trades, ledger and klines as domains

-- PostgreSQL reads a table's CHECK constraints from their stored text and
-- plans them anew in every statement that writes the table, before its
-- first row. On orders that was 30 constraints and 23 KB of node text in
-- each of the two statements of every matcher batch that touch it: a
-- quarter of what the matcher's backend did for a batch of one order. A
-- domain's rules are read and planned once per session (the type cache),
-- and checked only where a statement assigns the column. So each rule of
-- one column moves to a domain, the same rule under a name; the rules
-- that tie columns together stay on their tables.
--
-- Each column is retyped while its domain has no rule yet: a domain over
-- the same type is then binary-compatible, so no table is rewritten and
-- its indexes stay. The rule is added to the domain afterwards, which
-- checks the rows there are; then the table's own constraint goes.

CREATE DOMAIN amount_positive AS numeric(38, 18);
CREATE DOMAIN amount_nonnegative AS numeric(38, 18);
CREATE DOMAIN order_side AS text;
CREATE DOMAIN order_type AS text;
CREATE DOMAIN order_status AS text;
CREATE DOMAIN order_time_in_force AS text;
CREATE DOMAIN order_stp AS text;
CREATE DOMAIN order_list_leg AS text;
CREATE DOMAIN order_public_id AS text;
CREATE DOMAIN order_client_id AS text;
CREATE DOMAIN trade_public_id AS text;
CREATE DOMAIN ledger_kind AS text;
CREATE DOMAIN kline_interval AS text;
CREATE DOMAIN count_positive AS integer;

ALTER TABLE orders
	ALTER COLUMN public_id TYPE order_public_id,
	ALTER COLUMN client_order_id TYPE order_client_id,
	ALTER COLUMN side TYPE order_side,
	ALTER COLUMN type TYPE order_type,
	ALTER COLUMN status TYPE order_status,
	ALTER COLUMN time_in_force TYPE order_time_in_force,
	ALTER COLUMN self_trade_prevention TYPE order_stp,
	ALTER COLUMN list_leg TYPE order_list_leg,
	ALTER COLUMN price TYPE amount_positive,
	ALTER COLUMN quantity TYPE amount_positive,
	ALTER COLUMN quote_order_qty TYPE amount_positive,
	ALTER COLUMN stop_price TYPE amount_positive,
	ALTER COLUMN executed_quantity TYPE amount_nonnegative,
	ALTER COLUMN cumulative_quote TYPE amount_nonnegative,
	ALTER COLUMN fee_total TYPE amount_nonnegative,
	ALTER COLUMN locked_amount TYPE amount_nonnegative,
	ALTER COLUMN lock_remaining TYPE amount_nonnegative;
ALTER TABLE trades
	ALTER COLUMN public_id TYPE trade_public_id,
	ALTER COLUMN maker_side TYPE order_side,
	ALTER COLUMN price TYPE amount_positive,
	ALTER COLUMN quantity TYPE amount_positive,
	ALTER COLUMN quote_quantity TYPE amount_nonnegative,
	ALTER COLUMN maker_fee TYPE amount_nonnegative,
	ALTER COLUMN taker_fee TYPE amount_nonnegative;
ALTER TABLE ledger
	ALTER COLUMN kind TYPE ledger_kind;
ALTER TABLE klines
	ALTER COLUMN interval TYPE kline_interval,
	ALTER COLUMN low TYPE amount_positive,
	ALTER COLUMN volume TYPE amount_positive,
	ALTER COLUMN quote_volume TYPE amount_nonnegative,
	ALTER COLUMN trades TYPE count_positive;

ALTER DOMAIN amount_positive ADD CHECK (VALUE > 0);
ALTER DOMAIN amount_nonnegative ADD CHECK (VALUE >= 0);
ALTER DOMAIN order_side ADD CHECK (VALUE IN ('BUY', 'SELL'));
ALTER DOMAIN order_type ADD CHECK (VALUE IN ('LIMIT', 'MARKET', 'STOP_LOSS',
    'STOP_LIMIT'));
ALTER DOMAIN order_status ADD CHECK (VALUE IN ('NEW', 'PARTIALLY_FILLED',
    'FILLED', 'CANCELED', 'REJECTED', 'EXPIRED', 'EXPIRED_IN_MATCH'));
ALTER DOMAIN order_time_in_force ADD CHECK (VALUE IN ('GTC', 'IOC', 'FOK'));
ALTER DOMAIN order_stp ADD CHECK (VALUE IN ('EXPIRE_TAKER', 'EXPIRE_MAKER',
    'EXPIRE_BOTH'));
ALTER DOMAIN order_list_leg ADD CHECK (VALUE IN ('LIMIT', 'STOP'));
ALTER DOMAIN order_public_id ADD CHECK (VALUE ~ '^ord_[a-z2-7]{20}$');
ALTER DOMAIN order_client_id ADD CHECK (VALUE ~ '^[A-Za-z0-9._:-]{1,36}$');
ALTER DOMAIN trade_public_id ADD CHECK (VALUE ~ '^trd_[a-z2-7]{20}$');
ALTER DOMAIN ledger_kind ADD CHECK (VALUE IN ('DEPOSIT', 'WITHDRAWAL',
    'WITHDRAWAL_LOCK', 'WITHDRAWAL_UNLOCK', 'RETURN', 'ORDER_LOCK',
    'ORDER_UNLOCK', 'TRADE', 'FEE', 'ADJUSTMENT'));
ALTER DOMAIN kline_interval ADD CHECK (VALUE IN ('1m', '5m', '15m', '1h',
    '4h', '1d'));
ALTER DOMAIN count_positive ADD CHECK (VALUE > 0);

ALTER TABLE orders
	DROP CONSTRAINT orders_public_id_check,
	DROP CONSTRAINT orders_client_order_id_check,
	DROP CONSTRAINT orders_side_check,
	DROP CONSTRAINT orders_type_check,
	DROP CONSTRAINT orders_status_check,
	DROP CONSTRAINT orders_time_in_force_check,
	DROP CONSTRAINT orders_self_trade_prevention_check,
	DROP CONSTRAINT orders_list_leg_check,
	DROP CONSTRAINT orders_price_check,
	DROP CONSTRAINT orders_quantity_check,
	DROP CONSTRAINT orders_quote_order_qty_check,
	DROP CONSTRAINT orders_stop_price_check,
	DROP CONSTRAINT orders_executed_quantity_check,
	DROP CONSTRAINT orders_cumulative_quote_check,
	DROP CONSTRAINT orders_fee_total_check,
	DROP CONSTRAINT orders_locked_amount_check,
	DROP CONSTRAINT orders_lock_remaining_check;
ALTER TABLE trades
	DROP CONSTRAINT trades_public_id_check,
	DROP CONSTRAINT trades_maker_side_check,
	DROP CONSTRAINT trades_price_check,
	DROP CONSTRAINT trades_quantity_check,
	DROP CONSTRAINT trades_quote_quantity_check,
	DROP CONSTRAINT trades_maker_fee_check,
	DROP CONSTRAINT trades_taker_fee_check;
ALTER TABLE ledger DROP CONSTRAINT ledger_kind_check;
ALTER TABLE klines
	DROP CONSTRAINT klines_interval_check,
	DROP CONSTRAINT klines_low_check,
	DROP CONSTRAINT klines_volume_check,
	DROP CONSTRAINT klines_quote_volume_check,
	DROP CONSTRAINT klines_trades_check;
