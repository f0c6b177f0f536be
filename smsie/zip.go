package smsie

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/beifen/beifen"
)

// DecodeZip reads a messages-*.zip or calls-*.zip with the default limits (r must support
// ReadAt). See Decoder.DecodeZip.
func DecodeZip(r io.ReaderAt, size int64, name string, sink beifen.ExportSink) error {
	return (&Decoder{}).DecodeZip(r, size, name, sink)
}

// DecodeZip reads a messages-*.zip (messages.ndjson and data/) or a zip holding calls,
// contacts or v1 messages JSON, and hands every item to sink. A v1 messages-*.json given here
// is read as DecodeJSON would. Returns EINVALID if the file is neither, and ETOOLARGE when a
// limit is hit (a zip bomb, an oversized export); a sink error ends the read and is returned.
func (d *Decoder) DecodeZip(r io.ReaderAt, size int64, name string, sink beifen.ExportSink) error {
	if startsJSON(r) {
		return d.DecodeJSON(io.NewSectionReader(r, 0, size), name, sink)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return fmt.Errorf("open zip: %w", beifen.Errorf(beifen.EINVALID, "%s is not a readable zip archive.", name))
	}
	a := newArchive(zr, name, d.Limits.withDefaults())
	if f := a.lookup("messages.ndjson"); f != nil {
		return a.decodeNDJSON(f, sink)
	}
	found := false
	for _, f := range a.order {
		if !strings.HasSuffix(strings.ToLower(f.Name), ".json") {
			continue
		}
		found = true
		if err := a.decodeJSON(f, sink); err != nil {
			return err
		}
	}
	if !found {
		return beifen.Errorf(beifen.EINVALID, "%s holds no SMS Import/Export data.", name)
	}
	return nil
}

// startsJSON reports whether r starts, after a BOM and white space, like JSON rather than zip.
func startsJSON(r io.ReaderAt) bool {
	head := make([]byte, 512)
	n, _ := r.ReadAt(head, 0)
	c, ok := firstByte(head[:n])
	return ok && (c == '[' || c == '{')
}

// archive is an opened zip whose reads are counted against Limits. Only members whose name
// is a clean relative path can be looked up; names are never used as file system paths.
type archive struct {
	name  string
	lim   Limits
	files map[string]*zip.File
	order []*zip.File
	used  int64 // uncompressed bytes read so far, all members together
}

func newArchive(zr *zip.Reader, name string, lim Limits) *archive {
	a := &archive{name: name, lim: lim, files: map[string]*zip.File{}}
	for _, f := range zr.File {
		if _, dup := a.files[f.Name]; dup || !safeName(f.Name) {
			continue
		}
		a.files[f.Name] = f
		a.order = append(a.order, f)
	}
	return a
}

// safeName reports whether a member name is a clean relative slash path.
func safeName(n string) bool {
	if n == "" || n[0] == '/' || strings.ContainsAny(n, "\\\x00") || (len(n) > 1 && n[1] == ':') {
		return false
	}
	for _, seg := range strings.Split(n, "/") {
		if seg == ".." || seg == "." {
			return false
		}
	}
	return true
}

// lookup returns the member called name, or nil.
func (a *archive) lookup(name string) *zip.File { return a.files[name] }

// open opens a member whose declared sizes fit the limits; its reader enforces them again
// as it goes, whatever the headers claim.
func (a *archive) open(f *zip.File) (io.ReadCloser, error) {
	if err := a.admit(f); err != nil {
		return nil, err
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("open member: %w", err)
	}
	return &member{rc: rc, a: a, f: f}, nil
}

// admit returns ETOOLARGE if f's declared size breaks the total budget or the ratio limit.
func (a *archive) admit(f *zip.File) error {
	if f.UncompressedSize64 > uint64(a.lim.MaxTotal-a.used) {
		return a.overTotal(f)
	}
	return a.ratio(f, f.UncompressedSize64)
}

// ratio returns ETOOLARGE if n uncompressed bytes of f are too many for its compressed size.
func (a *archive) ratio(f *zip.File, n uint64) error {
	if n > uint64(a.lim.RatioFloor) && n/max(f.CompressedSize64, 1) > uint64(a.lim.MaxRatio) {
		return tooLarge("%s: %s is compressed more than %d:1; refusing a possible zip bomb.",
			a.name, f.Name, a.lim.MaxRatio)
	}
	return nil
}

func (a *archive) overTotal(f *zip.File) error {
	return tooLarge("%s: %s expands beyond the %s an export may hold.", a.name, f.Name, mib(a.lim.MaxTotal))
}

// member counts the bytes read from one zip member against the archive's limits.
type member struct {
	rc  io.ReadCloser
	a   *archive
	f   *zip.File
	n   uint64
	err error
}

func (m *member) Read(p []byte) (int, error) {
	if m.err != nil {
		return 0, m.err
	}
	n, err := m.rc.Read(p)
	m.n += uint64(n)
	m.a.used += int64(n)
	if e := m.a.ratio(m.f, m.n); e != nil {
		m.err = e
	} else if m.a.used > m.a.lim.MaxTotal {
		m.err = m.a.overTotal(m.f)
	}
	if m.err != nil {
		return 0, m.err
	}
	return n, err
}

func (m *member) Close() error { return m.rc.Close() }

// decodeJSON reads one JSON member (calls, contacts or v1 messages).
func (a *archive) decodeJSON(f *zip.File, sink beifen.ExportSink) error {
	rc, err := a.open(f)
	if err != nil {
		return err
	}
	defer rc.Close()
	return decodeJSON(rc, a.name+"/"+f.Name, sink, a.lim)
}
