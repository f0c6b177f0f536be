package sbr_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/sbr"
)

const pngBase64 = "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAFklEQVR4nGL6z8DwnwEB/v8HBAAA//8iFAP/9aaXIQAAAABJRU5ErkJggg=="

func TestDecode_Messages(t *testing.T) {
	sink := mustDecodeFile(t, "sms.xml")
	if len(sink.skips) != 0 {
		t.Fatalf("skips=%v, want none", sink.skips)
	}
	if got := len(sink.messages); got != 7 {
		t.Fatalf("messages=%d, want 7", got)
	}
	m := sink.messages
	for i, want := range []beifen.MessageKind{"sms", "sms", "sms", "sms", "mms", "mms", "mms"} {
		if m[i].Kind != want {
			t.Errorf("messages[%d].Kind=%q, want %q", i, m[i].Kind, want)
		}
	}

	t.Run("AttrsInOrder", func(t *testing.T) {
		want := []string{"protocol", "address", "date", "type", "subject", "body", "toa", "sc_toa",
			"service_center", "read", "status", "locked", "date_sent", "sub_id", "readable_date", "contact_name"}
		if got := names(m[0].Attrs); !slices.Equal(got, want) {
			t.Fatalf("names=%q, want %q", got, want)
		}
	})
	t.Run("Bodies", func(t *testing.T) {
		for i, want := range []string{
			"妈妈：晚上回家吃饭吗？\n我做了红烧肉 😀",
			"【中国移动】您的话费余额为12.50元💰，流量剩余📱1.2GB。",
			"line one\r\nline two with a null\uFFFDchar & <tags> \"quoted\" 'single'",
			"lone \uFFFD half and \"double\" quotes",
		} {
			if got, _ := m[i].Attrs.Get("body"); got != want {
				t.Errorf("messages[%d] body=%q, want %q", i, got, want)
			}
		}
	})
	t.Run("NullEmptyAbsent", func(t *testing.T) {
		checkAttr(t, m[0].Attrs, "subject", "null", true)
		checkAttr(t, m[2].Attrs, "subject", "", true)
		checkAttr(t, m[3].Attrs, "subject", "", false)
		checkAttr(t, m[0].Attrs, "contact_name", "妈妈", true)
	})
	t.Run("GroupMMS", func(t *testing.T) { checkGroupMMS(t, m[4]) })
	t.Run("MediaMMS", func(t *testing.T) { checkMediaMMS(t, sink, m[5]) })
}

func checkAttr(t *testing.T, attrs beifen.Attrs, name, want string, wantOK bool) {
	t.Helper()
	if got, ok := attrs.Get(name); got != want || ok != wantOK {
		t.Errorf("Get(%q)=%q,%v, want %q,%v", name, got, ok, want, wantOK)
	}
}

func checkGroupMMS(t *testing.T, m *beifen.Message) {
	checkAttr(t, m.Attrs, "address", "+15550000009~+15550000012~+15550000013", true)
	checkAttr(t, m.Attrs, "date_sent", "1721161755", true)
	checkAttr(t, m.Attrs, "contact_name", "Alice, Bob", true)
	if got := len(m.Attrs); got != 37 {
		t.Errorf("len(Attrs)=%d, want 37", got)
	}
	if len(m.Parts) != 1 || m.Parts[0].Blob != nil {
		t.Fatalf("Parts=%+v, want one text part", m.Parts)
	}
	checkAttr(t, m.Parts[0].Attrs, "text", "大家周末一起去爬山吧 🏔", true)
	var types []string
	for _, a := range m.Addrs {
		types = append(types, a.Value("type"))
	}
	if want := []string{"137", "151", "130"}; !slices.Equal(types, want) {
		t.Errorf("addr types=%q, want %q", types, want)
	}
	if got := m.Body(); got != "大家周末一起去爬山吧 🏔" {
		t.Errorf("Body()=%q", got)
	}
}

