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

func decodeJSON(tb testing.TB, d *smsie.Decoder, data []byte, name string) (*memSink, error) {
	tb.Helper()
	s := newSink()
	err := d.DecodeJSON(bytes.NewReader(data), name, s)
	return s, err
}

func TestDecodeJSON_Calls(t *testing.T) {
	s, err := decodeJSON(t, &smsie.Decoder{}, mustRead(t, "calls-2024-04-05.json"), "calls-2024-04-05.json")
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "calls.txt", s)
	if len(s.Calls) != 3 || len(s.Skips) != 0 {
		t.Fatalf("got %d calls, %d skips, want 3 calls", len(s.Calls), len(s.Skips))
	}
	c := s.Calls[0]
	wantFirst := []string{"number", "duration", "date", "type", "presentation", "subscription_id",
		"post_dial_digits", "subscription_component_name", "contact_name"}
	if got := names(c.Attrs)[:len(wantFirst)]; !reflect.DeepEqual(got, wantFirst) {
		t.Fatalf("attribute order=%v, want %v first", got, wantFirst)
	}
	for _, tt := range []struct{ name, want string }{
		{"contact_name", "张伟"},
		{"subscription_id", "89860012345678901234"},
		{"data_usage", "null"},
		{"geocoded_location", "北京 移动"},
	} {
		if got := attr(t, c.Attrs, tt.name); got != tt.want {
			t.Errorf("%s=%q, want %q", tt.name, got, tt.want)
		}
	}
	if _, ok := c.Attrs.Get("display_name"); ok {
		t.Errorf("display_name kept, want it renamed to contact_name")
	}
	if c.Date() != 1712300300000 || s.Calls[1].Attrs.Value("type") != beifen.CallMissed {
		t.Errorf("Date=%d type=%q, want 1712300300000 and a missed second call", c.Date(), s.Calls[1].Attrs.Value("type"))
	}
	if got := attr(t, s.Calls[2].Attrs, "post_dial_digits"); got != ",1,3" {
		t.Errorf("post_dial_digits=%q, want ,1,3", got)
	}
}

func TestDecodeJSON_Contacts(t *testing.T) {
	s, err := decodeJSON(t, &smsie.Decoder{}, mustRead(t, "contacts-2024-04-05.json"), "contacts-2024-04-05.json")
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "contacts.txt", s)
	if len(s.Contacts) != 2 {
		t.Fatalf("len(Contacts)=%d, want 2", len(s.Contacts))
	}
	if len(s.Skips) != 1 || !strings.Contains(s.Skips[0].Reason, "item 3") {
		t.Fatalf("Skips=%v, want the empty third contact", s.Skips)
	}
	zw := s.Contacts[0]
	for _, tt := range []struct{ name, want string }{
		{"FN", "张伟"},
		{"N", "张;伟;;;"},
		{"ORG", "北京某某科技有限公司;销售部"},
		{"TITLE", "销售经理"},
		{"NOTE", `第一行：大学同学\n第二行\; 含分号\, 逗号\\反斜杠`},
		{"ADR", ";;建国路88号;北京;北京市;100022;中国"},
		{"NICKNAME", "老张"},
		{"URL", "https://example.com/zw"},
		{"BDAY", "1988-06-15"},
		{"X-QQ", "12345678"},
		{"X-PHONETIC-LAST-NAME", "Zhang"},
	} {
		if got := zw.Prop(tt.name); got != tt.want {
			t.Errorf("%s=%q, want %q", tt.name, got, tt.want)
		}
	}
	wantTel := []string{"+86 138 0013 8000", "010-6552 8888", `010-6552 8000\,801`}
	if got := zw.PropValues("TEL"); !reflect.DeepEqual(got, wantTel) {
		t.Fatalf("TEL=%v, want %v (the Google copy merged)", got, wantTel)
	}
	var types []string
	for _, p := range zw.Props {
		if p.Name == "TEL" && len(p.Params) > 0 {
			types = append(types, p.Params[0].Value)
		}
	}
	if want := []string{"CELL,PREF", "WORK", "X-单位总机"}; !reflect.DeepEqual(types, want) {
		t.Fatalf("TEL types=%v, want %v", types, want)
	}
	if got := zw.PropValues("EMAIL"); len(got) != 2 {
		t.Fatalf("EMAIL=%v, want 2 addresses", got)
	}
	if got := zw.PropValues("N"); len(got) != 1 {
		t.Fatalf("N=%v, want one N for two raw contacts", got)
	}
	if got := s.Contacts[1].Prop("EMAIL"); got != "lina@example.org" {
		t.Fatalf("second contact EMAIL=%q", got)
	}
}

