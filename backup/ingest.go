package backup

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"slices"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/sbr"
	"github.com/beifen/beifen/smsie"
	"github.com/beifen/beifen/vcard"
)

const (
	sniffSize   = 4096
	flushEvery  = 2000    // records per store batch
	inlineBlob  = 4 << 20 // attachments up to this size are hashed in memory
	maxReported = 20      // parse errors returned to the client per file
)

// sniff tells an export from a plain file by content (and, for SMS Import/Export archives,
// by name too: a zip is otherwise just a file).
func sniff(name string, head []byte) beifen.ExportFormat {
	if vcard.Sniff(head) {
		return beifen.FormatVCard
	}
	if f := sbr.Sniff(head); f != "" {
		return f
	}
	if f := smsie.Sniff(path.Base(name), head); f != "" {
		return f
	}
	return beifen.FormatFile
}

// ingest reads an export into records and remembers it as a source. Stream formats are read
// from r (which checks the content hash at its end), archives from ra.
func (s *Service) ingest(ctx context.Context, a *account, hash beifen.BlobKey, name string, format beifen.ExportFormat, r io.Reader, ra io.ReaderAt, size int64) (*beifen.UploadResult, error) {
	sink := &sink{ctx: ctx, s: s, a: a}
	var err error
	switch format {
	case beifen.FormatVCard:
		err = vcard.Decode(r, name, sink)
	case beifen.FormatSBRMessages, beifen.FormatSBRCalls:
		err = sbr.Decode(r, name, sink)
	case beifen.FormatSMSIEArchive:
		err = smsie.DecodeZip(ra, size, name, sink)
	default:
		err = smsie.DecodeJSON(r, name, sink)
	}
	if err == nil && r != nil {
		_, err = io.Copy(io.Discard, r) // a reader may stop early: the hash must still be checked
	}
	if err == nil {
		err = sink.flush()
	}
	if err != nil {
		return nil, fmt.Errorf("read %s export: %w", format, err)
	}
	ids := sortedUnique(sink.ids)
	src := &beifen.Source{Hash: a.sourceHash(hash), Skipped: sink.skipped,
		Records: a.keys.Seal(a.sourceHash(hash), encodeIDs(ids))}
	if err := s.Store.Sources.PutSource(ctx, src); err != nil {
		return nil, err
	}
	s.Logger.InfoContext(ctx, "export read", "user_id", a.id, "format", format, "records", len(ids), "skipped", sink.skipped)
	return &beifen.UploadResult{Hash: hash, Complete: true, Format: format, Items: sink.items,
		Skipped: sink.skipped, Errors: sink.errors}, nil
}

// sink turns what a reader finds into sealed records, stored in batches.
type sink struct {
	ctx     context.Context
	s       *Service
	a       *account
	batch   []*beifen.Record
	ids     []int64
	items   int
	skipped int
	errors  []*beifen.ParseError
}

var _ beifen.ExportSink = (*sink)(nil)

func (k *sink) Contact(c *beifen.Contact) error { return k.add(beifen.KindContact, c.Identity(), c) }
func (k *sink) Call(c *beifen.Call) error       { return k.add(beifen.KindCall, c.Identity(), c) }

func (k *sink) Message(m *beifen.Message) error {
	kind := beifen.KindSMS
	if m.Kind == beifen.MessageMMS {
		kind = beifen.KindMMS
	}
	return k.add(kind, m.Identity(), m)
}

func (k *sink) Skip(err *beifen.ParseError) {
	k.skipped++
	if len(k.errors) < maxReported {
		k.errors = append(k.errors, err)
	}
}

func (k *sink) add(kind beifen.RecordKind, identity []byte, item any) error {
	k.items++
	rec, err := k.a.newRecord(kind, identity, item)
	if err != nil {
		return err
	}
	k.batch = append(k.batch, rec)
	if len(k.batch) >= flushEvery {
		return k.flush()
	}
	return nil
}

func (k *sink) flush() error {
	if len(k.batch) == 0 {
		return nil
	}
	if err := k.s.Store.Records.PutRecords(k.ctx, k.batch); err != nil {
		return err
	}
	for _, r := range k.batch {
		k.ids = append(k.ids, r.ID)
	}
	k.batch = k.batch[:0]
	return nil
}

