-- Sales teams (tenants of the workspace), each with its own wrapped data key.
CREATE TABLE teams (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	name        TEXT NOT NULL,
	time_zone   TEXT NOT NULL,
	pool_days   INTEGER NOT NULL DEFAULT 30, -- customers with no follow-up this long go back to the pool
	max_customers INTEGER NOT NULL DEFAULT 0, -- most customers one staff member holds; 0: no limit
	recording_days INTEGER NOT NULL DEFAULT 0, -- recordings older than this are deleted; 0: kept
	wrapped_key BLOB,
	created_at  TEXT NOT NULL
);

-- Accounts. The phone number is kept only as a keyed hash and inside the sealed profile.
CREATE TABLE users (
	id            INTEGER PRIMARY KEY AUTOINCREMENT,
	team_id       INTEGER REFERENCES teams (id),
	role          TEXT NOT NULL DEFAULT '',
	phone_hash    BLOB NOT NULL UNIQUE,
	sealed        BLOB NOT NULL,
	password_hash TEXT NOT NULL DEFAULT '',
	wrapped_key   BLOB,
	erase_after   TEXT, -- a requested deletion takes effect then
	created_at    TEXT NOT NULL,
	updated_at    TEXT NOT NULL
);

CREATE TABLE tokens (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	hash       BLOB NOT NULL UNIQUE,
	kind       TEXT NOT NULL,
	created_at TEXT NOT NULL,
	expires_at TEXT
);
CREATE INDEX tokens_user_id ON tokens (user_id);

-- Sign-in codes, one row per phone number (keyed hash).
CREATE TABLE otps (
	phone_hash   BLOB PRIMARY KEY,
	code_hash    BLOB,
	sent_at      TEXT NOT NULL,
	expires_at   TEXT NOT NULL,
	attempts     INTEGER NOT NULL DEFAULT 0,
	locked_until TEXT
);

-- Backed-up items, stored once per account however many snapshots hold them.
CREATE TABLE records (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	kind       TEXT NOT NULL,
	ident      BLOB NOT NULL,
	version    BLOB NOT NULL,
	payload    BLOB NOT NULL,
	created_at TEXT NOT NULL,
	UNIQUE (user_id, kind, version)
);

CREATE TABLE snapshots (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	created_at TEXT NOT NULL,
	contacts   INTEGER NOT NULL,
	messages   INTEGER NOT NULL,
	calls      INTEGER NOT NULL,
	files      INTEGER NOT NULL,
	bytes      INTEGER NOT NULL,
	new_blobs  INTEGER NOT NULL,
	new_bytes  INTEGER NOT NULL,
	skipped    INTEGER NOT NULL
);
CREATE INDEX snapshots_user_id ON snapshots (user_id, id);

-- Presence intervals: a record is in every snapshot S of its user with
-- from_snapshot <= S < to_snapshot (to_snapshot NULL while it is still present).
CREATE TABLE spans (
	user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	record_id     INTEGER NOT NULL REFERENCES records (id) ON DELETE CASCADE,
	kind          TEXT NOT NULL,
	from_snapshot INTEGER NOT NULL,
	to_snapshot   INTEGER
);
CREATE INDEX spans_open ON spans (user_id, to_snapshot, record_id);
-- In record order, so a snapshot streams out without a sort.
CREATE INDEX spans_kind ON spans (user_id, kind, record_id, from_snapshot, to_snapshot);
CREATE INDEX spans_record_id ON spans (record_id);

-- Export files already read into records.
CREATE TABLE sources (
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	hash       BLOB NOT NULL,
	records    BLOB NOT NULL,
	skipped    INTEGER NOT NULL,
	created_at TEXT NOT NULL,
	PRIMARY KEY (user_id, hash)
);

-- Blobs each account stored; snapshot_id is 0 until a snapshot claims them.
CREATE TABLE blobs (
	user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name        TEXT NOT NULL,
	size        INTEGER NOT NULL,
	snapshot_id INTEGER NOT NULL DEFAULT 0,
	created_at  TEXT NOT NULL,
	PRIMARY KEY (user_id, name)
);
CREATE INDEX blobs_unclaimed ON blobs (user_id, snapshot_id);

-- A team's leads: the number as a keyed hash under the team key, the rest sealed.
CREATE TABLE leads (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	team_id    INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
	phone_hash BLOB NOT NULL,
	sealed     BLOB NOT NULL,
	owner_id   INTEGER REFERENCES users (id) ON DELETE SET NULL,
	followed_at TEXT, -- the owner's last call
	created_at TEXT NOT NULL,
	UNIQUE (team_id, phone_hash)
);
CREATE INDEX leads_owner ON leads (team_id, owner_id);

-- A team's do-not-call list.
CREATE TABLE dnc (
	team_id    INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
	phone_hash BLOB NOT NULL,
	created_at TEXT NOT NULL,
	PRIMARY KEY (team_id, phone_hash)
);

-- Dial tasks over a team's leads.
CREATE TABLE tasks (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	team_id      INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
	name         TEXT NOT NULL,
	window_start INTEGER NOT NULL,
	window_end   INTEGER NOT NULL,
	retry_delay  INTEGER NOT NULL, -- seconds
	max_attempts INTEGER NOT NULL,
	lease        INTEGER NOT NULL, -- seconds
	created_at   TEXT NOT NULL
);
CREATE INDEX tasks_team_id ON tasks (team_id);

