package postgres_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	mathrand "math/rand/v2"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/postgres"
	"github.com/beifen/beifen/storetest"
	_ "github.com/jackc/pgx/v5/stdlib"
)

// MustCreateSchema creates a schema with a random name, drops it after the test and returns the
// test server's DSN with search_path set to it. It skips the test unless BEIFEN_TEST_POSTGRES_DSN
// is set.
func MustCreateSchema(tb testing.TB) string {
	tb.Helper()
	dsn := os.Getenv("BEIFEN_TEST_POSTGRES_DSN")
	if dsn == "" {
		tb.Skip("BEIFEN_TEST_POSTGRES_DSN not set")
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		tb.Fatal(err)
	}
	name := "beifen_test_" + strings.ToLower(rand.Text()[:12])
	if _, err := admin.Exec(`CREATE SCHEMA ` + name); err != nil {
		admin.Close()
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		if _, err := admin.Exec(`DROP SCHEMA ` + name + ` CASCADE`); err != nil {
			tb.Errorf("drop schema: %v", err)
		}
		admin.Close()
	})
	return withSearchPath(dsn, name)
}

// withSearchPath adds search_path to a URL or keyword/value DSN.
func withSearchPath(dsn, schema string) string {
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
	return dsn + " search_path=" + schema
}

// MustOpenDB opens dsn and closes it after the test.
func MustOpenDB(tb testing.TB, dsn string) *postgres.DB {
	tb.Helper()
	db := postgres.NewDB(dsn)
	if err := db.Open(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(tb testing.TB) storetest.Services {
		db := MustOpenDB(tb, MustCreateSchema(tb))
		return storetest.Services{Store: postgres.NewStore(db), Schema: db.Schema}
	})
}

func TestAutoMigrateOff(t *testing.T) {
	dsn := MustCreateSchema(t)
	db := postgres.NewDB(dsn)
	db.AutoMigrate = false
	if err := db.Open(); err == nil {
		db.Close()
		t.Fatal("Open of an empty schema with AutoMigrate off succeeded, want an out-of-date schema error")
	}
	db.Close()
	MustOpenDB(t, dsn) // migrates
	db = postgres.NewDB(dsn)
	db.AutoMigrate = false
	if err := db.Open(); err != nil {
		t.Fatalf("Open of a migrated schema with AutoMigrate off: %v", err)
	}
	defer db.Close()
	if pending, err := db.Pending(); err != nil || len(pending) != 0 {
		t.Fatalf("Pending=%v, %v; want none", pending, err)
	}
}

// Replicas starting at once must not both migrate.
func TestOpenConcurrently(t *testing.T) {
	dsn := MustCreateSchema(t)
	errs := make([]error, 4)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Go(func() {
			db := postgres.NewDB(dsn)
			errs[i] = db.Open()
			db.Close()
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("Open %d: %v", i, err)
		}
	}
}

// mustUser creates a user on db and returns a context signed in as it.
func mustUser(tb testing.TB, db *postgres.DB) context.Context {
	tb.Helper()
	u := &beifen.User{PhoneHash: []byte(rand.Text()), Sealed: []byte("sealed")}
	if err := postgres.NewUserService(db).CreateUser(context.Background(), u); err != nil {
		tb.Fatal(err)
	}
	return beifen.NewContextWithUser(context.Background(), u)
}

// newRecords returns n unsaved records named prefix0..prefixN.
func newRecords(prefix string, n int) []*beifen.Record {
	recs := make([]*beifen.Record, n)
	for i := range recs {
		v := fmt.Sprint(prefix, i)
		recs[i] = &beifen.Record{Kind: beifen.KindSMS, Ident: []byte(v), Version: []byte(v), Payload: []byte("sealed " + v)}
	}
	return recs
}

// mustPutRecords stores n new records of the context's user and returns their IDs.
func mustPutRecords(tb testing.TB, db *postgres.DB, ctx context.Context, prefix string, n int) []int64 {
	tb.Helper()
	recs := newRecords(prefix, n)
	if err := postgres.NewRecordService(db).PutRecords(ctx, recs); err != nil {
		tb.Fatal(err)
	}
	return recordIDs(recs)
}

func recordIDs(recs []*beifen.Record) []int64 {
	ids := make([]int64, len(recs))
	for i, r := range recs {
		ids[i] = r.ID
	}
	return ids
}

