package main

import (
	"testing"

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
