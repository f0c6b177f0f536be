package sbr_test

import (
	"bytes"
	"fmt"
	"io"
	"sync"
	"testing"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/sbr"
)

// countSink counts items and discards them, so that benchmarks measure the reader.
type countSink struct {
	testSink
	n int
}

func (s *countSink) Message(*beifen.Message) error { s.n++; return nil }
func (s *countSink) Call(*beifen.Call) error       { s.n++; return nil }

var smsFile = sync.OnceValue(func() []byte { return generateSMS(200_000) })

// generateSMS writes an SB&R file of n SMS shaped like real ones: about 450 bytes each, Chinese
// and English bodies, newlines and emoji as references.
func generateSMS(n int) []byte {
	bodies := []string{
		"妈妈：晚上回家吃饭吗？&#10;我做了红烧肉 &#55357;&#56832; 记得带伞，明天降温。",
		"【中国移动】尊敬的客户，您本月话费余额为12.50元，流量剩余1.2GB。回复CXLL查询详情。",
		"Your verification code is 482913. It expires in 10 minutes. Do not share it with anyone.",
		"Running 10 min late, traffic on the ring road &amp; the bridge is closed &#55357;&#56898;",
	}
	var b bytes.Buffer
	b.WriteString("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n")
	b.WriteString("<?xml-stylesheet type=\"text/xsl\" href=\"sms.xsl\"?>\n")
	fmt.Fprintf(&b, "<smses count=\"%d\" backup_set=\"3f1c1e52-7a4b-4c6e-9d0a-2b8f5e6a1c90\" backup_date=\"1721556032311\" type=\"full\">\n", n)
	for i := range n {
		fmt.Fprintf(&b, `  <sms protocol="0" address="+86138%08d" date="%d" type="%d" subject="null" body="%s" toa="null" sc_toa="null" service_center="+8613800100500" read="1" status="-1" locked="0" date_sent="%d" sub_id="1" readable_date="Dec 2, 2017 06:49:27" contact_name="(Unknown)" />`+"\n",
			i%100000000, 1512197367000+int64(i)*60000, 1+i%2, bodies[i%len(bodies)], 1512197365000+int64(i)*60000)
	}
	b.WriteString("</smses>\n")
	return b.Bytes()
}

func BenchmarkDecodeSMS(b *testing.B) {
	data := smsFile()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	start, n := cpuTime(), 0
	for b.Loop() {
		n++
		sink := &countSink{}
		if err := sbr.Decode(bytes.NewReader(data), "sms.xml", sink); err != nil {
			b.Fatal(err)
		}
		if sink.n != 200_000 || len(sink.skips) != 0 {
			b.Fatalf("items=%d skips=%d, want 200000 and 0", sink.n, len(sink.skips))
		}
	}
	// With -cpu 1 this is the throughput of one core, whatever else the machine runs.
	if cpu := cpuTime() - start; cpu > 0 {
		b.ReportMetric(float64(n*len(data))/1e6/cpu.Seconds(), "MB/cpu-s")
	}
}

func BenchmarkWriteSMS(b *testing.B) {
	sink := mustDecode(b, bytes.NewReader(smsFile()), "sms.xml")
	b.SetBytes(int64(len(smsFile())))
	b.ReportAllocs()
	for b.Loop() {
		w, err := sbr.NewMessageWriter(io.Discard, len(sink.messages), nil)
		if err != nil {
			b.Fatal(err)
		}
		for _, m := range sink.messages {
			if err := w.Write(m); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