func checkMediaMMS(t *testing.T, sink *testSink, m *beifen.Message) {
	if len(m.Parts) != 3 || len(m.Addrs) != 2 {
		t.Fatalf("parts=%d addrs=%d, want 3 and 2", len(m.Parts), len(m.Addrs))
	}
	smil, _ := m.Parts[0].Attrs.Get("text")
	if !strings.HasPrefix(smil, `<smil><head><layout><root-layout/><region id="Image"`) {
		t.Errorf("SMIL text=%q", smil)
	}
	checkAttr(t, m.Parts[0].Attrs, "cid", "<smil>", true)
	img := m.Parts[2]
	if img.Blob == nil {
		t.Fatal("image part has no Blob")
	}
	if _, ok := img.Attrs.Get("data"); ok {
		t.Error("image part Attrs hold data")
	}
	if got, want := names(img.Attrs)[len(img.Attrs)-1], "text"; got != want {
		t.Errorf("last attr=%q, want %q", got, want)
	}
	want, _ := base64.StdEncoding.DecodeString(pngBase64)
	if got := sink.blobs[img.Blob.Key]; !bytes.Equal(got, want) {
		t.Errorf("blob=%x, want %x", got, want)
	}
	if img.Blob.Size != int64(len(want)) {
		t.Errorf("Blob.Size=%d, want %d", img.Blob.Size, len(want))
	}
}

func TestDecode_Calls(t *testing.T) {
	sink := mustDecodeFile(t, "calls.xml")
	if len(sink.skips) != 0 || len(sink.messages) != 0 {
		t.Fatalf("skips=%v messages=%d, want none", sink.skips, len(sink.messages))
	}
	var types []string
	for _, c := range sink.calls {
		types = append(types, c.Attrs.Value("type"))
	}
	if want := []string{"1", "2", "3", "4", "5", "6", "7", "1"}; !slices.Equal(types, want) {
		t.Fatalf("types=%q, want %q", types, want)
	}
	old := kv("number", "+8613800138000", "duration", "17", "date", "1262304000000", "type", "1")
	if got := sink.calls[7].Attrs; !reflect.DeepEqual(got, old) {
		t.Errorf("old call=%v, want %v", got, old)
	}
	checkAttr(t, sink.calls[0].Attrs, "post_dial_digits", "", true)
	checkAttr(t, sink.calls[2].Attrs, "subscription_component_name", "null", true)
	checkAttr(t, sink.calls[1].Attrs, "subscription_id", "89860012345678901234", true)
	checkAttr(t, sink.calls[5].Attrs, "number", "", true)
}

func TestDecode_Broken(t *testing.T) {
	sink := mustDecodeFile(t, "broken.xml")
	var bodies []string
	for _, m := range sink.messages {
		bodies = append(bodies, m.Attrs.Value("body"))
	}
	if want := []string{"first", "second", "third", "fourth"}; !slices.Equal(bodies, want) {
		t.Errorf("bodies=%q, want %q", bodies, want)
	}
	want := []beifen.ParseError{
		{File: "broken.xml", Line: 4, Reason: "sms: bad attribute syntax"},
		{File: "broken.xml", Line: 6, Reason: "sms: bad attribute syntax"},
		{File: "broken.xml", Line: 8, Reason: "mms: part: bad base64 in part data"},
	}
	checkSkips(t, sink.skips, want)
}

func checkSkips(t *testing.T, got []*beifen.ParseError, want []beifen.ParseError) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("skips=%v, want %v", got, want)
	}
	for i := range want {
		if *got[i] != want[i] {
			t.Errorf("skips[%d]=%v, want %v", i, got[i], &want[i])
		}
	}
}

func TestDecode_Truncated(t *testing.T) {
	sink := mustDecodeFile(t, "truncated.xml")
	if got := len(sink.messages); got != 5 {
		t.Errorf("messages=%d, want 5 (the complete ones)", got)
	}
	checkSkips(t, sink.skips, []beifen.ParseError{
		{File: "truncated.xml", Line: 19, Reason: "mms: part: unexpected end of file"},
	})
}

// TestDecode_Streaming reads the fixtures one byte at a time and in odd pieces: every element,
// value and reference then straddles buffer refills, and the result must not change.
func TestDecode_Streaming(t *testing.T) {
	for _, name := range []string{"sms.xml", "calls.xml", "broken.xml", "truncated.xml"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		want := mustDecode(t, bytes.NewReader(data), name)
		for _, r := range []*testSink{
			mustDecode(t, iotest.OneByteReader(bytes.NewReader(data)), name),
			mustDecode(t, iotest.HalfReader(bytes.NewReader(data)), name),
			mustDecode(t, iotest.DataErrReader(bytes.NewReader(data)), name),
		} {
			if !reflect.DeepEqual(r, want) {
				t.Errorf("%s: streamed decode differs from whole decode", name)
			}
		}
	}
}

