package sbr_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/beifen/beifen/sbr"
)

// FuzzDecode checks that Decode never panics, never fails on in-memory input (only a sink or
// a reader can make it fail), and that whatever it reads survives a round trip through the
// writers.
func FuzzDecode(f *testing.F) {
	for _, name := range []string{"sms.xml", "calls.xml", "broken.xml", "truncated.xml"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"<smses><sms body='&#xD83D;&#xDE00;&#0;&#55357;x'/></smses>",
		"<smses><mms a=''><parts><part ct='x' data='QUJD\nRA'/><part data=''/></parts><addrs><addr type='137'/></addrs></mms></smses>",
		"<calls><call number='1' t=\"a'b\"/><!-- c --><?pi?><![CDATA[<call/>]]></calls>",
		"<smses>\n<sms a='1\n<sms b='2'/>\n<mms><parts><part data='QQ==QQ'/></parts></mms>",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		first := newTestSink()
		if err := sbr.Decode(bytes.NewReader(data), "fuzz.xml", first); err != nil {
			t.Fatalf("Decode: %v", err)
		}
		checkRoundTrip(t, first)
	})
}
