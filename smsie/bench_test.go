package smsie_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/beifen/beifen/smsie"
)

// BenchmarkDecodeZip reads a messages zip of 20,000 SMS (about 8 MB of NDJSON).
func BenchmarkDecodeZip(b *testing.B) {
	var nd bytes.Buffer
	for i := range 20000 {
		fmt.Fprintf(&nd, `{"_id":"%d","thread_id":"%d","address":"+86138%08d","date":"17123%08d","date_sent":"0","read":"1","status":"-1","type":"1","body":"【测试】第%d条短信，验证码%06d，请勿泄露。😀","service_center":"+8613800100500","locked":"0","sub_id":"1","seen":"1","__display_name":"联系人%d"}`+"\n",
			i, i%300, i, i, i, i, i%300)
	}
	data := mustZip(b, zipMember{"messages.ndjson", nd.Bytes()})
	b.SetBytes(int64(nd.Len()))
	b.ResetTimer()
	for range b.N {
		s := newSink()
		if err := smsie.DecodeZip(bytes.NewReader(data), int64(len(data)), "messages.zip", s); err != nil {
			b.Fatal(err)
		}
		if len(s.Messages) != 20000 {
			b.Fatalf("len(Messages)=%d, want 20000", len(s.Messages))
		}
	}
}
