package smsie

import (
	"encoding/base64"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/beifen/beifen"
)

const base64Suffix = "__base64__"

// partDropped are part columns that mean nothing off the phone: row ids and the file path.
func partDropped(k string) bool {
	return k == "_id" || k == "mid" || k == "_data" || k == "binary_data" ||
		strings.HasSuffix(k, base64Suffix)
}

// part maps one MMS part and stores its binary. A binary that is missing or unreadable is
// reported through Skip and the part is kept without Blob; only a refused read or a sink
// failure is returned.
func (mr *messageReader) part(po object, i int, p pos) (beifen.MessagePart, error) {
	part := beifen.MessagePart{Attrs: ordered(columns(po, nil, partDropped), partOrder)}
	ref, reason, err := mr.partBlob(po)
	if err != nil {
		return part, err
	}
	if reason != "" {
		mr.skip(p, fmt.Sprintf("MMS part %d: %s", i, reason))
	}
	part.Blob = ref
	return part, nil
}

// partBlob finds a part's binary: inline base64 (v1 binary_data, or a BLOB column), else the
// data/ member named after the last segment of _data.
func (mr *messageReader) partBlob(po object) (*beifen.BlobRef, string, error) {
	if b64, ok := inlineData(po); ok {
		r := base64.NewDecoder(base64.StdEncoding, strings.NewReader(b64))
		return mr.store(r, "invalid base64 data")
	}
	data := field(po, "_data")
	if data == "" || data == "null" {
		return nil, "", nil
	}
	name := dataName(data)
	if mr.files == nil {
		return nil, "media not in export", nil
	}
	f := mr.files.lookup("data/" + name)
	if f == nil {
		return nil, fmt.Sprintf("data/%s missing from archive", name), nil
	}
	rc, err := mr.files.open(f)
	if err != nil {
		if isLimit(err) {
			return nil, "", err
		}
		return nil, fmt.Sprintf("data/%s unreadable", name), nil
	}
	defer rc.Close()
	return mr.store(rc, fmt.Sprintf("data/%s corrupt", name))
}

// inlineData returns a part's inline base64: binary_data, else the first BLOB column.
func inlineData(po object) (string, bool) {
	if s, ok := po["binary_data"].(string); ok {
		return s, true
	}
	var keys []string
	for k := range po {
		if strings.HasSuffix(k, base64Suffix) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		if s, ok := po[k].(string); ok {
			return s, true
		}
	}
	return "", false
}

// dataName is the data/ member name sms-ie gave a part's file: the last path segment of
// _data, or the whole placeholder it writes when the path had none.
func dataName(data string) string {
	if strings.HasPrefix(data, "MISSING_FILENAME") {
		return data
	}
	return lastSegment(data)
}

// store streams r into the sink. A read failure is a bad part (reason) unless it is a
// refused read; a sink failure is returned.
func (mr *messageReader) store(r io.Reader, bad string) (*beifen.BlobRef, string, error) {
	t := &trackReader{r: r}
	ref, err := mr.sink.PutBlob(t)
	switch {
	case t.err != nil && isLimit(t.err):
		return nil, "", t.err
	case t.err != nil:
		return nil, bad, nil
	case err != nil:
		return nil, "", fmt.Errorf("put blob: %w", err)
	}
	return &ref, "", nil
}

// trackReader remembers the first read error other than EOF, so that a failed PutBlob can be
// blamed on the input or on the sink.
type trackReader struct {
	r   io.Reader
	err error
}

func (t *trackReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if err != nil && err != io.EOF && t.err == nil {
		t.err = err
	}
	return n, err
}
