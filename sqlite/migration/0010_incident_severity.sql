-- An incident's level (一般, 较大, 重大, 特别重大): from 较大 up, the regulator is told within 4 hours.
ALTER TABLE incidents ADD COLUMN severity TEXT NOT NULL DEFAULT 'general';
