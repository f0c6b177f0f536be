package backup

import (
	"slices"
	"testing"

	"github.com/beifen/beifen"
)

func TestIDList(t *testing.T) {
	for _, ids := range [][]int64{nil, {1}, {1, 2, 3}, {5, 1 << 40, 1<<40 + 1}} {
		got, err := decodeIDs(encodeIDs(ids))
		if err != nil || !slices.Equal(got, ids) {
			t.Fatalf("decodeIDs(encodeIDs(%v))=%v, %v", ids, got, err)
		}
	}
	if _, err := decodeIDs([]byte{0x80}); err == nil {
		t.Fatal("a cut varint decoded")
	}
	if got := sortedUnique([]int64{3, 1, 3, 2, 1}); !slices.Equal(got, []int64{1, 2, 3}) {
		t.Fatalf("sortedUnique=%v, want [1 2 3]", got)
	}
}

func TestDiffRefs(t *testing.T) {
	ref := func(kind beifen.RecordKind, ident, version string) beifen.RecordRef {
		return beifen.RecordRef{Kind: kind, Ident: []byte(ident), Version: []byte(version)}
	}
	a := []beifen.RecordRef{ref(beifen.KindContact, "uid1", "v1"), ref(beifen.KindContact, "uid2", "v1"),
		ref(beifen.KindSMS, "s1", "v"), ref(beifen.KindFile, "DCIM/a.jpg", "h1")}
	b := []beifen.RecordRef{ref(beifen.KindContact, "uid1", "v2"), ref(beifen.KindSMS, "s1", "v"),
		ref(beifen.KindMMS, "m1", "v"), ref(beifen.KindSMS, "s2", "v"), ref(beifen.KindFile, "DCIM/a.jpg", "h1")}
	got := diffRefs(a, b)
	want := &beifen.SnapshotDiff{
		Contacts: beifen.DiffCount{Removed: 1, Changed: 1},
		Messages: beifen.DiffCount{Added: 2},
	}
	if *got != *want {
		t.Fatalf("diffRefs=%+v, want %+v", *got, *want)
	}
}

func TestCheckFile(t *testing.T) {
	hash := beifen.BlobKey("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
	for _, tt := range []struct {
		path string
		ok   bool
	}{
		{"DCIM/Camera/IMG_1.jpg", true}, {"通话录音@李雷(13612345678)_20260301093015.mp3", true},
		{"", false}, {"/etc/passwd", false}, {"../x", false}, {"a/../../x", false}, {"a//b", false},
		{"a\\b", false}, {"..", false}, {"./a", false},
	} {
		err := checkFile(&beifen.File{Path: tt.path, Hash: hash})
		if (err == nil) != tt.ok {
			t.Errorf("checkFile(%q)=%v, want ok=%v", tt.path, err, tt.ok)
		}
	}
	if err := checkFile(&beifen.File{Path: "a", Hash: "nothex"}); beifen.ErrorCode(err) != beifen.EINVALID {
		t.Errorf("bad hash: %v", err)
	}
}

func TestParts(t *testing.T) {
	for _, tt := range []struct {
		size int64
		want int
	}{{0, 1}, {1, 1}, {beifen.UploadPartSize, 1}, {beifen.UploadPartSize + 1, 2}, {3 * beifen.UploadPartSize, 3}} {
		if got := parts(tt.size); got != tt.want {
			t.Errorf("parts(%d)=%d, want %d", tt.size, got, tt.want)
		}
	}
	if got := partSize(2*beifen.UploadPartSize+5, 2); got != 5 {
		t.Errorf("partSize of the last part=%d, want 5", got)
	}
}
