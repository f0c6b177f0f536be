-- When the operators were reminded of a complaint near its deadline (clause 6.5).
ALTER TABLE complaints ADD COLUMN reminded_at TIMESTAMPTZ;