func TestDecode_CharRefs(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"SurrogatePairDecimal", "&#55357;&#56832;", "😀"},
		{"SurrogatePairHex", "&#xD83D;&#xDE00;", "😀"},
		{"SurrogatePairMixedCase", "&#xd83d;&#XDE00;", "😀"},
		{"Astral", "&#128512;&#x1F600;", "😀😀"},
		{"LoneHighAtEnd", "a&#55357;", "a\uFFFD"},
		{"LoneHighThenText", "&#55357;b", "\uFFFDb"},
		{"LoneLow", "&#56832;", "\uFFFD"},
		{"HighHighLow", "&#xD83D;&#xD83D;&#xDE00;", "\uFFFD😀"},
		{"HighThenEntity", "&#xD83D;&amp;", "\uFFFD&"},
		{"Nul", "a&#0;b", "a\uFFFDb"},
		{"C0", "&#1;&#x1F;&#8;&#11;&#12;", "\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD"},
		{"TabLFCR", "&#9;&#10;&#13;&#x9;&#xA;&#xD;", "\t\n\r\t\n\r"},
		{"NonCharacters", "&#xFFFE;&#65535;", "\uFFFD\uFFFD"},
		{"BeyondUnicode", "&#x110000;&#99999999999999;", "\uFFFD\uFFFD"},
		{"LeadingZeros", "&#0000065;&#x0041;", "AA"},
		{"Named", "&lt;&gt;&amp;&quot;&apos;", `<>&"'`},
		{"BareAmpersand", "AT&T & co", "AT&T & co"},
		{"UnknownEntity", "&nbsp;&copy", "&nbsp;&copy"},
		{"EmptyRefs", "&#;&#x;&;", "&#;&#x;&;"},
		{"TooManyDigits", "&#00000000000000065;", "&#00000000000000065;"},
		{"Chinese", "你好，世界", "你好，世界"},
		{"RawCRLF", "a\r\nb\tc", "a\r\nb\tc"},
		{"RawControl", "a\x01b\x00c", "a\uFFFDb\uFFFDc"},
		{"OtherQuote", "it's", "it's"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sink := decodeString(t, `<smses><sms body="`+tt.in+`"/></smses>`)
			if len(sink.messages) != 1 || len(sink.skips) != 0 {
				t.Fatalf("messages=%d skips=%v, want 1 and none", len(sink.messages), sink.skips)
			}
			if got, _ := sink.messages[0].Attrs.Get("body"); got != tt.want {
				t.Fatalf("body=%q, want %q", got, tt.want)
			}
		})
	}
}

