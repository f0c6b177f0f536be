package backup

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"path"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/keyring"
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
	sink := newSink(ctx, s, a)
	defer s.writer.close(a.id)
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
	if ferr := sink.finish(); err == nil {
		err = ferr
	}
	if err != nil {
		return nil, fmt.Errorf("read %s export: %w", format, err)
	}
	sink.remember(a.sourceHash(hash))
	s.Logger.InfoContext(ctx, "export read", "user_id", a.id, "format", format, "items", sink.items,
		"new_records", sink.stored, "skipped", sink.skipped)
	return &beifen.UploadResult{Hash: hash, Complete: true, Format: format, Items: sink.items,
		Skipped: sink.skipped, Errors: sink.errors}, nil
}

// sink turns what a reader finds into records. Consecutive items form chunks whose boundaries
// depend only on content (like restic's chunker, but at item boundaries); a chunk already stored
// by an earlier read is not stored again, so re-reading an sms.xml with ten new messages stores
// only the chunk or two that changed. Chunks go to a writer goroutine in batches, so reading and
// storing run on both cores.
type sink struct {
	ctx context.Context
	s   *Service
	a   *account

	// reader side
	hasher  *keyring.IdentHasher
	enc     []byte // an item's payload as it is encoded, before it is copied out
	cur     []pendingItem
	batch   []*pendingChunk
	inBatch int
	items   int
	skipped int
	errors  []*beifen.ParseError

	// writer side
	sealer *keyring.IdentHasher
	out    chan []*pendingChunk
	done   chan struct{}
	err    atomic.Pointer[error]
	ids    []int64
	// written holds the IDs of the records this read stored, appended by the group writer as
	// each batch is written (in its goroutine, in order): only IDs are kept, not the records.
	written []int64
	stored  int
	// failures is how many of the account's writes had failed when this read began (see
	// groupWriter.failed).
	failures int
}

type pendingItem struct {
	kind     beifen.RecordKind
	identity []byte
	payload  []byte
	version  []byte
}

type pendingChunk struct {
	hash  []byte
	items []pendingItem
}

var _ beifen.ExportSink = (*sink)(nil)

func newSink(ctx context.Context, s *Service, a *account) *sink {
	k := &sink{ctx: ctx, s: s, a: a, out: make(chan []*pendingChunk, 1), done: make(chan struct{}),
		hasher: a.keys.NewIdentHasher(), sealer: a.keys.NewIdentHasher()}
	k.failures = s.writer.open(a.id)
	go k.write()
	return k
}

func (k *sink) Contact(c *beifen.Contact) error { return k.add(beifen.KindContact, c, c.Identity()) }
func (k *sink) Call(c *beifen.Call) error       { return k.add(beifen.KindCall, c, c.Identity()) }

func (k *sink) Message(m *beifen.Message) error {
	kind := beifen.KindSMS
	if m.Kind == beifen.MessageMMS {
		kind = beifen.KindMMS
	}
	return k.add(kind, m, m.Identity())
}

func (k *sink) Skip(err *beifen.ParseError) {
	k.skipped++
	if len(k.errors) < maxReported {
		k.errors = append(k.errors, err)
	}
}

// add encodes an item and adds it to the current chunk. Readers may reuse what they pass, so
// everything is taken now.
func (k *sink) add(kind beifen.RecordKind, item any, identity []byte) error {
	if err := k.err.Load(); err != nil {
		return *err
	}
	k.items++
	var err error
	if k.enc, err = appendPayload(k.enc[:0], item); err != nil {
		return err
	}
	payload := bytes.Clone(k.enc) // one allocation of the right size
	it := pendingItem{kind: kind, identity: identity, payload: payload,
		version: k.hasher.Sum([]byte(kind), []byte{0}, payload)}
	k.cur = append(k.cur, it)
	// About one item in 32 ends a chunk, chosen by its content; 256 at most.
	if it.version[0] < 8 || len(k.cur) >= maxChunk {
		k.closeChunk()
	}
	return nil
}

const maxChunk = 256

func (k *sink) closeChunk() {
	if len(k.cur) == 0 {
		return
	}
	versions := make([][]byte, 0, len(k.cur)+1)
	versions = append(versions, []byte("chunk\x00"))
	for _, it := range k.cur {
		versions = append(versions, it.version)
	}
	k.batch = append(k.batch, &pendingChunk{hash: k.hasher.Sum(versions...), items: k.cur})
	k.inBatch += len(k.cur)
	k.cur = nil
	if k.inBatch >= flushEvery {
		k.send()
	}
}

func (k *sink) send() {
	if len(k.batch) > 0 {
		k.out <- k.batch
	}
	k.batch, k.inBatch = nil, 0
}

// finish hands over what is left and waits for the writer.
func (k *sink) finish() error {
	k.closeChunk()
	k.send()
	close(k.out)
	<-k.done
	if err := k.err.Load(); err != nil {
		return *err
	}
	return nil
}

