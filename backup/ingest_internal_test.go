package backup

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/keyring"
)

// testAccount returns an account with a fixed data key, so that keyed hashes are the same on
// every run.
func testAccount(tb testing.TB) *account {
	tb.Helper()
	keys, err := keyring.NewAccount(bytes.Repeat([]byte{7}, keyring.KeySize))
	if err != nil {
		tb.Fatal(err)
	}
	return &account{id: 42, keys: keys}
}

// testSink returns a sink whose batches are handed to store instead of the database.
func testSink(a *account, store func([]*pendingChunk)) (*sink, func()) {
	k := &sink{ctx: context.Background(), a: a, hasher: a.keys.NewIdentHasher(),
		sealer: a.keys.NewIdentHasher(), out: make(chan []*pendingChunk, 1), done: make(chan struct{})}
	go func() {
		defer close(k.done)
		for batch := range k.out {
			store(batch)
		}
	}()
	return k, func() {
		k.closeChunk()
		k.send()
		close(k.out)
		<-k.done
	}
}

// smsMessages returns n SMS shaped like those of an SB&R export.
func smsMessages(n int) []*beifen.Message {
	bodies := []string{
		"妈妈：晚上回家吃饭吗？\n我做了红烧肉 😀 记得带伞，明天降温。",
		"【中国移动】尊敬的客户，您本月话费余额为12.50元，流量剩余1.2GB。回复CXLL查询详情。",
		"Your verification code is 482913. It expires in 10 minutes. Do not share it with anyone.",
	}
	ms := make([]*beifen.Message, n)
	for i := range ms {
		ms[i] = &beifen.Message{Kind: beifen.MessageSMS, Attrs: beifen.Attrs{
			{Name: "protocol", Value: "0"}, {Name: "address", Value: fmt.Sprintf("+86138%08d", i)},
			{Name: "date", Value: fmt.Sprint(1512197367000 + int64(i)*60000)},
			{Name: "type", Value: fmt.Sprint(1 + i%2)}, {Name: "subject", Value: "null"},
			{Name: "body", Value: bodies[i%len(bodies)]}, {Name: "toa", Value: "null"},
			{Name: "sc_toa", Value: "null"}, {Name: "service_center", Value: "+8613800100500"},
			{Name: "read", Value: "1"}, {Name: "status", Value: "-1"}, {Name: "locked", Value: "0"},
			{Name: "date_sent", Value: fmt.Sprint(1512197365000 + int64(i)*60000)},
			{Name: "sub_id", Value: "1"}, {Name: "readable_date", Value: "Dec 2, 2017 06:49:27"},
			{Name: "contact_name", Value: "(Unknown)"},
		}}
	}
	return ms
}

// TestIngestHashes pins what a first backup stores: the payload encoding, the keyed hashes
// (which must never change, or existing backups would no longer deduplicate) and the sealing.
func TestIngestHashes(t *testing.T) {
	a := testAccount(t)
	var chunks []*pendingChunk
	k, finish := testSink(a, func(b []*pendingChunk) { chunks = append(chunks, b...) })
	items := payloadCases()
	for _, m := range smsMessages(300) {
		items = append(items, m)
	}
	for _, it := range items {
		var err error
		switch x := it.(type) {
		case *beifen.Message:
			err = k.Message(x)
		case *beifen.Call:
			err = k.Call(x)
		case *beifen.Contact:
			err = k.Contact(x)
		case *beifen.File:
			err = k.add(beifen.KindFile, x, x.Identity())
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	finish()
	all := sha256.New()
	n := 0
	for _, c := range chunks {
		versions := []byte("chunk\x00")
		for _, it := range c.items {
			versions = append(versions, it.version...)
			want := a.keys.Ident(append(append([]byte(it.kind), 0), it.payload...))
			if !bytes.Equal(it.version, want) {
				t.Fatalf("version of item %d=%x, want %x", n, it.version, want)
			}
			r := a.seal(k.sealer, it)
			if want := a.keys.Ident(append(append([]byte(it.kind), 0), it.identity...)); !bytes.Equal(r.Ident, want) {
				t.Fatalf("ident of item %d=%x, want %x", n, r.Ident, want)
			}
			pt, err := a.keys.Open(a.recordAAD(it.kind, it.version), r.Payload)
			if err != nil || !bytes.Equal(pt, it.payload) {
				t.Fatalf("sealed payload of item %d does not open to its payload: %v", n, err)
			}
			fmt.Fprintf(all, "%s %x %x %x %x\n", it.kind, it.identity, it.payload, it.version, r.Ident)
			n++
		}
		if want := a.keys.Ident(versions); !bytes.Equal(c.hash, want) {
			t.Fatalf("chunk hash=%x, want %x", c.hash, want)
		}
		fmt.Fprintf(all, "chunk %x\n", c.hash)
	}
	f := &beifen.File{Path: "DCIM/b.jpg", Size: 9, Hash: "e4"}
	r, err := a.newRecord(beifen.KindFile, f.Identity(), f)
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := encodePayload(f)
	if want := a.keys.Ident(append([]byte("file\x00"), payload...)); !bytes.Equal(r.Version, want) {
		t.Fatalf("newRecord version=%x, want %x", r.Version, want)
	}
	if want := a.keys.Ident(append([]byte("file\x00"), f.Identity()...)); !bytes.Equal(r.Ident, want) {
		t.Fatalf("newRecord ident=%x, want %x", r.Ident, want)
	}
	if n != len(items) {
		t.Fatalf("items=%d, want %d", n, len(items))
	}
	// Computed before the ingest path was optimised.
	const golden = "884c6b0d0452bdefd4be418b5255eda927bedecb9cb47f82a4372cf6065a552c"
	if got := hex.EncodeToString(all.Sum(nil)); got != golden {
		t.Fatalf("digest of kinds, identities, payloads and hashes=%s, want %s", got, golden)
	}
}

// BenchmarkSinkAdd measures the reader side of a first backup: encoding 2000 SMS and hashing
// their versions and chunks.
func BenchmarkSinkAdd(b *testing.B) {
	a := testAccount(b)
	ms := smsMessages(2000)
	b.ReportAllocs()
	for b.Loop() {
		k, finish := testSink(a, func([]*pendingChunk) {})
		for _, m := range ms {
			if err := k.Message(m); err != nil {
				b.Fatal(err)
			}
		}
		finish()
	}
}

// BenchmarkSeal measures the writer side of a first backup: sealing 2000 SMS records.
func BenchmarkSeal(b *testing.B) {
	a := testAccount(b)
	var items []pendingItem
	k, finish := testSink(a, func(batch []*pendingChunk) {
		for _, c := range batch {
			items = append(items, c.items...)
		}
	})
	for _, m := range smsMessages(2000) {
		if err := k.Message(m); err != nil {
			b.Fatal(err)
		}
	}
	finish()
	b.ReportAllocs()
	for b.Loop() {
		for _, it := range items {
			a.seal(k.sealer, it)
		}
	}
}