// newRecord seals item as a record of kind.
func (a *account) newRecord(kind beifen.RecordKind, identity []byte, item any) (*beifen.Record, error) {
	payload, err := json.Marshal(item)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", kind, err)
	}
	prefix := append([]byte(kind), 0)
	version := a.keys.Ident(append(slices.Clip(prefix), payload...))
	return &beifen.Record{
		Kind:    kind,
		Ident:   a.keys.Ident(append(slices.Clip(prefix), identity...)),
		Version: version,
		Payload: a.keys.Seal(a.recordAAD(kind, version), payload),
	}, nil
}

// PutBlob stores an attachment found inside an export. Small ones are hashed in memory; a large
// one is spilled to a staging blob first, since its name depends on a hash known only at its end.
func (k *sink) PutBlob(r io.Reader) (beifen.BlobRef, error) {
	buf := make([]byte, inlineBlob+1)
	n, err := io.ReadFull(r, buf)
	if err != io.ErrUnexpectedEOF && err != io.EOF && err != nil {
		return beifen.BlobRef{}, err
	}
	if n <= inlineBlob {
		sum := sha256.Sum256(buf[:n])
		key := beifen.BlobKey(hex.EncodeToString(sum[:]))
		return beifen.BlobRef{Key: key, Size: int64(n)}, k.putOnce(key, bytes.NewReader(buf[:n]), int64(n))
	}
	return k.spill(buf[:n], r)
}

func (k *sink) putOnce(key beifen.BlobKey, r io.Reader, size int64) error {
	if _, err := k.s.Store.Blobs.FindBlobEntry(k.ctx, k.a.blobName(key)); err == nil {
		return nil
	}
	return k.s.putBlob(k.ctx, k.a, key, r, size)
}

// spill stores a large attachment as temporary chunks of known size while hashing it (its name
// depends on a hash known only at its end), then copies the chunks to its content address.
// Memory stays at one chunk whatever the attachment's size.
func (k *sink) spill(buf []byte, r io.Reader) (beifen.BlobRef, error) {
	id := make([]byte, 12)
	rand.Read(id)
	h := sha256.New()
	var names []string
	defer func() {
		for _, name := range names {
			k.s.Blobs.Delete(context.WithoutCancel(k.ctx), name)
		}
	}()
	var size int64
	for chunk := buf; len(chunk) > 0; {
		name := fmt.Sprintf("spill-%x-%d", id, len(names))
		h.Write(chunk)
		if err := k.a.blobs.Put(k.ctx, name, bytes.NewReader(chunk), int64(len(chunk))); err != nil {
			return beifen.BlobRef{}, err
		}
		names, size = append(names, name), size+int64(len(chunk))
		n, err := io.ReadFull(r, buf[:cap(buf)])
		if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
			return beifen.BlobRef{}, err
		}
		chunk = buf[:n]
	}
	key := beifen.BlobKey(hex.EncodeToString(h.Sum(nil)))
	cr := &chunkReader{ctx: k.ctx, blobs: k.a.blobs, names: names}
	defer cr.Close()
	return beifen.BlobRef{Key: key, Size: size}, k.putOnce(key, cr, size)
}

// chunkReader reads blobs one after another, opening each only when it is reached.
type chunkReader struct {
	ctx   context.Context
	blobs beifen.BlobStore
	names []string
	rc    io.ReadCloser
}

func (c *chunkReader) Read(p []byte) (int, error) {
	for {
		if c.rc == nil {
			if len(c.names) == 0 {
				return 0, io.EOF
			}
			rc, err := c.blobs.Open(c.ctx, c.names[0])
			if err != nil {
				return 0, err
			}
			c.rc, c.names = rc, c.names[1:]
		}
		n, err := c.rc.Read(p)
		if err == io.EOF {
			c.rc.Close()
			c.rc = nil
			if n == 0 {
				continue
			}
			err = nil
		}
		return n, err
	}
}

// Close closes the open chunk, if any.
func (c *chunkReader) Close() error {
	if c.rc != nil {
		return c.rc.Close()
	}
	return nil
}
