package xlsx_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/xlsx"
)

// dirNames lists the names in dir.
func dirNames(tb testing.TB, dir string) []string {
	tb.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// The workbook's copy lives in the given directory while it is read, and nothing is left
// there afterwards, whether the read ends normally or fn stops it.
func TestDecodeLeadsTempDir(t *testing.T) {
	for _, stop := range []error{nil, errors.New("stop")} {
		dir := t.TempDir()
		var during []string
		err := xlsx.DecodeLeads(bytes.NewReader(mustLeadsXLSX(t)), "a.xlsx", dir, func(*beifen.LeadRow) error {
			if during == nil {
				during = dirNames(t, dir)
			}
			return stop
		})
		if !errors.Is(err, stop) {
			t.Fatalf("stop=%v: err=%v", stop, err)
		}
		if len(during) == 0 || !strings.HasPrefix(during[0], "beifen-xlsx-") {
			t.Errorf("stop=%v: during the read the directory held %q, want the workbook's copy", stop, during)
		}
		if left := dirNames(t, dir); len(left) != 0 {
			t.Errorf("stop=%v: left behind %q", stop, left)
		}
	}
}

// A report large enough for excelize to buffer rows on disk does so in the given directory
// and leaves nothing there.
func TestWriteReportTempDir(t *testing.T) {
	dir := t.TempDir()
	var seen []string
	rows := func(add func([]any) error) error {
		for i := range 400_000 {
			if i == 399_999 {
				seen = dirNames(t, dir)
			}
			if err := add([]any{"客户名称比较长的一行", 13800000000 + i, "北京市朝阳区某某路一号"}); err != nil {
				return err
			}
		}
		return nil
	}
	var out bytes.Buffer
	if err := xlsx.WriteReport(&out, dir, xlsx.Sheet{Name: "明细", Header: []string{"姓名", "手机号", "地址"}, Rows: rows}); err != nil {
		t.Fatal(err)
	}
	if len(seen) == 0 {
		t.Errorf("no rows were buffered in %s", dir)
	}
	if left := dirNames(t, dir); len(left) != 0 {
		t.Errorf("left behind %q", left)
	}
}

func TestSweepTempDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tmp")
	now := time.Now()
	removed, err := xlsx.SweepTempDir(dir, now)
	if err != nil || removed != 0 {
		t.Fatalf("new dir: removed %d, err %v", removed, err)
	}
	info, err := os.Stat(dir)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o700 {
		t.Errorf("mode %o, want 700", perm)
	}
	for name, age := range map[string]time.Duration{"old": xlsx.StaleTemp + time.Minute, "fresh": time.Hour} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("13800138000"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, now.Add(-age), now.Add(-age)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o700); err != nil {
		t.Fatal(err)
	}
	removed, err = xlsx.SweepTempDir(dir, now)
	if err != nil || removed != 1 {
		t.Fatalf("removed %d, err %v; want 1", removed, err)
	}
	got := strings.Join(dirNames(t, dir), ",")
	if got != "fresh,sub" {
		t.Errorf("left %q, want fresh,sub", got)
	}
}