func TestDecode_Structure(t *testing.T) {
	tests := []struct {
		name      string
		doc       string
		wantItems int // messages + calls
		wantSkips []beifen.ParseError
	}{
		{"Empty", "", 0, []beifen.ParseError{{Line: 1, Reason: "no <smses> or <calls> root element"}}},
		{"OtherRoot", "<html>\n<sms a='1'/></html>", 1,
			[]beifen.ParseError{{Line: 1, Reason: "root element is not <smses> or <calls>"}}},
		{"MissingRootEnd", "<smses>\n<sms a='1'/>\n", 1,
			[]beifen.ParseError{{Line: 3, Reason: "unexpected end of file: missing </smses>"}}},
		{"UnknownElements", "<smses><x a='>'><y/></x><sms/><!DOCTYPE z><![CDATA[<sms/>]]></smses>", 1, nil},
		{"NotSelfClosing", "<smses><sms a='1'></sms><call b='2'></call></smses>", 2, nil},
		{"SelfClosingMMS", "<smses><mms a='1'/></smses>", 1, nil},
		{"MMSWithoutEnd", "<smses>\n<mms a='1'><parts>\n<sms a='2'/></smses>", 1,
			[]beifen.ParseError{{Line: 2, Reason: "mms: missing </mms>"}}},
		{"UnterminatedTag", "<smses>\n<sms a='1'\n<sms a='2'/></smses>", 1,
			[]beifen.ParseError{{Line: 2, Reason: "sms: unterminated tag"}}},
		{"UnterminatedValue", "<smses>\n<sms a='1/>\n<call a='2'/></smses>", 1,
			[]beifen.ParseError{{Line: 2, Reason: "sms: unterminated attribute value"}}},
		{"UnterminatedData", "<smses>\n<mms><parts><part data='QUFB/>\n<sms/></smses>", 1,
			[]beifen.ParseError{{Line: 2, Reason: "mms: part: unterminated attribute value"}}},
		{"NoValue", "<smses>\n<sms a/>\n<sms/></smses>", 1,
			[]beifen.ParseError{{Line: 2, Reason: "sms: bad attribute syntax"}}},
		{"SlashNotEnd", "<smses>\n<sms a='1' / >\n<sms/></smses>", 1,
			[]beifen.ParseError{{Line: 2, Reason: "sms: bad attribute syntax"}}},
		{"TwoDataAttributes", "<smses>\n<mms><parts><part data='' data=''/></parts></mms><sms/></smses>", 1,
			[]beifen.ParseError{{Line: 2, Reason: "mms: part: part has two data attributes"}}},
		{"EOFInComment", "<smses><sms/>\n<!-- cut", 1,
			[]beifen.ParseError{{Line: 2, Reason: "unexpected end of file"}}},
		{"EOFInEndTag", "<smses><sms/>\n</s", 1,
			[]beifen.ParseError{{Line: 2, Reason: "unexpected end of file"}}},
		{"EOFInStartTag", "<smses><sms/>\n<sm", 1,
			[]beifen.ParseError{{Line: 2, Reason: "unexpected end of file"}}},
		{"SpacesAroundEquals", "<smses><sms a = '1'\n\tb\n=\"2\" /></smses>", 1, nil},
		{"CallsRoot", "<calls><call/></calls>", 1, nil},
		{"LongElementName", "<smses>\n<" + strings.Repeat("x", 2000) + "/>\n<sms/></smses>", 1,
			[]beifen.ParseError{{Line: 2, Reason: "name too long"}}},
		{"LongAttributeName", "<smses>\n<sms " + strings.Repeat("x", 2000) + "='1'/>\n<sms/></smses>", 1,
			[]beifen.ParseError{{Line: 2, Reason: "sms: name too long"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sink := decodeString(t, tt.doc)
			if got := len(sink.messages) + len(sink.calls); got != tt.wantItems {
				t.Errorf("items=%d, want %d", got, tt.wantItems)
			}
			for i := range tt.wantSkips {
				tt.wantSkips[i].File = "test.xml"
			}
			checkSkips(t, sink.skips, tt.wantSkips)
		})
	}
}

func TestDecode_Data(t *testing.T) {
	tests := []struct {
		name, data, want string
		wantErr          bool
	}{
		{"Padded", "QUJDRA==", "ABCD", false},
		{"Unpadded", "QUJDRA", "ABCD", false},
		{"LineBreaks", "QUJD\r\nRA==\n", "ABCD", false},
		{"Empty", "", "", false},
		{"DataAfterPadding", "QQ==QQ==", "", true},
		{"OneCharTail", "QUJDR", "", true},
		{"Entity", "QUJD&amp;", "", true},
		{"Space", "QUJD RA==", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sink := decodeString(t, `<smses><mms><parts><part ct="x" data="`+tt.data+`"/></parts></mms></smses>`)
			if tt.wantErr {
				if len(sink.messages) != 0 || len(sink.skips) != 1 {
					t.Fatalf("messages=%d skips=%v, want 0 and 1", len(sink.messages), sink.skips)
				}
				return
			}
			if len(sink.messages) != 1 {
				t.Fatalf("messages=%d skips=%v, want 1", len(sink.messages), sink.skips)
			}
			p := sink.messages[0].Parts[0]
			if got := string(sink.blobs[p.Blob.Key]); p.Blob == nil || got != tt.want {
				t.Fatalf("blob=%q, want %q", got, tt.want)
			}
		})
	}
}