func TestDecodeJSON_V1Messages(t *testing.T) {
	s, err := decodeJSON(t, &smsie.Decoder{}, mustRead(t, "messages-2022-01-01.json"), "messages-2022-01-01.json")
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "messages-v1.txt", s)
	if len(s.Messages) != 2 {
		t.Fatalf("len(Messages)=%d, want 2", len(s.Messages))
	}
	if got := attr(t, s.Messages[0].Attrs, "contact_name"); got != "中国联通" {
		t.Fatalf("contact_name=%q, want display_name mapped", got)
	}
	m := s.Messages[1]
	if m.Kind != beifen.MessageMMS || attr(t, m.Attrs, "date") != "1641000100000" {
		t.Fatalf("Kind=%q date=%q, want an MMS with date in ms", m.Kind, m.Attrs.Value("date"))
	}
	if got := attr(t, m.Attrs, "address"); got != "+8613800138000" {
		t.Fatalf("address=%q, want the recipient of the sent MMS", got)
	}
	want := bytes.Repeat(func() []byte {
		b := make([]byte, 256)
		for i := range b {
			b[i] = byte(i)
		}
		return b
	}(), 3)
	if got := s.blob(t, m.Parts[1]); !bytes.Equal(got, want) {
		t.Fatalf("binary_data blob is %d bytes, want %d", len(got), len(want))
	}
	if _, ok := m.Parts[1].Attrs.Get("binary_data"); ok {
		t.Fatalf("binary_data kept as an attribute")
	}
	if len(s.Skips) != 1 || !strings.Contains(s.Skips[0].Reason, "item 3: not a JSON object") {
		t.Fatalf("Skips=%v, want item 3 not an object", s.Skips)
	}
}

func TestDecodeJSON_Broken(t *testing.T) {
	calls := mustRead(t, "calls-2024-04-05.json")
	tests := []struct {
		name      string
		in        []byte
		wantCalls int
		wantSkip  string
	}{
		{"Truncated", calls[:bytes.Index(calls, []byte(`"_id": "102"`))+8], 1, "item 2: truncated JSON; rest of file not read"},
		{"SyntaxError", []byte(`[{"number":"10086","duration":"1"}, {"number": oops}]`), 1, "item 2: invalid JSON"},
		{"NotObject", []byte(`[{"number":"10086","duration":"1"}, "x", {"number":"10010"}]`), 2, "item 2: not a JSON object"},
		{"BadBase64", []byte(`[{"m_type":"132","msg_box":"1","parts":[{"ct":"image/png","binary_data":"!!!"}]}]`), 0, "item 1: MMS part 0: invalid base64 data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := decodeJSON(t, &smsie.Decoder{}, tt.in, "calls-2024-04-05.json")
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Calls) != tt.wantCalls {
				t.Fatalf("len(Calls)=%d, want %d", len(s.Calls), tt.wantCalls)
			}
			if len(s.Skips) != 1 || !strings.Contains(s.Skips[0].Reason, tt.wantSkip) {
				t.Fatalf("Skips=%v, want one containing %q", s.Skips, tt.wantSkip)
			}
		})
	}
}

func TestDecodeJSON_Refused(t *testing.T) {
	big := []byte(`[{"number":"10086","duration":"1","x":"` + strings.Repeat("a", 300<<10) + `"}]`)
	tests := []struct {
		name   string
		limits smsie.Limits
	}{
		{"Item", smsie.Limits{MaxItem: 100 << 10}},
		{"Total", smsie.Limits{MaxTotal: 1000}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := decodeJSON(t, &smsie.Decoder{Limits: tt.limits}, big, "calls.json")
			wantCode(t, err, beifen.ETOOLARGE)
			if len(s.Calls) != 0 {
				t.Fatalf("len(Calls)=%d, want 0", len(s.Calls))
			}
		})
	}
}

func TestDecodeJSON_NDJSON(t *testing.T) {
	s, err := decodeJSON(t, &smsie.Decoder{}, mustRead(t, "messages.ndjson"), "messages.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Messages) != 5 {
		t.Fatalf("len(Messages)=%d, want 5", len(s.Messages))
	}
	// Outside the zip the part files are not there: each media part is reported.
	var media int
	for _, sk := range s.Skips {
		if strings.Contains(sk.Reason, "media not in export") {
			media++
		}
	}
	if media != 3 {
		t.Fatalf("media skips=%d, want 3 (Skips=%v)", media, s.Skips)
	}
}

func TestDecodeJSON_Invalid(t *testing.T) {
	for _, in := range []string{"", "hello", "42", `"calls"`} {
		_, err := decodeJSON(t, &smsie.Decoder{}, []byte(in), "calls.json")
		wantCode(t, err, beifen.EINVALID)
	}
}

func TestDecodeJSON_SinkError(t *testing.T) {
	s := newSink()
	s.fail = errSink
	err := smsie.DecodeJSON(bytes.NewReader(mustRead(t, "contacts-2024-04-05.json")), "contacts.json", s)
	if !errors.Is(err, errSink) || len(s.Contacts) != 1 {
		t.Fatalf("err=%v after %d contacts, want the sink's error after 1", err, len(s.Contacts))
	}
}