// Storing records again must not try to insert them: each try would burn an ID (and leave a
// dead tuple), so the next new record would not get the next ID.
func TestPutRecordsExistingSkipsInsert(t *testing.T) {
	db := MustOpenDB(t, MustCreateSchema(t))
	ctx, recs := mustUser(t, db), postgres.NewRecordService(db)
	first := newRecords("a", 100)
	if err := recs.PutRecords(ctx, first); err != nil {
		t.Fatal(err)
	}
	again := append(newRecords("a", 100), newRecords("b", 1)...)
	if err := recs.PutRecords(ctx, again); err != nil {
		t.Fatal(err)
	}
	if got, want := recordIDs(again[:100]), recordIDs(first); !slices.Equal(got, want) {
		t.Fatalf("IDs=%v, want %v", got, want)
	}
	if got, want := again[100].ID, first[99].ID+1; got != want {
		t.Fatalf("new record ID=%d, want %d", got, want)
	}
}

// Replicas storing the same records at once must agree on their IDs.
func TestPutRecordsConcurrently(t *testing.T) {
	dsn := MustCreateSchema(t)
	db := MustOpenDB(t, dsn)
	ctx := mustUser(t, db)
	const n, replicas = 3000, 4
	got := make([][]int64, replicas)
	errs := make([]error, replicas)
	var wg sync.WaitGroup
	for i := range replicas {
		rdb := MustOpenDB(t, dsn)
		wg.Go(func() {
			recs := newRecords("r", n)
			errs[i] = postgres.NewRecordService(rdb).PutRecords(ctx, recs)
			got[i] = recordIDs(recs)
		})
	}
	wg.Wait()
	for i := range replicas {
		if errs[i] != nil {
			t.Fatalf("replica %d: %v", i, errs[i])
		}
		if slices.Contains(got[i], 0) || !slices.Equal(got[i], got[0]) {
			t.Fatalf("replica %d got IDs %v..., replica 0 %v...", i, got[i][:5], got[0][:5])
		}
	}
	stored := 0
	err := postgres.NewRecordService(db).ScanRecords(ctx, func(*beifen.Record) error { stored++; return nil })
	if err != nil || stored != n {
		t.Fatalf("stored %d records (%v), want %d", stored, err, n)
	}
}

