// Package blobtest checks that a beifen.BlobStore keeps the contract its callers rely on, and
// helps other packages test how they cope when blob storage fails.
//
// Every BlobStore implementation runs the same conformance suite from its own tests, so callers
// can switch stores without noticing:
//
//	func TestStore(t *testing.T) {
//		blobtest.Run(t, func(tb testing.TB) beifen.BlobStore {
//			return disk.NewStore(tb.TempDir())
//		})
//	}
//
// The suite checks that missing blobs are ENOTFOUND with the message "Blob not found.", that
// what is put is read back byte for byte, that a Put with the wrong size, a failing reader or a
// cancelled context leaves nothing behind (and leaves an older blob of the same key whole), that
// overwrite, delete and listing by prefix work, and that concurrent Puts of the same blob are
// safe. Stores that implement beifen.BlobRangeOpener have their ranges checked too.
//
// Faulty wraps any store and makes chosen calls fail, for testing upload resume and retries:
//
//	store := &blobtest.Faulty{Base: disk.NewStore(t.TempDir())}
//	store.FailAfter("Put", 1<<20, io.ErrUnexpectedEOF) // the next upload breaks after 1 MiB
//	store.FailNext("Stat", errors.New("timeout"))      // and the next Stat fails outright
package blobtest
