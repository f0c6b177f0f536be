package smsie_test

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/smsie"
)

const zipName = "messages-2024-04-05.zip"

// mustMessagesZip builds messages-2024-04-05.zip from testdata/messages.ndjson: the PNG of
// the received MMS is in data/, the JPEG of the sent one is not, and two members have
// names that must never be followed.
func mustMessagesZip(tb testing.TB) (zipData, pngData []byte) {
	tb.Helper()
	pngData = mustPNG(tb)
	zipData = mustZip(tb,
		zipMember{"messages.ndjson", mustRead(tb, "messages.ndjson")},
		zipMember{"data/PART_1712345678901", pngData},
		zipMember{"data/MISSING_FILENAME1712350000000sticker.png", []byte("sticker")},
		zipMember{"../PART_1712349999000", []byte("outside")},
		zipMember{"data/../data/PART_1712349999000", []byte("outside")},
	)
	return zipData, pngData
}

func decodeZip(tb testing.TB, d *smsie.Decoder, data []byte, name string) (*memSink, error) {
	tb.Helper()
	s := newSink()
	err := d.DecodeZip(bytes.NewReader(data), int64(len(data)), name, s)
	return s, err
}

func TestDecodeZip_Messages(t *testing.T) {
	data, pngData := mustMessagesZip(t)
	s := newSink()
	if err := smsie.DecodeZip(bytes.NewReader(data), int64(len(data)), zipName, s); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "messages-zip.txt", s)
	if len(s.Messages) != 5 {
		t.Fatalf("len(Messages)=%d, want 5 (3 SMS + 2 MMS; the broken line skipped)", len(s.Messages))
	}

	t.Run("SMS", func(t *testing.T) {
		m := s.Messages[0]
		if m.Kind != beifen.MessageSMS {
			t.Fatalf("Kind=%q, want sms", m.Kind)
		}
		want := []string{"protocol", "address", "date", "type", "body", "service_center", "read",
			"status", "locked", "date_sent", "sub_id", "contact_name",
			"_id", "creator", "error_code", "person", "reply_path_present", "seen", "thread_id"}
		if got := names(m.Attrs); !reflect.DeepEqual(got, want) {
			t.Fatalf("attribute order=%v, want %v", got, want)
		}
		if got := attr(t, m.Attrs, "contact_name"); got != "中国移动" {
			t.Fatalf("contact_name=%q, want 中国移动", got)
		}
		if got := attr(t, m.Attrs, "date"); got != "1712300000123" {
			t.Fatalf("date=%q, want the ms value unchanged", got)
		}
		if got := s.Messages[1].Body(); got != "晚上七点见 😀👍\n别迟到！" {
			t.Fatalf("Body=%q, want the emoji and newline kept", got)
		}
		if got := attr(t, s.Messages[2].Attrs, "subject"); got != "null" {
			t.Fatalf("subject=%q, want JSON null as \"null\"", got)
		}
	})

	t.Run("BrokenLine", func(t *testing.T) {
		var lines []int
		for _, sk := range s.Skips {
			if strings.Contains(sk.Reason, "JSON") {
				lines = append(lines, sk.Line)
				if sk.File != zipName+"/messages.ndjson" {
					t.Fatalf("File=%q, want %s/messages.ndjson", sk.File, zipName)
				}
				if strings.Contains(sk.Reason, "被截断") || strings.Contains(sk.Reason, "139") {
					t.Fatalf("Reason=%q quotes the message", sk.Reason)
				}
			}
		}
		if !reflect.DeepEqual(lines, []int{3}) {
			t.Fatalf("JSON skips on lines %v, want [3]", lines)
		}
	})

	t.Run("ReceivedMMS", func(t *testing.T) {
		m := s.Messages[3]
		if m.Kind != beifen.MessageMMS {
			t.Fatalf("Kind=%q, want mms", m.Kind)
		}
		for _, tt := range []struct{ name, want string }{
			{"date", "1712345678000"},     // seconds scaled to ms
			{"date_sent", "1712345670"},   // kept in seconds, as SB&R does
			{"address", "+8613800138000"}, // the sender
			{"contact_name", "张伟"},
			{"m_id", "mavodi-1-89-2a-4f-1c-e1"},
			{"sub", "null"},
		} {
			if got := attr(t, m.Attrs, tt.name); got != tt.want {
				t.Errorf("%s=%q, want %q", tt.name, got, tt.want)
			}
		}
		for _, hidden := range []string{"__parts", "__sender_address", "__recipient_addresses"} {
			if _, ok := m.Attrs.Get(hidden); ok {
				t.Errorf("attribute %s kept, want it mapped away", hidden)
			}
		}
		wantAddrs := []beifen.Attrs{
			{{Name: "address", Value: "+8613800138000"}, {Name: "type", Value: "137"}, {Name: "charset", Value: "106"}},
			{{Name: "address", Value: "+8613900139000"}, {Name: "type", Value: "151"}, {Name: "charset", Value: "106"}},
		}
		if !reflect.DeepEqual(m.Addrs, wantAddrs) {
			t.Fatalf("Addrs=%v, want %v", m.Addrs, wantAddrs)
		}
		if len(m.Parts) != 3 {
			t.Fatalf("len(Parts)=%d, want 3", len(m.Parts))
		}
		img := m.Parts[1]
		if got := names(img.Attrs); !reflect.DeepEqual(got, []string{"seq", "ct", "name", "cid", "cl"}) {
			t.Fatalf("image part attributes=%v, want seq ct name cid cl (no _id, mid, _data)", got)
		}
		if got := s.blob(t, img); !bytes.Equal(got, pngData) {
			t.Fatalf("image blob is %d bytes, want the %d-byte PNG from data/", len(got), len(pngData))
		}
		if img.Blob.Size != int64(len(pngData)) {
			t.Fatalf("Blob.Size=%d, want %d", img.Blob.Size, len(pngData))
		}
		if m.Parts[0].Blob != nil || m.Parts[2].Blob != nil {
			t.Fatalf("SMIL or text part has a Blob, want none")
		}
		if got := m.Body(); got != "生日快乐🎂！照片收到了吗？" {
			t.Fatalf("Body=%q", got)
		}
	})

	t.Run("SentGroupMMS", func(t *testing.T) {
		m := s.Messages[4]
		if got, want := attr(t, m.Attrs, "address"), "+8613800138000~+8613700137000~+8613600136000"; got != want {
			t.Fatalf("address=%q, want %q", got, want)
		}
		if _, ok := m.Attrs.Get("contact_name"); ok {
			t.Fatalf("contact_name set although one recipient has no name")
		}
		var types []string
		for _, a := range m.Addrs {
			types = append(types, a.Value("type"))
		}
		if !reflect.DeepEqual(types, []string{"137", "151", "151", "130"}) {
			t.Fatalf("addr types=%v, want [137 151 151 130]", types)
		}
		if m.Parts[1].Blob != nil {
			t.Fatalf("part with missing data file has a Blob")
		}
		if got := m.Parts[1].Attrs.Value("name"); got != "photo.jpg" {
			t.Fatalf("part name=%q, want the part kept without its file", got)
		}
		if got := string(s.blob(t, m.Parts[2])); got != "sticker" {
			t.Fatalf("MISSING_FILENAME part blob=%q, want sticker", got)
		}
		var missing []*beifen.ParseError
		for _, sk := range s.Skips {
			if strings.Contains(sk.Reason, "missing") {
				missing = append(missing, sk)
			}
		}
		if len(missing) != 1 || missing[0].Line != 6 || !strings.Contains(missing[0].Reason, "PART_1712349999000") {
			t.Fatalf("missing-file skips=%v, want one on line 6 naming PART_1712349999000", missing)
		}
	})
}

