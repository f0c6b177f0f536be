package crm_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/crm"
	"github.com/beifen/beifen/disk"
	"github.com/beifen/beifen/keyring"
	"github.com/beifen/beifen/sqlite"
	"github.com/beifen/beifen/xlsx"
)

// BenchmarkImportLeads1M imports a 1,000,000-row .xlsx (name, numeric mobile, company) into a
// team on SQLite: read, normalised, deduplicated, checked against the do-not-call list, sealed
// and stored. Compare with BenchmarkExcelizeRows1M in package xlsx (reading alone).
func BenchmarkImportLeads1M(b *testing.B) {
	dir := b.TempDir()
	path := filepath.Join(dir, "leads.xlsx")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	err = xlsx.WriteReport(f, "", xlsx.Sheet{Name: "客户", Header: []string{"姓名", "手机号", "公司"},
		Rows: func(add func([]any) error) error {
			for i := 0; i < benchLeads(); i++ {
				if err := add([]any{"李雷", 13000000000 + i*7, "华为"}); err != nil {
					return err
				}
			}
			return nil
		}})
	f.Close()
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < b.N; i++ {
		ctx := benchTeam(b, filepath.Join(dir, "data"))
		s := ctx.Value(svcKey{}).(*crm.Service)
		in, _ := os.Open(path)
		b.ResetTimer()
		res, err := s.ImportLeads(ctx, "leads.xlsx", in, nil)
		b.StopTimer()
		in.Close()
		if err != nil || res.Imported != benchLeads() {
			b.Fatalf("import %+v, %v", res, err)
		}
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapSys)/(1<<20), "heap-sys-MiB")
}

type svcKey struct{}

// benchTeam opens a store in dir and returns a context signed in as a team admin, carrying the
// service.
func benchTeam(b *testing.B, dir string) context.Context {
	os.RemoveAll(dir)
	os.MkdirAll(dir, 0o700)
	db := sqlite.NewDB(filepath.Join(dir, "beifen.db"))
	if err := db.Open(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	master, err := keyring.LoadOrCreateMaster(filepath.Join(dir, "master.key"))
	if err != nil {
		b.Fatal(err)
	}
	s := crm.NewService(sqlite.NewStore(db), disk.NewStore(filepath.Join(dir, "blobs")), master, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx := context.Background()
	team := &beifen.Team{Name: "bench", TimeZone: "Asia/Shanghai"}
	if err := s.CreateTeam(ctx, team); err != nil {
		b.Fatal(err)
	}
	u := &beifen.User{PhoneHash: []byte("admin"), Sealed: []byte("x"), TeamID: team.ID, Role: beifen.RoleAdmin}
	if err := s.Store.Users.CreateUser(ctx, u); err != nil {
		b.Fatal(err)
	}
	return context.WithValue(beifen.NewContextWithUser(ctx, u), svcKey{}, s)
}

// benchLeads is the size of the import: 1,000,000, or BEIFEN_BENCH_ROWS.
func benchLeads() int {
	if n, err := strconv.Atoi(os.Getenv("BEIFEN_BENCH_ROWS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}
