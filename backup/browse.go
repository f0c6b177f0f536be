package backup

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/beifen/beifen"
)

var _ beifen.BrowseService = (*Service)(nil)

// threadIndex is where each message of a snapshot sits in its conversation. Building it opens
// every message once; pages then open only their own. Snapshots never change, so an index is
// kept until it falls out of the cache.
type threadIndex struct {
	threads []*thread // newest first
	byAddr  map[string]*thread
}

type thread struct {
	conv  beifen.Conversation
	ids   []int64 // record IDs, oldest first
	dates []int64
}

// indexCache keeps the indexes of the snapshots read last, across requests.
type indexCache struct {
	mu      sync.Mutex
	entries map[indexKey]*indexEntry
}

type indexKey struct{ user, snapshot int64 }

type indexEntry struct {
	once     sync.Once
	created  time.Time // the snapshot's, in case an erased account's ID comes back
	revision int64     // the snapshot's: a deletion on any replica changes it
	used     time.Time
	idx      *threadIndex
	err      error
}

// indexCacheSize is how many snapshot indexes stay in memory; one of 100,000 messages is a few
// MiB.
const indexCacheSize = 16

// get returns the index of snapshot sn as cached, or as build makes it: one built for an earlier
// revision of the snapshot is never returned.
func (c *indexCache) get(key indexKey, sn *beifen.Snapshot, build func() (*threadIndex, error)) (*threadIndex, error) {
	c.mu.Lock()
	if c.entries == nil {
		c.entries = map[indexKey]*indexEntry{}
	}
	e := c.entries[key]
	if e == nil || !e.created.Equal(sn.CreatedAt) || e.revision != sn.Revision {
		if len(c.entries) >= indexCacheSize {
			var oldest indexKey
			var at time.Time
			for k, v := range c.entries {
				if at.IsZero() || v.used.Before(at) {
					oldest, at = k, v.used
				}
			}
			delete(c.entries, oldest)
		}
		e = &indexEntry{created: sn.CreatedAt, revision: sn.Revision}
		c.entries[key] = e
	}
	e.used = time.Now()
	c.mu.Unlock()
	e.once.Do(func() { e.idx, e.err = build() })
	if e.err != nil {
		c.mu.Lock()
		if c.entries[key] == e {
			delete(c.entries, key)
		}
		c.mu.Unlock()
	}
	return e.idx, e.err
}

// forget drops the cached indexes of one user (all users when user is 0).
func (c *indexCache) forget(user int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.entries {
		if user == 0 || k.user == user {
			delete(c.entries, k)
		}
	}
}

// DropBrowseCache forgets every conversation index kept in memory; the next page builds its
// index again (for benchmarks of the first page a user sees).
func (s *Service) DropBrowseCache() { s.threads.forget(0) }

// index returns the conversation index of snapshot id of the context's user.
func (s *Service) index(ctx context.Context, a *account, id int64) (*threadIndex, error) {
	sn, err := s.Store.Snapshots.FindSnapshotByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.threads.get(indexKey{a.id, id}, sn, func() (*threadIndex, error) {
		// Built and stored only while no deletion of the account's items runs on this replica; an
		// index already in memory needs no lock (a deletion drops it under the write lock). A
		// deletion on another replica changes the snapshot's revision instead: see keepIndex.
		l := s.indexLock(a.id)
		l.RLock()
		defer l.RUnlock()
		idx, err := s.loadIndex(ctx, a, sn)
		if err == nil {
			return idx, nil
		} else if beifen.ErrorCode(err) != beifen.ENOTFOUND {
			s.Logger.WarnContext(ctx, "conversation index unreadable; rebuilding", "user_id", a.id, "snapshot_id", id, "err", err)
		}
		if idx, err = s.buildIndex(ctx, a, id); err != nil {
			return nil, err
		}
		s.keepIndex(ctx, a, sn, idx)
		return idx, nil
	})
}

