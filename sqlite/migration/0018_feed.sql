-- The recommendation feed (clauses 6.1.1, 6.1.2, 3.1.2a): channels (team_id 0: the platform's),
-- their posts and team members' posts, and each user's follows, "not interested" marks and
-- engagement counts. Nothing here holds backup content.
CREATE TABLE feed_channels (
	id         INTEGER PRIMARY KEY,
	team_id    INTEGER NOT NULL DEFAULT 0,
	name       TEXT NOT NULL,
	created_at TEXT NOT NULL,
	UNIQUE (team_id, name)
);
CREATE TABLE feed_posts (
	id         INTEGER PRIMARY KEY,
	channel_id INTEGER REFERENCES feed_channels (id) ON DELETE CASCADE,
	team_id    INTEGER NOT NULL DEFAULT 0,
	author_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	text       TEXT NOT NULL,
	created_at TEXT NOT NULL
);
CREATE INDEX feed_posts_channel ON feed_posts (channel_id, id);
CREATE INDEX feed_posts_author ON feed_posts (author_id, id);
CREATE TABLE feed_follows (
	id         INTEGER PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	channel_id INTEGER REFERENCES feed_channels (id) ON DELETE CASCADE,
	member_id  INTEGER REFERENCES users (id) ON DELETE CASCADE,
	created_at TEXT NOT NULL,
	CHECK ((channel_id IS NULL) <> (member_id IS NULL))
);
CREATE UNIQUE INDEX feed_follows_channel ON feed_follows (user_id, channel_id) WHERE channel_id IS NOT NULL;
CREATE UNIQUE INDEX feed_follows_member ON feed_follows (user_id, member_id) WHERE member_id IS NOT NULL;
CREATE TABLE feed_marks (
	id         INTEGER PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	item       TEXT NOT NULL,
	topic      TEXT NOT NULL,
	label      TEXT NOT NULL,
	created_at TEXT NOT NULL,
	UNIQUE (user_id, item)
);
CREATE TABLE feed_engagement (
	user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	topic   TEXT NOT NULL,
	opens   INTEGER NOT NULL,
	PRIMARY KEY (user_id, topic)
);
