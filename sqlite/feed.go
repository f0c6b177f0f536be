package sqlite

import (
	"context"
	"database/sql"
	"strconv"

	"github.com/beifen/beifen"
)

// FeedService stores the recommendation feed's channels, posts, follows, marks and engagement
// in SQLite.
type FeedService struct{ db *DB }

var _ beifen.FeedService = (*FeedService)(nil)

// NewFeedService returns a FeedService on db.
func NewFeedService(db *DB) *FeedService { return &FeedService{db: db} }

// CreateFeedChannel creates a channel and sets its ID.
func (s *FeedService) CreateFeedChannel(ctx context.Context, c *beifen.FeedChannel) error {
	if err := c.Validate(); err != nil {
		return err
	}
	c.CreatedAt = s.db.Now().UTC()
	err := s.db.write.QueryRowContext(ctx, `INSERT INTO feed_channels (team_id, name, created_at) VALUES (?, ?, ?) RETURNING id`,
		c.TeamID, c.Name, formatTime(c.CreatedAt)).Scan(&c.ID)
	if beifen.ErrorCode(FormatError(err)) == beifen.ECONFLICT {
		return beifen.Errorf(beifen.ECONFLICT, "There is a channel of that name already.")
	}
	return FormatError(err)
}

func scanFeedChannel(row interface{ Scan(...any) error }) (*beifen.FeedChannel, error) {
	c := &beifen.FeedChannel{}
	var created sql.NullString
	if err := row.Scan(&c.ID, &c.TeamID, &c.Name, &created); err != nil {
		return nil, err
	}
	c.CreatedAt = parseTime(created)
	return c, nil
}