// keepIndex stores the index of sn, built from its records as of sn.Revision, for the next
// reader; and takes it back if the snapshot changed meanwhile. A deletion (on any replica)
// changes the revision before it removes the stored indexes of the one before: either it finds
// this one, or this check finds the new revision. So no stored index names a deleted item.
func (s *Service) keepIndex(ctx context.Context, a *account, sn *beifen.Snapshot, idx *threadIndex) {
	if err := s.storeIndex(ctx, a, sn, idx); err != nil {
		s.Logger.WarnContext(ctx, "conversation index not stored", "user_id", a.id, "snapshot_id", sn.ID, "err", err)
		return
	}
	now, err := s.Store.Snapshots.FindSnapshotByID(ctx, sn.ID)
	if err == nil && now.Revision == sn.Revision && now.CreatedAt.Equal(sn.CreatedAt) {
		return
	}
	if err := s.Blobs.Delete(ctx, a.indexName(sn)); err != nil && beifen.ErrorCode(err) != beifen.ENOTFOUND {
		s.Logger.ErrorContext(ctx, "conversation index of an older revision not removed", "user_id", a.id, "snapshot_id", sn.ID, "err", err)
	}
}

// indexName is where the sealed conversation index of snapshot sn at its revision is kept.
func (a *account) indexName(sn *beifen.Snapshot) string {
	if sn.Revision == 0 { // as named before snapshots had revisions
		return "index-" + a.keys.BlobName(fmt.Sprintf("beifen thread index\x00%d", sn.ID))
	}
	return "index-" + a.keys.BlobName(fmt.Sprintf("beifen thread index\x00%d\x00%d", sn.ID, sn.Revision))
}

// indexVersion tags the stored index format.
const indexVersion = 1

// storeIndex keeps an index beside the blobs, sealed under the account key, so the first page
// a user opens after a restart reads it instead of every message.
func (s *Service) storeIndex(ctx context.Context, a *account, sn *beifen.Snapshot, idx *threadIndex) error {
	b := binary.AppendUvarint(nil, indexVersion)
	b = binary.AppendUvarint(b, uint64(len(idx.threads)))
	str := func(v string) { b = binary.AppendUvarint(b, uint64(len(v))); b = append(b, v...) }
	for _, t := range idx.threads {
		str(t.conv.Address)
		str(t.conv.Name)
		str(t.conv.Snippet)
		b = binary.AppendVarint(b, t.conv.Last.UnixMilli())
		b = binary.AppendUvarint(b, uint64(len(t.ids)))
		var prevID, prevDate int64
		for i := range t.ids {
			b = binary.AppendVarint(b, t.ids[i]-prevID)
			b = binary.AppendVarint(b, t.dates[i]-prevDate)
			prevID, prevDate = t.ids[i], t.dates[i]
		}
	}
	return a.blobs.Put(ctx, a.indexName(sn), bytes.NewReader(b), int64(len(b)))
}

// loadIndex reads a stored index; ENOTFOUND if there is none.
func (s *Service) loadIndex(ctx context.Context, a *account, sn *beifen.Snapshot) (*threadIndex, error) {
	rc, err := a.blobs.Open(ctx, a.indexName(sn))
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		return nil, err
	}
	d := &decoder{b: b}
	if v := d.uvarint(); v != indexVersion {
		return nil, beifen.Errorf(beifen.ENOTFOUND, "index version %d", v)
	}
	n := d.count()
	idx := &threadIndex{byAddr: make(map[string]*thread, n), threads: make([]*thread, 0, n)}
	for i := 0; i < n && d.err == nil; i++ {
		t := &thread{}
		t.conv.Address, t.conv.Name, t.conv.Snippet = d.str(), d.str(), d.str()
		t.conv.Last = time.UnixMilli(d.varint()).UTC()
		m := d.count()
		t.conv.Count = m
		t.ids, t.dates = make([]int64, m), make([]int64, m)
		var id, date int64
		for j := 0; j < m && d.err == nil; j++ {
			id, date = id+d.varint(), date+d.varint()
			t.ids[j], t.dates[j] = id, date
		}
		idx.threads = append(idx.threads, t)
		idx.byAddr[beifen.NormalizeAddress(t.conv.Address)] = t
	}
	if d.err != nil {
		return nil, fmt.Errorf("stored index of snapshot %d: %w", sn.ID, d.err)
	}
	return idx, nil
}

