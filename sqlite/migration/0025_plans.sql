-- Team plans with quotas and their payments (clause 3.1.2d). A team with no row is on the free
-- plan. An order keeps the plan, the amount in fen, its status and the payment provider's
-- reference: never card or bank data, which only the provider sees.
CREATE TABLE team_plans (
	team_id    INTEGER PRIMARY KEY REFERENCES teams (id) ON DELETE CASCADE,
	plan       TEXT NOT NULL,
	paid_until TEXT NOT NULL
);

CREATE TABLE payments (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	team_id      INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
	user_id      INTEGER NOT NULL,
	plan         TEXT NOT NULL,
	amount_fen   INTEGER NOT NULL,
	status       TEXT NOT NULL,
	provider_ref TEXT NOT NULL DEFAULT '',
	created_at   TEXT NOT NULL,
	paid_at      TEXT
);
CREATE INDEX payments_team_id ON payments (team_id);