func TestDecodeZip_Refused(t *testing.T) {
	zeros := make([]byte, 16<<20) // deflates more than 1000:1
	ndjson := mustRead(t, "messages.ndjson")
	tests := []struct {
		name    string
		limits  smsie.Limits
		members []zipMember
	}{
		{"BombNDJSON", smsie.Limits{}, []zipMember{{"messages.ndjson", zeros}}},
		{"BombPart", smsie.Limits{}, []zipMember{{"messages.ndjson", ndjson}, {"data/PART_1712345678901", zeros}}},
		{"BombJSON", smsie.Limits{}, []zipMember{{"calls-2024-04-05.json", zeros}}},
		{"Total", smsie.Limits{MaxTotal: 1000}, []zipMember{{"messages.ndjson", ndjson}}},
		{"Ratio", smsie.Limits{MaxRatio: 1, RatioFloor: 100}, []zipMember{{"messages.ndjson", ndjson}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := decodeZip(t, &smsie.Decoder{Limits: tt.limits}, mustZip(t, tt.members...), zipName)
			wantCode(t, err, beifen.ETOOLARGE)
			if msg := beifen.ErrorMessage(err); !strings.Contains(msg, zipName) {
				t.Fatalf("ErrorMessage=%q, want the file named", msg)
			}
			if len(s.Messages) > 3 {
				t.Fatalf("len(Messages)=%d, want the read stopped", len(s.Messages))
			}
		})
	}
}