func (s *Service) buildIndex(ctx context.Context, a *account, id int64) (*threadIndex, error) {
	names := map[string]string{}
	if err := each(ctx, s, a, id, beifen.KindContact, func(c *beifen.Contact) error {
		name := c.DisplayName()
		for _, tel := range c.PropValues("TEL") {
			names[beifen.NormalizeAddress(strings.TrimPrefix(tel, "tel:"))] = name
		}
		return nil
	}); err != nil {
		return nil, err
	}
	idx := &threadIndex{byAddr: map[string]*thread{}}
	pool := map[string]string{}
	for _, kind := range []beifen.RecordKind{beifen.KindSMS, beifen.KindMMS} {
		err := s.Store.Snapshots.SnapshotRecords(ctx, id, kind, func(r *beifen.Record) error {
			var m beifen.Message
			if err := a.open(r, &m, pool); err != nil {
				return err
			}
			key := beifen.NormalizeAddress(m.Address())
			t := idx.byAddr[key]
			if t == nil {
				t = &thread{conv: beifen.Conversation{Name: names[key]}}
				idx.byAddr[key] = t
				idx.threads = append(idx.threads, t)
			}
			d := m.Date()
			t.ids, t.dates = append(t.ids, r.ID), append(t.dates, d)
			if t.conv.Count == 0 || d >= t.conv.Last.UnixMilli() {
				t.conv.Address, t.conv.Last, t.conv.Snippet = m.Address(), time.UnixMilli(d).UTC(), snippet(m.Body())
			}
			if t.conv.Name == "" {
				if n := m.Attrs.Value("contact_name"); n != "" && n != "null" && n != "(Unknown)" {
					t.conv.Name = n
				}
			}
			t.conv.Count++
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	for _, t := range idx.threads {
		order := make([]int, len(t.ids))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(i, j int) int {
			return cmp.Or(cmp.Compare(t.dates[i], t.dates[j]), cmp.Compare(t.ids[i], t.ids[j]))
		})
		ids, dates := make([]int64, len(order)), make([]int64, len(order))
		for i, o := range order {
			ids[i], dates[i] = t.ids[o], t.dates[o]
		}
		t.ids, t.dates = ids, dates
	}
	slices.SortStableFunc(idx.threads, func(x, y *thread) int { return y.conv.Last.Compare(x.conv.Last) })
	s.Logger.InfoContext(ctx, "conversation index built", "user_id", a.id, "snapshot_id", id, "conversations", len(idx.threads))
	return idx, nil
}

// snippet is the start of a message body, for a conversation list.
func snippet(s string) string {
	const n = 60
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// FindConversations returns the snapshot's conversations, newest first.
func (s *Service) FindConversations(ctx context.Context, id int64, page beifen.Page) ([]*beifen.Conversation, int, error) {
	a, err := s.account(ctx)
	if err != nil {
		return nil, 0, err
	}
	idx, err := s.index(ctx, a, id)
	if err != nil {
		return nil, 0, err
	}
	off, lim := page.Bounds()
	out := []*beifen.Conversation{}
	for i := off; i < len(idx.threads) && i < off+lim; i++ {
		c := idx.threads[i].conv
		out = append(out, &c)
	}
	return out, len(idx.threads), nil
}

// FindMessages returns one page of a conversation: Offset counts back from the newest message,
// and the page lists oldest first.
func (s *Service) FindMessages(ctx context.Context, id int64, f beifen.MessageFilter) (*beifen.Conversation, []*beifen.Message, error) {
	a, err := s.account(ctx)
	if err != nil {
		return nil, nil, err
	}
	idx, err := s.index(ctx, a, id)
	if err != nil {
		return nil, nil, err
	}
	t := idx.byAddr[beifen.NormalizeAddress(f.Address)]
	if t == nil {
		return nil, nil, beifen.Errorf(beifen.ENOTFOUND, "There is no conversation with this number in the snapshot.")
	}
	conv := t.conv
	off, lim := f.Bounds()
	end := len(t.ids) - off
	if end <= 0 {
		return &conv, []*beifen.Message{}, nil
	}
	ids := t.ids[max(end-lim, 0):end]
	recs, err := s.Store.Records.FindRecordsByIDs(ctx, slices.Sorted(slices.Values(ids)))
	if err != nil {
		return nil, nil, err
	}
	byID := make(map[int64]*beifen.Message, len(recs))
	pool := map[string]string{}
	for _, r := range recs {
		m := new(beifen.Message)
		if err := a.open(r, m, pool); err != nil {
			return nil, nil, err
		}
		byID[r.ID] = m
	}
	out := make([]*beifen.Message, 0, len(ids))
	for _, rid := range ids {
		if m := byID[rid]; m != nil {
			out = append(out, m)
		}
	}
	return &conv, out, nil
}

// FindContacts returns the snapshot's contacts whose name, number or e-mail contains the query,
// by name.
func (s *Service) FindContacts(ctx context.Context, id int64, f beifen.ContactFilter) ([]*beifen.Contact, int, error) {
	a, err := s.account(ctx)
	if err != nil {
		return nil, 0, err
	}
	q := strings.ToLower(strings.TrimSpace(f.Query))
	qDigits := digits(q)
	var all []*beifen.Contact
	err = each(ctx, s, a, id, beifen.KindContact, func(c *beifen.Contact) error {
		if q == "" || contactMatches(c, q, qDigits) {
			all = append(all, c)
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	slices.SortStableFunc(all, func(x, y *beifen.Contact) int { return strings.Compare(x.DisplayName(), y.DisplayName()) })
	off, lim := f.Bounds()
	return pageOf(all, off, lim), len(all), nil
}

func contactMatches(c *beifen.Contact, q, qDigits string) bool {
	if strings.Contains(strings.ToLower(c.DisplayName()), q) {
		return true
	}
	for _, e := range c.PropValues("EMAIL") {
		if strings.Contains(strings.ToLower(e), q) {
			return true
		}
	}
	if qDigits == "" {
		return false
	}
	for _, tel := range c.PropValues("TEL") {
		if strings.Contains(digits(tel), qDigits) {
			return true
		}
	}
	return false
}

// digits keeps the digits of s, so "138 0013" finds "+86 138-0013-8000".
func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// FindCalls returns the snapshot's calls that match, newest first.
func (s *Service) FindCalls(ctx context.Context, id int64, f beifen.CallFilter) ([]*beifen.Call, int, error) {
	a, err := s.account(ctx)
	if err != nil {
		return nil, 0, err
	}
	q := strings.ToLower(strings.TrimSpace(f.Query))
	qDigits := digits(q)
	var all []*beifen.Call
	err = each(ctx, s, a, id, beifen.KindCall, func(c *beifen.Call) error {
		if f.Type != "" && c.Attrs.Value("type") != f.Type {
			return nil
		}
		if q != "" && !strings.Contains(strings.ToLower(c.Attrs.Value("contact_name")), q) &&
			(qDigits == "" || !strings.Contains(digits(c.Number()), qDigits)) {
			return nil
		}
		all = append(all, c)
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	slices.SortStableFunc(all, func(x, y *beifen.Call) int { return cmp.Compare(y.Date(), x.Date()) })
	off, lim := f.Bounds()
	return pageOf(all, off, lim), len(all), nil
}

func pageOf[T any](all []T, off, lim int) []T {
	if off >= len(all) {
		return []T{}
	}
	return all[off:min(off+lim, len(all))]
}