// FindFeedChannels returns the platform's channels and the context user's team's.
func (s *FeedService) FindFeedChannels(ctx context.Context) ([]*beifen.FeedChannel, error) {
	if _, err := userID(ctx); err != nil {
		return nil, err
	}
	rows, err := s.db.read.QueryContext(ctx, `SELECT id, team_id, name, created_at FROM feed_channels
		WHERE team_id IN (0, ?) ORDER BY id`, beifen.TeamIDFromContext(ctx))
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	out := []*beifen.FeedChannel{}
	for rows.Next() {
		c, err := scanFeedChannel(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// FindFeedChannelByID returns ENOTFOUND for a channel the context user may not see.
func (s *FeedService) FindFeedChannelByID(ctx context.Context, id int64) (*beifen.FeedChannel, error) {
	return findFeedChannel(ctx, s.db.read, id)
}

func findFeedChannel(ctx context.Context, q queryer, id int64) (*beifen.FeedChannel, error) {
	if _, err := userID(ctx); err != nil {
		return nil, err
	}
	c, err := scanFeedChannel(q.QueryRowContext(ctx, `SELECT id, team_id, name, created_at FROM feed_channels
		WHERE id = ? AND team_id IN (0, ?)`, id, beifen.TeamIDFromContext(ctx)))
	if err == sql.ErrNoRows {
		return nil, beifen.Errorf(beifen.ENOTFOUND, "Channel not found.")
	}
	return c, FormatError(err)
}

// CreateFeedPost stores a post by the context user.
func (s *FeedService) CreateFeedPost(ctx context.Context, p *beifen.FeedPost) error {
	uid, err := userID(ctx)
	if err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	p.AuthorID, p.TeamID, p.CreatedAt = uid, beifen.TeamIDFromContext(ctx), s.db.Now().UTC()
	if p.ChannelID != 0 {
		c, err := findFeedChannel(ctx, s.db.read, p.ChannelID)
		if err != nil {
			return err
		}
		p.TeamID = c.TeamID
	} else if p.TeamID == 0 {
		return beifen.Errorf(beifen.EFORBIDDEN, "You are not a member of a team.")
	}
	err = s.db.write.QueryRowContext(ctx, `INSERT INTO feed_posts (channel_id, team_id, author_id, text, created_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`, nullID(p.ChannelID), p.TeamID, uid, p.Text, formatTime(p.CreatedAt)).Scan(&p.ID)
	return FormatError(err)
}

// FindFeedPosts returns the newest posts of what the context user follows (channels they may
// see, members of their own team posting to it) and their own posts to their team.
func (s *FeedService) FindFeedPosts(ctx context.Context, limit int) ([]*beifen.FeedPost, error) {
	uid, err := userID(ctx)
	if err != nil {
		return nil, err
	}
	team := beifen.TeamIDFromContext(ctx)
	rows, err := s.db.read.QueryContext(ctx, `
		SELECT p.id, COALESCE(p.channel_id, 0), p.team_id, p.author_id, p.text, p.created_at
		FROM feed_posts AS p
		WHERE (p.team_id IN (0, ?) AND p.channel_id IN (SELECT channel_id FROM feed_follows WHERE user_id = ?))
		   OR (? <> 0 AND p.channel_id IS NULL AND p.team_id = ?
		       AND (p.author_id = ? OR p.author_id IN (SELECT member_id FROM feed_follows WHERE user_id = ?)))
		ORDER BY p.created_at DESC, p.id DESC LIMIT ?`, team, uid, team, team, uid, uid, limit)
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	out := []*beifen.FeedPost{}
	for rows.Next() {
		p := &beifen.FeedPost{}
		var created sql.NullString
		if err := rows.Scan(&p.ID, &p.ChannelID, &p.TeamID, &p.AuthorID, &p.Text, &created); err != nil {
			return nil, err
		}
		p.CreatedAt = parseTime(created)
		out = append(out, p)
	}
	return out, rows.Err()
}

// DeleteFeedPost deletes a post of the context user.
func (s *FeedService) DeleteFeedPost(ctx context.Context, id int64) error {
	if err := s.deleteOwn(ctx, `DELETE FROM feed_posts WHERE id = ? AND author_id = ?`, id, "Post not found."); err != nil {
		return err
	}
	// Other users' "not interested" marks keep a label cut from the post: they go with it.
	_, err := s.db.write.ExecContext(ctx, `DELETE FROM feed_marks WHERE item = ?`, "post:"+strconv.FormatInt(id, 10))
	return FormatError(err)
}

// FindFeedMembers returns the other members of the context user's team.
func (s *FeedService) FindFeedMembers(ctx context.Context) ([]int64, error) {
	uid, err := userID(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.read.QueryContext(ctx, `SELECT id FROM users WHERE team_id = ? AND id <> ? AND wrapped_key IS NOT NULL
		ORDER BY id`, beifen.TeamIDFromContext(ctx), uid)
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	out := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// CreateFeedFollow makes the context user follow a channel or a member of their team.
func (s *FeedService) CreateFeedFollow(ctx context.Context, f *beifen.FeedFollow) error {
	uid, err := userID(ctx)
	if err != nil {
		return err
	}
	if err := f.Validate(); err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if f.ChannelID != 0 {
		if _, err := findFeedChannel(ctx, tx, f.ChannelID); err != nil {
			return err
		}
	} else {
		var n int
		err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE id = ? AND id <> ? AND team_id = ? AND wrapped_key IS NOT NULL`,
			f.MemberID, uid, beifen.TeamIDFromContext(ctx)).Scan(&n)
		if err != nil {
			return FormatError(err)
		} else if n == 0 {
			return beifen.Errorf(beifen.ENOTFOUND, "Team member not found.")
		}
	}
	f.UserID = uid
	if _, err := tx.ExecContext(ctx, `INSERT INTO feed_follows (user_id, channel_id, member_id, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, uid, nullID(f.ChannelID), nullID(f.MemberID), formatTime(tx.now)); err != nil {
		return FormatError(err)
	}
	var created sql.NullString
	err = tx.QueryRowContext(ctx, `SELECT id, created_at FROM feed_follows
		WHERE user_id = ? AND COALESCE(channel_id, 0) = ? AND COALESCE(member_id, 0) = ?`, uid, f.ChannelID, f.MemberID).Scan(&f.ID, &created)
	if err != nil {
		return FormatError(err)
	}
	f.CreatedAt = parseTime(created)
	return tx.Commit()
}

// FindFeedFollows returns the context user's follows, oldest first.
func (s *FeedService) FindFeedFollows(ctx context.Context) ([]*beifen.FeedFollow, error) {
	uid, err := userID(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.read.QueryContext(ctx, `SELECT id, user_id, COALESCE(channel_id, 0), COALESCE(member_id, 0), created_at
		FROM feed_follows WHERE user_id = ? ORDER BY id`, uid)
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	out := []*beifen.FeedFollow{}
	for rows.Next() {
		f := &beifen.FeedFollow{}
		var created sql.NullString
		if err := rows.Scan(&f.ID, &f.UserID, &f.ChannelID, &f.MemberID, &created); err != nil {
			return nil, err
		}
		f.CreatedAt = parseTime(created)
		out = append(out, f)
	}
	return out, rows.Err()
}

// DeleteFeedFollow ends a follow of the context user.
func (s *FeedService) DeleteFeedFollow(ctx context.Context, id int64) error {
	return s.deleteOwn(ctx, `DELETE FROM feed_follows WHERE id = ? AND user_id = ?`, id, "Follow not found.")
}

// deleteOwn runs query with id and the context user, and answers ENOTFOUND (msg) when it
// deleted nothing.
func (s *FeedService) deleteOwn(ctx context.Context, query string, id int64, msg string) error {
	uid, err := userID(ctx)
	if err != nil {
		return err
	}
	res, err := s.db.write.ExecContext(ctx, query, id, uid)
	if err != nil {
		return FormatError(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return beifen.Errorf(beifen.ENOTFOUND, "%s", msg)
	}
	return nil
}

// CreateFeedMark marks an item "not interested" for the context user.
func (s *FeedService) CreateFeedMark(ctx context.Context, m *beifen.FeedMark) error {
	uid, err := userID(ctx)
	if err != nil {
		return err
	}
	m.UserID = uid
	if _, err := s.db.write.ExecContext(ctx, `INSERT INTO feed_marks (user_id, item, topic, label, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (user_id, item) DO NOTHING`, uid, m.Item, m.Topic, m.Label, formatTime(s.db.Now())); err != nil {
		return FormatError(err)
	}
	var created sql.NullString
	err = s.db.write.QueryRowContext(ctx, `SELECT id, topic, label, created_at FROM feed_marks WHERE user_id = ? AND item = ?`,
		uid, m.Item).Scan(&m.ID, &m.Topic, &m.Label, &created)
	m.CreatedAt = parseTime(created)
	return FormatError(err)
}

// FindFeedMarks returns the context user's marks, newest first.
func (s *FeedService) FindFeedMarks(ctx context.Context) ([]*beifen.FeedMark, error) {
	uid, err := userID(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.read.QueryContext(ctx, `SELECT id, user_id, item, topic, label, created_at FROM feed_marks
		WHERE user_id = ? ORDER BY id DESC`, uid)
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	out := []*beifen.FeedMark{}
	for rows.Next() {
		m := &beifen.FeedMark{}
		var created sql.NullString
		if err := rows.Scan(&m.ID, &m.UserID, &m.Item, &m.Topic, &m.Label, &created); err != nil {
			return nil, err
		}
		m.CreatedAt = parseTime(created)
		out = append(out, m)
	}
	return out, rows.Err()
}

// DeleteFeedMark undoes a mark of the context user.
func (s *FeedService) DeleteFeedMark(ctx context.Context, id int64) error {
	return s.deleteOwn(ctx, `DELETE FROM feed_marks WHERE id = ? AND user_id = ?`, id, "Mark not found.")
}

// AddFeedEngagement counts that the context user opened an item of topic.
func (s *FeedService) AddFeedEngagement(ctx context.Context, topic string) error {
	uid, err := userID(ctx)
	if err != nil {
		return err
	}
	_, err = s.db.write.ExecContext(ctx, `INSERT INTO feed_engagement (user_id, topic, opens) VALUES (?, ?, 1)
		ON CONFLICT (user_id, topic) DO UPDATE SET opens = feed_engagement.opens + 1`, uid, topic)
	return FormatError(err)
}

// FindFeedEngagement returns the context user's opens per topic.
func (s *FeedService) FindFeedEngagement(ctx context.Context) (map[string]int, error) {
	uid, err := userID(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.read.QueryContext(ctx, `SELECT topic, opens FROM feed_engagement WHERE user_id = ?`, uid)
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var topic string
		var n int
		if err := rows.Scan(&topic, &n); err != nil {
			return nil, err
		}
		out[topic] = n
	}
	return out, rows.Err()
}

// DeleteFeedEngagement forgets every count of the context user.
func (s *FeedService) DeleteFeedEngagement(ctx context.Context) error {
	uid, err := userID(ctx)
	if err != nil {
		return err
	}
	_, err = s.db.write.ExecContext(ctx, `DELETE FROM feed_engagement WHERE user_id = ?`, uid)
	return FormatError(err)
}

// eraseFeed deletes what an erased account kept in the feed: its posts, follows, marks and
// engagement, and others' follows of it.
func eraseFeed(ctx context.Context, tx *Tx, id int64) error {
	// Everyone's marks on the person's posts (labelled with their text) go first.
	if _, err := tx.ExecContext(ctx, `DELETE FROM feed_marks WHERE item IN (SELECT 'post:' || id FROM feed_posts WHERE author_id = ?)`, id); err != nil {
		return FormatError(err)
	}
	for _, q := range []string{
		`DELETE FROM feed_posts WHERE author_id = ?`,
		`DELETE FROM feed_follows WHERE ? IN (user_id, member_id)`,
		`DELETE FROM feed_marks WHERE user_id = ?`,
		`DELETE FROM feed_engagement WHERE user_id = ?`,
	} {
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return FormatError(err)
		}
	}
	return nil
}