-- Who may call a task's leads (none listed: every staff member of the team).
CREATE TABLE task_staff (
	task_id INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	PRIMARY KEY (task_id, user_id)
);

-- Each lead of a task: pending (due_at: not before), assigned (due_at: end of the lease) or
-- done. staff_id holds the caller, or the staff member a callback is kept for.
CREATE TABLE task_leads (
	task_id  INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
	lead_id  INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
	state    TEXT NOT NULL,
	staff_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
	attempts INTEGER NOT NULL DEFAULT 0,
	due_at   TEXT NOT NULL,
	outcome  TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (task_id, lead_id)
);
CREATE INDEX task_leads_due ON task_leads (task_id, state, due_at);

-- Every logged call of a task's lead; the note is sealed under the team key.
CREATE TABLE task_calls (
	id           INTEGER PRIMARY KEY AUTOINCREMENT,
	task_id      INTEGER NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
	lead_id      INTEGER NOT NULL REFERENCES leads (id) ON DELETE CASCADE,
	staff_id     INTEGER REFERENCES users (id) ON DELETE SET NULL,
	outcome      TEXT NOT NULL,
	intent       TEXT NOT NULL DEFAULT '',
	note         BLOB,
	next_follow  TEXT,
	talk_seconds INTEGER NOT NULL DEFAULT 0,
	text_sent    INTEGER NOT NULL DEFAULT 0, -- 1 when an after-call text went out
	created_at   TEXT NOT NULL
);
CREATE INDEX task_calls_task ON task_calls (task_id, staff_id);

-- A team's after-call texts, one per call outcome.
CREATE TABLE sms_templates (
	team_id    INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
	outcome    TEXT NOT NULL,
	body       TEXT NOT NULL,
	updated_at TEXT NOT NULL,
	PRIMARY KEY (team_id, outcome)
);

-- Call logs uploaded by a team's phones; lead_id links a call to the lead with its number.
CREATE TABLE phone_calls (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	team_id    INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
	staff_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	lead_id    INTEGER REFERENCES leads (id) ON DELETE SET NULL,
	phone_hash BLOB NOT NULL,
	sealed     BLOB NOT NULL,
	type       TEXT NOT NULL,
	date       TEXT NOT NULL,
	duration   INTEGER NOT NULL,
	UNIQUE (team_id, staff_id, phone_hash, type, date)
);
CREATE INDEX phone_calls_lead ON phone_calls (team_id, lead_id, date);

-- Call recordings uploaded by a team's phones, matched to their calls.
CREATE TABLE recordings (
	id         INTEGER PRIMARY KEY AUTOINCREMENT,
	team_id    INTEGER NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
	staff_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	blob_name  TEXT NOT NULL,
	size       INTEGER NOT NULL,
	phone_hash BLOB NOT NULL,
	sealed     BLOB NOT NULL,
	started_at TEXT NOT NULL,
	call_id    INTEGER REFERENCES phone_calls (id) ON DELETE SET NULL,
	lead_id    INTEGER REFERENCES leads (id) ON DELETE SET NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX recordings_team ON recordings (team_id, call_id);

-- Every playback and download of a recording.
CREATE TABLE recording_access (
	recording_id INTEGER NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
	user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	kind         TEXT NOT NULL,
	at           TEXT NOT NULL
);
CREATE INDEX recording_access_recording ON recording_access (recording_id, at);

-- Quality reviews of recordings; comments are sealed under the team key.
CREATE TABLE reviews (
	recording_id INTEGER NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
	reviewer_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	items        TEXT NOT NULL,
	comments     BLOB,
	score        REAL NOT NULL,
	passed       INTEGER NOT NULL,
	created_at   TEXT NOT NULL,
	PRIMARY KEY (recording_id, reviewer_id)
);

-- Tamper-evident audit logs: a hash chain per scope (a team or a personal account).
CREATE TABLE audit (
	id       INTEGER PRIMARY KEY AUTOINCREMENT,
	scope    TEXT NOT NULL,
	actor_id INTEGER NOT NULL,
	action   TEXT NOT NULL,
	object   TEXT NOT NULL,
	at       TEXT NOT NULL,
	prev     BLOB NOT NULL,
	hash     BLOB NOT NULL
);
CREATE INDEX audit_scope ON audit (scope, id);

-- Versions of the privacy policy, per language, and who accepted which.
CREATE TABLE policies (
	version      TEXT NOT NULL,
	lang         TEXT NOT NULL,
	title        TEXT NOT NULL,
	body         TEXT NOT NULL,
	effective_at TEXT NOT NULL,
	material     INTEGER NOT NULL,
	published_at TEXT NOT NULL,
	PRIMARY KEY (version, lang)
);

CREATE TABLE policy_acceptances (
	user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	version     TEXT NOT NULL,
	accepted_at TEXT NOT NULL,
	PRIMARY KEY (user_id, version)
);

-- Complaints and feedback, with a deadline in working days; text, photos and reply sealed.
CREATE TABLE complaints (
	id          INTEGER PRIMARY KEY AUTOINCREMENT,
	user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	sealed      BLOB NOT NULL,
	reply       BLOB,
	created_at  TEXT NOT NULL,
	due_at      TEXT NOT NULL,
	answered_at TEXT
);
CREATE INDEX complaints_due ON complaints (answered_at, due_at);
