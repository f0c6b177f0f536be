package blobtest_test

import (
	"testing"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/blobtest"
)

func TestRunMemStore(t *testing.T) {
	blobtest.Run(t, newMemStore)
}

// A Faulty store with no faults queued must behave exactly like its base.
func TestRunFaulty(t *testing.T) {
	blobtest.Run(t, func(tb testing.TB) beifen.BlobStore {
		return &blobtest.Faulty{Base: newMemStore(tb)}
	})
}

// Over a base without ranges, Faulty's OpenRange reads and skips, and must still pass.
func TestRunFaultyNoRange(t *testing.T) {
	blobtest.Run(t, func(tb testing.TB) beifen.BlobStore {
		return &blobtest.Faulty{Base: newMemStoreNoRange(tb)}
	})
}