func TestDecodeZip_LongLine(t *testing.T) {
	long := `{"address":"10086","type":"1","body":"` + strings.Repeat("长", 2000) + `"}`
	data := mustZip(t, zipMember{"messages.ndjson", []byte(long + "\n" + `{"address":"10010","type":"1","body":"ok"}` + "\n")})
	s, err := decodeZip(t, &smsie.Decoder{Limits: smsie.Limits{MaxItem: 1024}}, data, zipName)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Messages) != 1 || s.Messages[0].Address() != "10010" {
		t.Fatalf("Messages=%v, want only the short line", s.Messages)
	}
	if len(s.Skips) != 1 || s.Skips[0].Line != 1 || !strings.Contains(s.Skips[0].Reason, "longer") {
		t.Fatalf("Skips=%v, want line 1 too long", s.Skips)
	}
}

func TestDecodeZip_Calls(t *testing.T) {
	data := mustZip(t, zipMember{"calls-2024-04-05.json", mustRead(t, "calls-2024-04-05.json")})
	s, err := decodeZip(t, &smsie.Decoder{}, data, "calls-2024-04-05.zip")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Calls) != 3 || len(s.Messages) != 0 {
		t.Fatalf("got %d calls and %d messages, want 3 calls", len(s.Calls), len(s.Messages))
	}
}

func TestDecodeZip_V1JSON(t *testing.T) {
	data := mustRead(t, "messages-2022-01-01.json")
	s, err := decodeZip(t, &smsie.Decoder{}, data, "messages-2022-01-01.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Messages) != 2 {
		t.Fatalf("len(Messages)=%d, want 2 from the v1 JSON", len(s.Messages))
	}
}

func TestDecodeZip_Invalid(t *testing.T) {
	tests := []struct {
		name string
		data []byte
	}{
		{"NotZip", []byte("hello, this is not an archive")},
		{"NoExport", mustZip(t, zipMember{"readme.txt", []byte("hi")})},
		{"OnlyUnsafeNames", mustZip(t, zipMember{"../messages.ndjson", []byte("{}\n")})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decodeZip(t, &smsie.Decoder{}, tt.data, zipName)
			wantCode(t, err, beifen.EINVALID)
		})
	}
}

func TestDecodeZip_SinkError(t *testing.T) {
	data, _ := mustMessagesZip(t)
	s := newSink()
	s.fail = errSink
	err := smsie.DecodeZip(bytes.NewReader(data), int64(len(data)), zipName, s)
	if !errors.Is(err, errSink) {
		t.Fatalf("err=%v, want the sink's error", err)
	}
	if len(s.Messages) != 1 {
		t.Fatalf("len(Messages)=%d, want the read stopped after the first", len(s.Messages))
	}
}
