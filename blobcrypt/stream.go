package blobcrypt

import (
	"context"
	"crypto/cipher"
	"errors"
	"fmt"
	"io"

	"github.com/beifen/beifen"
)

// encrypter is the reader Base.Put reads ciphertext from.
type encrypter struct {
	r     io.Reader
	aead  cipher.AEAD
	ad    []byte
	size  int64
	segs  int64
	index int64
	read  int64
	out   []byte // ciphertext not yet handed out
	buf   []byte
	nonce [12]byte
	err   error
}

// Read fills p across segments, so that a writer with a large buffer (the disk store's) writes
// in large pieces instead of one segment at a time.
func (e *encrypter) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(e.out) == 0 {
			if e.err != nil {
				if n > 0 {
					return n, nil // the error comes with the next Read
				}
				return 0, e.err
			}
			if e.index == e.segs {
				e.err = e.finish()
				continue
			}
			if err := e.seal(); err != nil {
				e.err = err
			}
			continue
		}
		m := copy(p[n:], e.out)
		e.out = e.out[m:]
		n += m
	}
	return n, nil
}

func (e *encrypter) seal() error {
	want := min(int64(segmentSize), e.size-e.read)
	if e.buf == nil {
		e.buf = make([]byte, segmentSize, segmentSize+tagSize)
	}
	n, err := io.ReadFull(e.r, e.buf[:want])
	e.read += int64(n)
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return beifen.Errorf(beifen.EINVALID, "Upload shorter than its declared size of %d bytes.", e.size)
	} else if err != nil {
		return err
	}
	last := e.index == e.segs-1
	e.out = e.aead.Seal(e.buf[:0], nonce(e.nonce[:], e.index, last), e.buf[:want], e.ad)
	e.index++
	return nil
}

// finish checks that the plaintext ends where it was said to end. Reading to EOF also lets a
// verifying reader underneath check the content hash before the blob is committed.
func (e *encrypter) finish() error {
	var one [1]byte
	for {
		n, err := e.r.Read(one[:])
		if n > 0 {
			return beifen.Errorf(beifen.EINVALID, "Upload longer than its declared size of %d bytes.", e.size)
		}
		if err == io.EOF {
			return io.EOF
		} else if err != nil {
			return err
		}
	}
}

// OpenRange returns length decrypted bytes from offset (length < 0: to the end), reading only the
// segments that hold them. Returns ENOTFOUND if there is no such blob.
func (s *Store) OpenRange(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	info, err := s.Base.Stat(ctx, key)
	if err != nil {
		return nil, err
	}
	size := PlaintextSize(info.Size)
	if offset < 0 || offset > size {
		return nil, beifen.Errorf(beifen.EINVALID, "Range starts beyond the end of the blob.")
	}
	if length < 0 || offset+length > size {
		length = size - offset
	}
	hdr, err := readAt(ctx, s.Base, key, 0, int64(headerSize))
	if err != nil {
		return nil, err
	}
	if string(hdr[:len(magic)]) != magic {
		return nil, fmt.Errorf("open blob %s: not an encrypted blob", key)
	}
	aead, err := s.aead(key, hdr[len(magic):])
	if err != nil {
		return nil, err
	}
	first := offset / segmentSize
	rc, err := openAt(ctx, s.Base, key, int64(headerSize)+first*(segmentSize+tagSize))
	if err != nil {
		return nil, err
	}
	d := &decrypter{rc: rc, aead: aead, ad: []byte(key), index: first, segs: segments(size),
		skip: offset - first*segmentSize, left: length, name: key}
	if size == 0 {
		// An empty blob still has one sealed segment: open it now, or a damaged empty blob
		// would read as fine.
		if err := d.open(); err != nil {
			rc.Close()
			return nil, err
		}
	}
	return d, nil
}

// decrypter reads and opens segments in order.
type decrypter struct {
	rc    io.ReadCloser
	aead  cipher.AEAD
	ad    []byte
	name  string
	index int64
	segs  int64
	skip  int64 // plaintext bytes to drop from the first segment
	left  int64 // plaintext bytes still to hand out
	out   []byte
	buf   []byte
	nonce [12]byte
}

func (d *decrypter) Read(p []byte) (int, error) {
	if d.left == 0 {
		return 0, io.EOF
	}
	for len(d.out) == 0 {
		if err := d.open(); err != nil {
			return 0, err
		}
	}
	n := copy(p, d.out[:min(len(d.out), int(min(int64(len(p)), d.left)))])
	d.out = d.out[n:]
	d.left -= int64(n)
	return n, nil
}

func (d *decrypter) open() error {
	if d.index >= d.segs {
		return fmt.Errorf("read blob %s: truncated", d.name)
	}
	if d.buf == nil {
		d.buf = make([]byte, segmentSize+tagSize)
	}
	n, err := io.ReadFull(d.rc, d.buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("read blob %s: %w", d.name, err)
	}
	last := d.index == d.segs-1
	pt, err := d.aead.Open(d.buf[:0], nonce(d.nonce[:], d.index, last), d.buf[:n], d.ad)
	if err != nil {
		return fmt.Errorf("read blob %s: segment %d: %w", d.name, d.index, err)
	}
	d.index++
	d.out = pt[min(int64(len(pt)), d.skip):]
	d.skip = 0
	return nil
}

func (d *decrypter) Close() error { return d.rc.Close() }

// openAt opens base's blob at offset, by range when base can, else by skipping.
func openAt(ctx context.Context, base beifen.BlobStore, key string, offset int64) (io.ReadCloser, error) {
	if ro, ok := base.(beifen.BlobRangeOpener); ok {
		return ro.OpenRange(ctx, key, offset, -1)
	}
	rc, err := base.Open(ctx, key)
	if err != nil {
		return nil, err
	}
	if _, err := io.CopyN(io.Discard, rc, offset); err != nil {
		rc.Close()
		return nil, fmt.Errorf("seek blob %s: %w", key, err)
	}
	return rc, nil
}

func readAt(ctx context.Context, base beifen.BlobStore, key string, offset, n int64) ([]byte, error) {
	rc, err := openAt(ctx, base, key, offset)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	buf := make([]byte, n)
	if _, err := io.ReadFull(rc, buf); err != nil {
		return nil, fmt.Errorf("read blob header %s: %w", key, err)
	}
	return buf, nil
}
