-- 020_bot_venue_symbol.sql — a bot's market as its venue names it, when that is not hzm's name (BTCTRY on hzm, BTCUSDT on Binance)

-- NULL: the venue knows the market by the bot's own symbol. Only while
-- flat may it change, as the symbol and the venue may (domain/bots.c).
ALTER TABLE bots ADD COLUMN venue_symbol text
	CHECK (venue_symbol IS NULL OR
	(venue_symbol ~ '^[A-Z0-9]{4,20}$' AND venue = 'BINANCE'));
