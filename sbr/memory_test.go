package sbr_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/sbr"
)

// peakSink hashes blobs as they stream in and samples the heap while it does.
type peakSink struct {
	testSink
	base, peak uint64
	size       int64
	sum        []byte
}

func (s *peakSink) PutBlob(r io.Reader) (beifen.BlobRef, error) {
	h := sha256.New()
	buf := make([]byte, 64<<10)
	for {
		n, err := r.Read(buf)
		h.Write(buf[:n])
		s.size += int64(n)
		if s.size%(4<<20) < int64(n) {
			s.sample()
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return beifen.BlobRef{}, err
		}
	}
	s.sum = h.Sum(nil)
	return beifen.BlobRef{Key: "big", Size: s.size}, nil
}

func (s *peakSink) sample() {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	s.peak = max(s.peak, ms.HeapInuse)
}

// TestDecode_HugePartMemory streams a part with a 50 MB data attribute (67 MB of base64)
// from a generator and checks that the heap never grows by more than a few MB on the way.
func TestDecode_HugePartMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 67 MB")
	}
	const size = 50 << 20
	pr, pw := io.Pipe()
	want := make(chan []byte, 1)
	go func() { want <- writeHugeMMS(pw, size) }()

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	sink := &peakSink{testSink: *newTestSink(), base: ms.HeapInuse}
	if err := sbr.Decode(pr, "big.xml", sink); err != nil {
		t.Fatal(err)
	}
	if len(sink.messages) != 1 || len(sink.skips) != 0 {
		t.Fatalf("messages=%d skips=%v, want 1 and none", len(sink.messages), sink.skips)
	}
	if sink.size != size || !bytes.Equal(sink.sum, <-want) {
		t.Fatalf("blob size=%d, want %d, or content differs", sink.size, size)
	}
	growth := int64(sink.peak) - int64(sink.base)
	t.Logf("heap in use grew by at most %d KiB while streaming %d MiB", growth>>10, size>>20)
	if growth > 8<<20 {
		t.Fatalf("heap grew by %d bytes, want under 8 MiB", growth)
	}
}

// writeHugeMMS writes an SB&R file with one MMS whose part holds size random bytes, and
// returns their SHA-256.
func writeHugeMMS(pw *io.PipeWriter, size int) []byte {
	io.WriteString(pw, "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses count=\"1\">\n"+
		`  <mms m_id="big"><parts><part seq="0" ct="video/mp4" cl="v.mp4" text="null" data="`)
	rng := rand.NewChaCha8([32]byte{1})
	h := sha256.New()
	enc := base64.NewEncoder(base64.StdEncoding, pw)
	chunk := make([]byte, 48<<10)
	for left := size; left > 0; left -= len(chunk) {
		b := chunk[:min(left, len(chunk))]
		rng.Read(b)
		h.Write(b)
		enc.Write(b)
	}
	enc.Close()
	io.WriteString(pw, `" /></parts><addrs><addr address="+15550000009" type="137" charset="106" /></addrs></mms>`+"\n</smses>\n")
	pw.Close()
	return h.Sum(nil)
}