// remember queues the export's source, the list of every record read from it, behind its
// records.
func (k *sink) remember(hash []byte) {
	known, stored, skipped := k.ids, k.stored, k.skipped
	k.s.writer.add(k.ctx, k.s, k.a.id, nil, func() []*beifen.Source {
		if len(k.written) != stored || k.writeFailed() { // the commit reports it, and the export is read again
			return nil
		}
		ids := append(slices.Clone(known), k.written...)
		return []*beifen.Source{{Hash: hash, Skipped: skipped, Records: k.a.keys.Seal(hash, encodeIDs(sortedUnique(ids)))}}
	})
}

// write stores batches of chunks until the reader is done. After an error it only drains.
func (k *sink) write() {
	defer close(k.done)
	for batch := range k.out {
		if k.err.Load() != nil {
			continue
		}
		if err := k.store(batch); err != nil {
			k.err.CompareAndSwap(nil, &err)
		}
	}
}

// store looks the batch's chunks up, and seals and stores the records of the new ones.
func (k *sink) store(batch []*pendingChunk) error {
	hashes := make([][]byte, len(batch))
	for i, c := range batch {
		hashes[i] = c.hash
	}
	found, err := k.s.Store.Sources.FindSources(k.ctx, hashes)
	if err != nil {
		return err
	}
	known := map[string]*beifen.Source{}
	for _, src := range found {
		known[string(src.Hash)] = src
	}
	var recs []*beifen.Record
	var fresh []chunkSize
	for _, c := range batch {
		if src := known[string(c.hash)]; src != nil {
			ids, err := k.s.sourceIDs(k.a, src)
			if err != nil {
				return err
			}
			k.ids = append(k.ids, ids...)
			continue
		}
		fresh = append(fresh, chunkSize{hash: c.hash, items: len(c.items)})
		for _, it := range c.items {
			recs = append(recs, k.a.seal(k.sealer, it))
		}
	}
	if len(recs) == 0 {
		return nil
	}
	k.stored += len(recs)
	k.s.writer.add(k.ctx, k.s, k.a.id, recs, func() []*beifen.Source {
		for _, r := range recs {
			k.written = append(k.written, r.ID)
		}
		if k.writeFailed() {
			return nil
		}
		return chunkSources(k.a, fresh, recs)
	})
	return nil
}

// writeFailed reports whether a write of the account failed since this read began: it may have
// been the registration of an attachment this read stored, or found queued and did not store
// again, so no source may say the read is done. The group writer calls it, after every group
// queued before.
func (k *sink) writeFailed() bool { return k.s.writer.failed(k.a.id) != k.failures }

// chunkSize is what remains of a chunk while its records wait to be written.
type chunkSize struct {
	hash  []byte
	items int
}

// chunkSources returns a source for each new chunk, with the IDs its records got. The group
// writer calls it once the records are stored.
func chunkSources(a *account, chunks []chunkSize, recs []*beifen.Record) []*beifen.Source {
	srcs := make([]*beifen.Source, 0, len(chunks))
	for _, c := range chunks {
		ids := make([]int64, c.items)
		for i := range ids {
			ids[i] = recs[i].ID
		}
		recs = recs[c.items:]
		srcs = append(srcs, &beifen.Source{Hash: c.hash, Records: a.keys.Seal(c.hash, encodeIDs(sortedUnique(ids)))})
	}
	return srcs
}

// seal makes a record of an item; h hashes its identity as Account.Ident would.
func (a *account) seal(h *keyring.IdentHasher, it pendingItem) *beifen.Record {
	return &beifen.Record{
		Kind:    it.kind,
		Ident:   h.Sum([]byte(it.kind), []byte{0}, it.identity),
		Version: it.version,
		Payload: a.keys.Seal(a.recordAAD(it.kind, it.version), it.payload),
	}
}

// newRecord seals item as a record of kind.
func (a *account) newRecord(kind beifen.RecordKind, identity []byte, item any) (*beifen.Record, error) {
	payload, err := encodePayload(item)
	if err != nil {
		return nil, err
	}
	h := a.keys.NewIdentHasher()
	return a.seal(h, pendingItem{kind: kind, identity: identity, payload: payload,
		version: h.Sum([]byte(kind), []byte{0}, payload)}), nil
}

// PutBlob stores an attachment found inside an export. Small ones are hashed in memory; a large
// one is spilled to a staging blob first, since its name depends on a hash known only at its end.
func (k *sink) PutBlob(r io.Reader) (beifen.BlobRef, error) {
	bp := blobBufs.Get().(*[]byte)
	defer blobBufs.Put(bp)
	buf := *bp
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

// blobBufs holds buffers for PutBlob: an export with hundreds of attachments would otherwise
// allocate and clear 4 MiB for each.
var blobBufs = sync.Pool{New: func() any { b := make([]byte, inlineBlob+1); return &b }}

func (k *sink) putOnce(key beifen.BlobKey, r io.Reader, size int64) error {
	if have, err := k.s.hasBlob(k.ctx, k.a, key); err != nil || have {
		return err
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
