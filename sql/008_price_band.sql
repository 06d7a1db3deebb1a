-- 008_price_band.sql — a price band per market: orders far from the market's price are refused

-- How far, in percent, a price may be from the market's reference price
-- (the last trade price while it is recent, else the book's quotes; see
-- the README): a limit order priced outside the band is refused
-- (TRADE_003) and a market order fills only within it. NULL: no band.
-- The matcher applies it; it reads this column when it starts.
ALTER TABLE markets ADD COLUMN price_band_pct numeric(8, 4) DEFAULT 10
	CHECK (price_band_pct > 0 AND price_band_pct <= 1000);
