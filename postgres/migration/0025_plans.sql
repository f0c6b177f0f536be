-- Team plans with quotas and their payments (clause 3.1.2d). A team with no row is on the free
-- plan. An order keeps the plan, the amount in fen, its status and the payment provider's
-- reference: never card or bank data, which only the provider sees.
CREATE TABLE team_plans (
	team_id    BIGINT PRIMARY KEY REFERENCES teams (id) ON DELETE CASCADE,
	plan       TEXT NOT NULL,
	paid_until TIMESTAMPTZ NOT NULL
);

CREATE TABLE payments (
	id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	team_id      BIGINT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
	user_id      BIGINT NOT NULL,
	plan         TEXT NOT NULL,
	amount_fen   BIGINT NOT NULL,
	status       TEXT NOT NULL,
	provider_ref TEXT NOT NULL DEFAULT '',
	created_at   TIMESTAMPTZ NOT NULL,
	paid_at      TIMESTAMPTZ
);
CREATE INDEX payments_team_id ON payments (team_id);
