package genexport_test

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/beifen/beifen/internal/genexport"
)

func TestMutate(t *testing.T) {
	dir, gen := MustGenerate(t, 1)
	before := readTree(t, dir)
	oldMsgs := mustRead(t, dir, "sms-*.xml")
	st, err := genexport.Mutate(dir, 42)
	if err != nil {
		t.Fatalf("Mutate: %v", err)
	}
	after := readTree(t, dir)
	newMsgs := mustRead(t, dir, "sms-*.xml")

	t.Run("Stats", func(t *testing.T) {
		if st.SMS < 5 || st.SMS > 15 || st.Files != 4 || st.MMS != 0 || st.Calls != 0 || st.Contacts != 0 {
			t.Errorf("Stats=%+v, want about 10 SMS and 4 files", st)
		}
		if got := bytes.Count(newMsgs, []byte("<sms ")); got != gen.SMS+st.SMS {
			t.Errorf("<sms> rows=%d, want %d", got, gen.SMS+st.SMS)
		}
		if got := rootCount(t, newMsgs); got != gen.SMS+gen.MMS+st.SMS {
			t.Errorf("count=%d, want %d", got, gen.SMS+gen.MMS+st.SMS)
		}
		if got := treeBytes(after) - treeBytes(before); got != st.Bytes {
			t.Errorf("folder grew by %d bytes, Stats.Bytes=%d", got, st.Bytes)
		}
	})
	t.Run("NewFiles", func(t *testing.T) {
		added := newPaths(before, after)
		photo := regexp.MustCompile(`^DCIM/Camera/IMG_\d{8}_\d{6}\.jpg$`)
		rec := regexp.MustCompile(`^MIUI/sound_recorder/call_rec/通话录音@.+_\d{14}\.mp3$`)
		var photos, recs int
		for _, p := range added {
			switch {
			case photo.MatchString(p):
				photos++
			case rec.MatchString(p):
				recs++
			default:
				t.Errorf("unexpected new file %s", p)
			}
		}
		if photos != 3 || recs != 1 {
			t.Errorf("new photos=%d recordings=%d, want 3 and 1", photos, recs)
		}
	})
	t.Run("NothingElseChanged", func(t *testing.T) {
		for rel, f := range before {
			if after[rel] != f && !strings.HasPrefix(rel, "sms-") {
				t.Errorf("%s changed", rel)
			}
		}
	})
	t.Run("MessagesAppended", func(t *testing.T) {
		count := regexp.MustCompile(`<smses count="\d+"`)
		old := count.ReplaceAll(oldMsgs, nil)
		cur := count.ReplaceAll(newMsgs, nil)
		body := old[:bytes.LastIndex(old, []byte("</smses>"))]
		if !bytes.HasPrefix(cur, body) || !bytes.HasSuffix(cur, []byte("</smses>\n")) {
			t.Error("the rewritten file does not start with the old rows and end with </smses>")
		}
		decodeSBR(t, newMsgs)
	})
}

func TestMutate_Twice(t *testing.T) {
	dir, _ := MustGenerate(t, 1)
	before := readTree(t, dir)
	for range 2 {
		if _, err := genexport.Mutate(dir, 5); err != nil {
			t.Fatalf("Mutate: %v", err)
		}
	}
	after := readTree(t, dir)
	added := newPaths(before, after)
	if len(added) != 8 {
		t.Fatalf("new files after two Mutate calls=%d, want 8", len(added))
	}
	sums := map[[32]byte]string{}
	for _, p := range added {
		if other, dup := sums[after[p].sum]; dup {
			t.Errorf("%s and %s have the same bytes, want a new day to bring new content", p, other)
		}
		sums[after[p].sum] = p
	}
}

func TestMutate_NoExport(t *testing.T) {
	if _, err := genexport.Mutate(t.TempDir(), 1); err == nil {
		t.Error("Mutate of an empty folder: no error")
	}
}

func treeBytes(tree map[string]fileInfo) int64 {
	var n int64
	for _, f := range tree {
		n += f.size
	}
	return n
}

func newPaths(before, after map[string]fileInfo) []string {
	var out []string
	for rel := range after {
		if _, ok := before[rel]; !ok {
			out = append(out, filepath.ToSlash(rel))
		}
	}
	return out
}
