package main

import (
	"context"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

// TestJobs: each content is sent once; the bytes of a content already listed (a duplicate
// file, a chunk two exports share) count as done, so the progress bar reaches its total.
func TestJobs(t *testing.T) {
	seen := map[beifen.BlobKey]bool{}
	a := &entry{file: beifen.File{Path: "a.jpg", Size: 10, Hash: "h1"}}
	dup := &entry{file: beifen.File{Path: "copy of a.jpg", Size: 10, Hash: "h1"}}
	xml := &entry{file: beifen.File{Path: "sms.xml", Size: 30, Hash: "h2"},
		chunks: []chunk{{Size: 20, Hash: "c1"}, {Size: 10, Hash: "h1"}}}
	var sent, done int64
	for _, e := range []*entry{a, dup, xml} {
		js, repeated := jobs(e, seen)
		for _, j := range js {
			sent += j.size()
		}
		done += repeated
	}
	if sent != 30 || done != 20 || sent+done != a.file.Size+dup.file.Size+xml.file.Size {
		t.Fatalf("sent %d bytes and counted %d as done, want 30 and 20 (of 50)", sent, done)
	}
	if len(xml.file.Chunks) != 2 {
		t.Fatalf("chunks listed in the manifest: %v", xml.file.Chunks)
	}
}

// TestUploaderTail: a file waits for the file lane while exports are still to start, and takes a
// free export token once every export has started.
func TestUploaderTail(t *testing.T) {
	u := &uploader{exports: make(chan struct{}, 1), files: make(chan struct{}, 1), tail: make(chan struct{})}
	ctx := context.Background()
	u.waiting = 1 // one export job dispatched, not started
	if lane, err := u.take(ctx, false); err != nil || lane != u.files {
		t.Fatalf("first file took %v, %v; want the file lane", lane, err)
	}
	got := make(chan chan struct{})
	go func() {
		lane, _ := u.take(ctx, false) // the file lane is full
		got <- lane
	}()
	u.exportStarted(true) // every entry dispatched; the export still waits
	select {
	case lane := <-got:
		t.Fatalf("a second file took %v while an export was still to start", lane)
	case <-time.After(50 * time.Millisecond):
	}
	if lane, err := u.take(ctx, true); err != nil || lane != u.exports {
		t.Fatalf("the export took %v, %v", lane, err)
	}
	<-u.exports // the export is sent
	select {
	case lane := <-got:
		if lane != u.exports {
			t.Fatalf("the second file took %v, want the export lane", lane)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the second file still waits with the export lane free")
	}
}
