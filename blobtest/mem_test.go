package blobtest_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

// memStore is a minimal in-memory BlobStore with ranges, a second implementation for checking
// the suite and Faulty without a disk.
type memStore struct {
	mu    sync.Mutex
	blobs map[string]beifen.BlobInfo
	data  map[string][]byte
}

func newMemStore(testing.TB) beifen.BlobStore {
	return &memStore{blobs: map[string]beifen.BlobInfo{}, data: map[string][]byte{}}
}

// noRange hides the store's OpenRange.
type noRange struct{ beifen.BlobStore }

func newMemStoreNoRange(tb testing.TB) beifen.BlobStore { return noRange{newMemStore(tb)} }

func notFound() error { return beifen.Errorf(beifen.ENOTFOUND, "Blob not found.") }

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

func (m *memStore) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	b, err := io.ReadAll(io.LimitReader(ctxReader{ctx, r}, min(size, math.MaxInt64-1)+1))
	if err != nil {
		return fmt.Errorf("put blob %s: %w", key, err)
	}
	if int64(len(b)) != size {
		return beifen.Errorf(beifen.EINVALID, "Blob size does not match.")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.data[key] = b
	m.blobs[key] = beifen.BlobInfo{Key: key, Size: size, ModTime: time.Now()}
	return nil
}

func (m *memStore) get(key string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.data[key]
	if !ok {
		return nil, notFound()
	}
	return b, nil
}

func (m *memStore) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	b, err := m.get(key)
	if err != nil {
		return nil, err
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

func (m *memStore) OpenRange(ctx context.Context, key string, offset, length int64) (io.ReadCloser, error) {
	b, err := m.get(key)
	if err != nil {
		return nil, err
	}
	if offset < 0 || offset > int64(len(b)) {
		return nil, beifen.Errorf(beifen.EINVALID, "Blob range is invalid.")
	}
	b = b[offset:]
	if length >= 0 && length < int64(len(b)) {
		b = b[:length]
	}
	return io.NopCloser(bytes.NewReader(b)), nil
}

func (m *memStore) Stat(ctx context.Context, key string) (beifen.BlobInfo, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	info, ok := m.blobs[key]
	if !ok {
		return beifen.BlobInfo{}, notFound()
	}
	return info, nil
}

func (m *memStore) Delete(ctx context.Context, key string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.blobs[key]; !ok {
		return notFound()
	}
	delete(m.blobs, key)
	delete(m.data, key)
	return nil
}

func (m *memStore) List(ctx context.Context, prefix string, fn func(beifen.BlobInfo) error) error {
	m.mu.Lock()
	var infos []beifen.BlobInfo
	for k, info := range m.blobs {
		if strings.HasPrefix(k, prefix) {
			infos = append(infos, info)
		}
	}
	m.mu.Unlock()
	sort.Slice(infos, func(i, j int) bool { return infos[i].Key < infos[j].Key })
	for _, info := range infos {
		if err := fn(info); err != nil {
			return err
		}
	}
	return nil
}
