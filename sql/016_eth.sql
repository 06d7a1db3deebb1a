-- 016_eth.sql — Ether and USDT (ERC-20) on Ethereum: their networks opened, the chain watcher's Ethereum cursor, the payments the Ethereum adapter sends

-- ETH moves on the network ETH, USDT on Ethereum on ERC20 (Appendix C's
-- codes; TRC20 keeps its row, closed: no node adapter speaks Tron).
-- Both wait for 12 confirmations. A user's ERC20 address is their ETH
-- address: both are derived from the operator's key at the user's number.
UPDATE asset_networks SET deposit_enabled = true, withdraw_enabled = true,
    updated_at = now() WHERE asset = 'ETH' AND network = 'ETH';
UPDATE asset_networks SET is_default = false, updated_at = now()
    WHERE asset = 'USDT' AND network = 'TRC20';
INSERT INTO asset_networks (asset, network, is_default, deposit_enabled,
    min_deposit, confirmations, withdraw_enabled, min_withdrawal,
    withdraw_fee, withdraw_confirmations) VALUES
	('USDT', 'ERC20', true, true, 1, 12, true, 10, 5, 12);

-- An Ethereum cursor is "<next block to read>:<tip height>:<tip hash>":
-- the tip is what a reorganisation is found by on the next pass.
ALTER TABLE chain_cursors DROP CONSTRAINT chain_cursors_last_block_check;
ALTER TABLE chain_cursors ADD CONSTRAINT chain_cursors_last_block_check
	CHECK (last_block ~ '^([0-9a-f]{64}|[0-9]{1,19}:[0-9]{1,19}:[0-9a-f]{64})$');

-- Each payment the Ethereum adapter asks its node for, recorded before
-- the node hears of it: the note it is known by (a withdrawal's try),
-- the hot wallet's nonce it uses and the tip then. A payment whose
-- answer was lost is found again by that nonce, never sent twice: one
-- nonce can only ever be spent once on the chain.
CREATE TABLE eth_payments (
	note		text PRIMARY KEY CHECK (length(note) BETWEEN 1 AND 64),
	network		text NOT NULL CHECK (network ~ '^[A-Z0-9]{2,10}$'),
	sender		text NOT NULL CHECK (sender ~ '^0x[0-9a-fA-F]{40}$'),
	nonce		bigint NOT NULL CHECK (nonce >= 0),
	to_address	text NOT NULL CHECK (to_address ~ '^0x[0-9a-fA-F]{40}$'),
	amount		numeric(38, 18) NOT NULL CHECK (amount > 0),
	from_block	bigint NOT NULL CHECK (from_block >= 0),
	tx_hash		text CHECK (tx_hash ~ '^[0-9a-f]{64}$'),
	-- The node refused it: its nonce was not used.
	refused_at	timestamptz,
	created_at	timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX eth_payments_nonce ON eth_payments (sender, nonce);