// Replicas committing snapshots of one user at once must each get exactly the records they
// committed.
func TestCreateSnapshotConcurrently(t *testing.T) {
	dsn := MustCreateSchema(t)
	db := MustOpenDB(t, dsn)
	ctx := mustUser(t, db)
	all := mustPutRecords(t, db, ctx, "s", 200)
	const replicas, rounds = 4, 10
	want := map[int64][]int64{}
	var mu sync.Mutex
	errs := make([]error, replicas)
	var wg sync.WaitGroup
	for i := range replicas {
		snaps := postgres.NewSnapshotService(MustOpenDB(t, dsn))
		wg.Go(func() {
			for j := range rounds {
				ids := all[(i*rounds+j)%50 : 100+(i*rounds+j)%100] // overlapping, shifting sets
				sn := &beifen.Snapshot{}
				if errs[i] = snaps.CreateSnapshot(ctx, sn, ids); errs[i] != nil {
					return
				}
				mu.Lock()
				want[sn.ID] = ids
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("replica %d: %v", i, err)
		}
	}
	snaps := postgres.NewSnapshotService(db)
	for id, ids := range want {
		refs, err := snaps.SnapshotRefs(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		got := make([]int64, len(refs))
		for i, ref := range refs {
			got[i] = ref.ID
		}
		if !slices.Equal(got, ids) {
			t.Fatalf("snapshot %d holds %d records, want %d", id, len(got), len(ids))
		}
	}
}

// Replicas deleting items of one user while others commit snapshots of that user must leave
// every snapshot holding only records that exist, each once: a commit plans from the runs it
// read, and a deletion splits runs.
func TestDeleteRecordsWhileCommitting(t *testing.T) {
	dsn := MustCreateSchema(t)
	db := MustOpenDB(t, dsn)
	ctx := mustUser(t, db)
	all := mustPutRecords(t, db, ctx, "d", 300)
	if err := postgres.NewSnapshotService(db).CreateSnapshot(ctx, &beifen.Snapshot{}, all); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var deleteErr error
	deleter := postgres.NewRecordService(MustOpenDB(t, dsn))
	wg.Go(func() {
		for i := 1; i < len(all); i += 3 { // one record from the middle of every three
			if _, deleteErr = deleter.DeleteRecords(ctx, []beifen.RecordDeletion{{ID: all[i], Kind: beifen.KindSMS}}); deleteErr != nil {
				return
			}
		}
	})
	for c := range 2 {
		cdb := MustOpenDB(t, dsn)
		committer, reader := postgres.NewSnapshotService(cdb), postgres.NewRecordService(cdb)
		wg.Go(func() {
			rng := mathrand.New(mathrand.NewPCG(uint64(c), 1))
			for range 60 {
				// Commit most of the records that exist now; one deleted meanwhile makes the
				// commit fail, and that is fine.
				found, err := reader.FindRecordsByIDs(ctx, all)
				if err != nil {
					return
				}
				var ids []int64
				for _, r := range found {
					if rng.IntN(10) > 0 {
						ids = append(ids, r.ID)
					}
				}
				committer.CreateSnapshot(ctx, &beifen.Snapshot{}, ids)
			}
		})
	}
	wg.Wait()
	if deleteErr != nil {
		t.Fatal(deleteErr)
	}
	exists := map[int64]bool{}
	found, err := postgres.NewRecordService(db).FindRecordsByIDs(ctx, all)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range found {
		exists[r.ID] = true
	}
	if len(exists) != len(all)-len(all)/3 {
		t.Fatalf("%d records left, want %d", len(exists), len(all)-len(all)/3)
	}
	snaps := postgres.NewSnapshotService(db)
	list, _, err := snaps.FindSnapshots(ctx, beifen.SnapshotFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, sn := range list {
		refs, err := snaps.SnapshotRefs(ctx, sn.ID)
		if err != nil {
			t.Fatal(err)
		}
		for i, ref := range refs {
			if !exists[ref.ID] || (i > 0 && ref.ID <= refs[i-1].ID) {
				t.Fatalf("snapshot %d lists record %d (exists: %v) after %d", sn.ID, ref.ID, exists[ref.ID], refs[max(i-1, 0)].ID)
			}
		}
		if sn.Messages != len(refs) {
			t.Fatalf("snapshot %d counts %d messages and lists %d", sn.ID, sn.Messages, len(refs))
		}
	}
}

// Collecting orphans on one replica while another commits snapshots of the same user must
// never delete a record a committed snapshot holds.
func TestDeleteOrphansWhileCommitting(t *testing.T) {
	dsn := MustCreateSchema(t)
	db := MustOpenDB(t, dsn)
	ctx := mustUser(t, db)
	done := make(chan struct{})
	var wg sync.WaitGroup
	collector := postgres.NewRecordService(MustOpenDB(t, dsn))
	var gcErr error
	wg.Go(func() {
		for {
			select {
			case <-done:
				return
			default:
			}
			if _, gcErr = collector.DeleteOrphanRecords(ctx, time.Now().Add(time.Hour)); gcErr != nil {
				return
			}
		}
	})
	// Each round stores new records, orphans until the snapshot that follows holds them: a
	// collection between the two may delete them (the commit then fails), never after.
	cdb := MustOpenDB(t, dsn)
	records, committer := postgres.NewRecordService(cdb), postgres.NewSnapshotService(cdb)
	for round := range 60 {
		recs := newRecords(fmt.Sprint("o", round, "-"), 20)
		if err := records.PutRecords(ctx, recs); err != nil {
			t.Fatal(err)
		}
		committer.CreateSnapshot(ctx, &beifen.Snapshot{}, recordIDs(recs))
	}
	close(done)
	wg.Wait()
	if gcErr != nil {
		t.Fatal(gcErr)
	}
	snaps := postgres.NewSnapshotService(db)
	list, _, err := snaps.FindSnapshots(ctx, beifen.SnapshotFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, sn := range list {
		refs, err := snaps.SnapshotRefs(ctx, sn.ID)
		if err != nil {
			t.Fatal(err)
		}
		if sn.Messages != len(refs) {
			t.Fatalf("snapshot %d counts %d messages and holds %d", sn.ID, sn.Messages, len(refs))
		}
	}
	if len(list) == 0 {
		t.Fatal("no commit got past the collector")
	}
}

// BenchmarkPutRecords stores 300,000 new records in one call (New), then the same records again
// (Existing), as the first and a later backup of a large phone would.
func BenchmarkPutRecords(b *testing.B) {
	const n = 300_000
	db := MustOpenDB(b, MustCreateSchema(b))
	recs := postgres.NewRecordService(db)
	var ctx context.Context
	var stored []*beifen.Record
	b.Run("New", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			ctx, stored = mustUser(b, db), randomRecords(n)
			b.StartTimer()
			if err := recs.PutRecords(ctx, stored); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "records/s")
	})
	b.Run("Existing", func(b *testing.B) {
		for b.Loop() {
			again := make([]*beifen.Record, n)
			for i, r := range stored {
				again[i] = &beifen.Record{Kind: r.Kind, Ident: r.Ident, Version: r.Version, Payload: r.Payload}
			}
			if err := recs.PutRecords(ctx, again); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "records/s")
	})
}

// BenchmarkFindScattered reads 1,000 records scattered over 300,000, as deleting the items a
// user picked or a page of one conversation does.
func BenchmarkFindScattered(b *testing.B) {
	const n = 300_000
	db := MustOpenDB(b, MustCreateSchema(b))
	recs := postgres.NewRecordService(db)
	ctx, stored := mustUser(b, db), randomRecords(n)
	if err := recs.PutRecords(ctx, stored); err != nil {
		b.Fatal(err)
	}
	var ids []int64
	for i := 0; i < n; i += n / 1000 {
		ids = append(ids, stored[i].ID)
	}
	for b.Loop() {
		if got, err := recs.FindRecordsByIDs(ctx, ids); err != nil || len(got) != len(ids) {
			b.Fatalf("found %d of %d, %v", len(got), len(ids), err)
		}
	}
}

// randomRecords returns n records shaped like real ones: random 32-byte versions (keyed hashes)
// and 200-byte payloads.
func randomRecords(n int) []*beifen.Record {
	recs := make([]*beifen.Record, n)
	for i := range recs {
		v := make([]byte, 32)
		rand.Read(v)
		payload := make([]byte, 200)
		rand.Read(payload)
		recs[i] = &beifen.Record{Kind: beifen.KindSMS, Ident: v[:16], Version: v, Payload: payload}
	}
	return recs
}

// A number repeated in one CreateLeads call is inserted once: the first copy gets the ID, in
// input order, and later copies keep ID 0. Owned leads are not unassigned.
func TestCreateLeadsRepeatsInBatch(t *testing.T) {
	db := MustOpenDB(t, MustCreateSchema(t))
	ctx := context.Background()
	team := &beifen.Team{Name: "t", TimeZone: "Asia/Shanghai", PoolDays: 30}
	if err := postgres.NewTeamService(db).CreateTeam(ctx, team); err != nil {
		t.Fatal(err)
	}
	u := &beifen.User{PhoneHash: []byte(rand.Text()), Sealed: []byte("s"), TeamID: team.ID, Role: beifen.RoleStaff}
	if err := postgres.NewUserService(db).CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	mctx := beifen.NewContextWithUser(ctx, u)
	lead := func(h string, owner int64) *beifen.Lead {
		return &beifen.Lead{PhoneHash: []byte(h), Sealed: []byte("s"), OwnerID: owner}
	}
	leads := []*beifen.Lead{lead("a", u.ID), lead("b", 0), lead("a", 0), lead("c", 0)}
	svc := postgres.NewLeadService(db)
	if err := svc.CreateLeads(mctx, leads); err != nil {
		t.Fatal(err)
	}
	a, b, dup, c := leads[0].ID, leads[1].ID, leads[2].ID, leads[3].ID
	if a == 0 || dup != 0 || b <= a || c <= b {
		t.Fatalf("IDs %d %d %d %d, want ascending with the repeat 0", a, b, dup, c)
	}
	unowned := int64(0)
	if _, n, err := svc.FindLeads(mctx, beifen.LeadFilter{OwnerID: &unowned}); err != nil || n != 2 {
		t.Fatalf("unassigned=%d, %v; want 2", n, err)
	}
	got, n, err := svc.FindLeads(mctx, beifen.LeadFilter{OwnerID: &u.ID})
	if err != nil || n != 1 || got[0].ID != a || got[0].OwnerID != u.ID {
		t.Fatalf("owned=%d, %v; want lead %d", n, err, a)
	}
}

// Many users storing records at once on one replica must not stop it: each store holds a
// connection for its transaction and takes its record IDs outside it.
func TestPutRecordsManyUsers(t *testing.T) {
	db := MustOpenDB(t, MustCreateSchema(t))
	const users = 40
	ctxs := make([]context.Context, users)
	for i := range ctxs {
		ctxs[i] = mustUser(t, db)
	}
	errs := make([]error, users)
	var wg sync.WaitGroup
	for i := range users {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(ctxs[i], 20*time.Second)
			defer cancel()
			for j := range 5 {
				if errs[i] = postgres.NewRecordService(db).PutRecords(ctx, newRecords(fmt.Sprint("m", j, "-"), 500)); errs[i] != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("user %d: %v", i, err)
		}
	}
}