func TestDecode_ValueTooLarge(t *testing.T) {
	doc := "<smses>\n<sms body='" + strings.Repeat("x", 16<<20+1) + "'/>\n<sms body='ok'/></smses>"
	sink := decodeString(t, doc)
	if len(sink.messages) != 1 || sink.messages[0].Attrs.Value("body") != "ok" {
		t.Fatalf("messages=%d, want only the small one", len(sink.messages))
	}
	checkSkips(t, sink.skips, []beifen.ParseError{{File: "test.xml", Line: 2, Reason: "sms: attribute value too large"}})
}

func TestDecode_Errors(t *testing.T) {
	errSink := errors.New("sink full")
	data, err := os.ReadFile("testdata/sms.xml")
	if err != nil {
		t.Fatal(err)
	}
	t.Run("Sink", func(t *testing.T) {
		sink := newTestSink()
		sink.err = errSink
		if err := sbr.Decode(bytes.NewReader(data), "sms.xml", sink); !errors.Is(err, errSink) {
			t.Fatalf("err=%v, want %v", err, errSink)
		}
	})
	t.Run("PutBlob", func(t *testing.T) {
		sink := newTestSink()
		sink.err = errSink
		doc := "<smses><mms><parts><part data='QUJD'/></parts></mms></smses>"
		if err := sbr.Decode(strings.NewReader(doc), "x.xml", sink); !errors.Is(err, errSink) {
			t.Fatalf("err=%v, want %v", err, errSink)
		}
	})
	t.Run("Read", func(t *testing.T) {
		r := iotest.TimeoutReader(iotest.HalfReader(bytes.NewReader(data)))
		if err := sbr.Decode(r, "sms.xml", newTestSink()); !errors.Is(err, iotest.ErrTimeout) {
			t.Fatalf("err=%v, want %v", err, iotest.ErrTimeout)
		}
	})
	t.Run("ReadInData", func(t *testing.T) {
		i := bytes.Index(data, []byte(`data="`)) + 10
		r := io.MultiReader(bytes.NewReader(data[:i]), iotest.ErrReader(errSink))
		if err := sbr.Decode(r, "sms.xml", newTestSink()); !errors.Is(err, errSink) {
			t.Fatalf("err=%v, want %v", err, errSink)
		}
	})
}

// TestDecode_ReasonsArePrivate checks that no reason repeats content of the file.
func TestDecode_ReasonsArePrivate(t *testing.T) {
	for _, name := range []string{"broken.xml", "truncated.xml"} {
		for _, s := range mustDecodeFile(t, name).skips {
			for _, secret := range []string{"10086", "8613800138000", "unterminated quote"} {
				if strings.Contains(s.Error(), secret) {
					t.Errorf("%s: %q holds file content", name, s.Error())
				}
			}
		}
	}
}

// TestDecode_SpecialAtEveryOffset moves each byte the value reader must stop at through the
// positions of an eight-byte word, so that the word-at-a-time scan is checked at every offset.
func TestDecode_SpecialAtEveryOffset(t *testing.T) {
	specials := []struct{ in, want string }{
		{"&amp;", "&"}, {"&#55357;&#56832;", "😀"}, {"\n", "\n"}, {"\t", "\t"}, {"\r", "\r"},
		{"\x01", "\uFFFD"}, {`"`, `"`}, {"你", "你"}, {"\x7f", "\x7f"},
	}
	for _, sp := range specials {
		for off := range 20 {
			pad := strings.Repeat("a", off)
			doc := "<smses><sms body='" + pad + sp.in + pad + "x'/></smses>"
			sink := decodeString(t, doc)
			if len(sink.messages) != 1 {
				t.Fatalf("%q at %d: messages=%d skips=%v", sp.in, off, len(sink.messages), sink.skips)
			}
			if got, want := sink.messages[0].Attrs.Value("body"), pad+sp.want+pad+"x"; got != want {
				t.Fatalf("%q at %d: body=%q, want %q", sp.in, off, got, want)
			}
		}
		// A '<' is never part of a value, wherever it sits.
		for off := range 20 {
			doc := "<smses>\n<sms body='" + strings.Repeat("a", off) + "<x'/></smses>"
			if sink := decodeString(t, doc); len(sink.messages) != 0 || len(sink.skips) != 1 {
				t.Fatalf("'<' at %d: messages=%d skips=%v, want 0 and 1", off, len(sink.messages), sink.skips)
			}
		}
	}
}
