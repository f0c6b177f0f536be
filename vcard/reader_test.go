package vcard_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/vcard"
)

// fixtures lists every sample file; each must round-trip card by card.
var fixtures = []string{"android21.vcf", "gbk.vcf", "ios30.vcf", "v40.vcf", "malformed.vcf", "quirks.vcf"}

// propCase is one expected property of one card of a fixture.
type propCase struct {
	card   int
	name   string // "NAME" or "group.NAME"
	value  string
	params string // "NAME=v;NAME=v" as read, or "-" to not check
}

func checkProps(t *testing.T, res result, cases []propCase) {
	t.Helper()
	for _, tt := range cases {
		if tt.card >= len(res.cards) {
			t.Fatalf("card %d missing: read %d cards", tt.card, len(res.cards))
		}
		p := findProp(t, res.cards[tt.card], tt.name)
		if p.Value != tt.value {
			t.Errorf("card %d %s=%q, want %q", tt.card, tt.name, p.Value, tt.value)
		}
		if got := formatParams(p.Params); tt.params != "-" && got != tt.params {
			t.Errorf("card %d %s params=%q, want %q", tt.card, tt.name, got, tt.params)
		}
	}
}

func formatParams(ps []beifen.Param) string {
	var s []string
	for _, p := range ps {
		s = append(s, p.Name+"="+p.Value)
	}
	return strings.Join(s, ";")
}

func TestReadAndroid21(t *testing.T) {
	_, res := mustReadFixture(t, "android21.vcf")
	if len(res.cards) != 3 || len(res.errs) != 0 {
		t.Fatalf("read %d cards, %d errors, want 3, 0", len(res.cards), len(res.errs))
	}
	checkProps(t, res, []propCase{
		{0, "VERSION", "3.0", ""},
		{0, "N", "张;三;;;", ""},
		{0, "FN", "张三", ""},
		{0, "X-PHONETIC-LAST-NAME", "Zhang", ""},
		{0, "TEL", "+86 138 0013 8000", "TYPE=CELL,PREF"},
		{0, "EMAIL", "zhangsan@example.com", "TYPE=HOME"},
		{0, "ORG", "北京星辰科技有限公司;研发部", ""},
		{0, "ADR", ";;朝阳区建国路88号SOHO现代城5号楼1203室;北京;北京市;100022;中国", "TYPE=HOME"},
		{0, "NOTE", `第一行：生日聚会\n第二行：带蛋糕\n第三行：早点到，别迟到`, ""},
		{0, "X-ANDROID-CUSTOM", "vnd.android.cursor.item/nickname;小张;1;;;;;;;;;;;;;", ""},
		{0, "BDAY", "1990-01-01", ""},
		{0, "PHOTO", fixtureB64(t, "tiny.jpg"), "ENCODING=b;TYPE=JPEG"},
		{1, "FN", `王小明\, 经理`, ""},
		{1, "NOTE", `开会时间\;周一\, 周三`, ""},
		{1, "X-QQ", "12345678", ""},
		{2, "N", "Li;Lei;;;", ""},
	})
	tels := findProps(res.cards[0], "TEL")
	if len(tels) != 3 || tels[2].Value != "021-5888 0000,,123" || formatParams(tels[2].Params) != "TYPE=WORK,FAX" {
		t.Errorf("TELs=%q, want 3 with the last WORK,FAX with its pauses", tels)
	}
	// The property after the photo's blank line is still read, in card order.
	last := res.cards[0].Props[len(res.cards[0].Props)-1]
	if last.Name != "X-ANDROID-CUSTOM" || !strings.Contains(last.Value, "contact_event;1999-07-10") {
		t.Errorf("last prop=%q, want the contact_event X-ANDROID-CUSTOM", last)
	}
}

// fixtureB64 returns the base64 of an image the fixtures embed.
func fixtureB64(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(data)
}

func TestReadCharsets(t *testing.T) {
	_, res := mustReadFixture(t, "gbk.vcf")
	if len(res.cards) != 5 || len(res.errs) != 0 {
		t.Fatalf("read %d cards, %d errors, want 5, 0", len(res.cards), len(res.errs))
	}
	checkProps(t, res, []propCase{
		{0, "N", "李;四;;;", ""}, // GB2312 quoted-printable
		{0, "FN", "李四", ""},
		{0, "NOTE", `老同学，住在上海徐汇区漕溪北路，电话常换\n请发短信`, ""},
		{1, "N", "赵;六;;;", ""}, // raw GBK, no CHARSET
		{1, "ORG", "广州市天河区体育西路", ""},
		{2, "FN", "陳大文", ""}, // raw Big5 with CHARSET, 3.0
		{2, "N", "陳;大文;;;", ""},
		{3, "FN", "山田太郎", ""}, // Shift_JIS, bare QUOTED-PRINTABLE
		{3, "N", "山田;太郎;;;", ""},
		{4, "FN", "孙丽", ""}, // UTF-7 (Sony Ericsson)
	})
}

func TestReadIOS30(t *testing.T) {
	_, res := mustReadFixture(t, "ios30.vcf")
	if len(res.cards) != 1 || len(res.errs) != 0 {
		t.Fatalf("read %d cards, %d errors, want 1, 0", len(res.cards), len(res.errs))
	}
	checkProps(t, res, []propCase{
		{0, "PRODID", "-//Apple Inc.//iOS 17.5.1//EN", ""},
		{0, "item1.EMAIL", "xiaohong.chen@example.com", "TYPE=INTERNET,pref"},
		{0, "item1.X-ABLABEL", "_$!<Other>!$_", ""},
		{0, "TEL", "+86 135 0000 1234", "TYPE=CELL,VOICE,pref"},
		{0, "item2.TEL", "0755-8888 6666", ""},
		{0, "item2.X-ABLABEL", "_$!<AssistantPhone>!$_", ""},
		{0, "item3.X-ABLABEL", "公司总机", ""},
		{0, "item4.ADR", `;;华强北路1002号\n赛格广场;深圳;广东省;518031;中国`, "TYPE=WORK,pref"},
		{0, "item5.URL", `http\://www.example.cn/about`, "TYPE=pref"},
		// folded in the middle of a UTF-8 sequence: the bytes are joined before decoding
		{0, "NOTE", `第一次见面在2019年深圳高交会\, 聊了很久\n她喜欢喝普洱茶\; 不喝咖啡。` +
			`这是一段很长的备注用来测试按七十五个字节折行的行为是否正确。`, ""},
		{0, "BDAY", "1988-08-08", "VALUE=date"},
		{0, "X-SOCIALPROFILE", "http://weibo.com/chenxh", "TYPE=weibo"},
		{0, "PHOTO", fixtureB64(t, "tiny.jpg"), "ENCODING=b;TYPE=JPEG"},
	})
}

func TestReadV40(t *testing.T) {
	_, res := mustReadFixture(t, "v40.vcf")
	if len(res.cards) != 2 || len(res.errs) != 0 {
		t.Fatalf("read %d cards, %d errors, want 2, 0", len(res.cards), len(res.errs))
	}
	checkProps(t, res, []propCase{
		{0, "VERSION", "3.0", ""},
		{0, "TEL", "+86-139-1234-5678", "TYPE=voice,cell;PREF=1"},
		{0, "PHOTO", fixtureB64(t, "tiny.png"), "ENCODING=b;TYPE=PNG"},
		{1, "PHOTO", "https://photos.example.com/zhoujie.jpg", "MEDIATYPE=image/jpeg;VALUE=uri"},
		{1, "IMPP", "xmpp:zhoujie@example.com", "PREF=1"},
	})
	if tels := findProps(res.cards[0], "TEL"); len(tels) != 2 || tels[1].Value != "+86-10-6552-0000;ext=102" {
		t.Errorf("TELs=%q, want the second as +86-10-6552-0000;ext=102", tels)
	}
}

func TestReadMalformed(t *testing.T) {
	_, res := mustReadFixture(t, "malformed.vcf")
	var names []string
	for _, c := range res.cards {
		names = append(names, c.Prop("FN"))
	}
	if got, want := strings.Join(names, ","), "Wu Fang,黄磊,林静"; got != want {
		t.Errorf("cards=%s, want %s", got, want)
	}
	if len(res.errs) != 1 {
		t.Fatalf("errors=%v, want 1", res.errs)
	}
	if got, want := res.errs[0].Error(), "malformed.vcf:9: card has no END:VCARD"; got != want {
		t.Errorf("error=%q, want %q", got, want)
	}
}

func TestReadQuirks(t *testing.T) {
	_, res := mustReadFixture(t, "quirks.vcf")
	if len(res.cards) != 3 || len(res.errs) != 0 {
		t.Fatalf("read %d cards, %d errors, want 3, 0", len(res.cards), len(res.errs))
	}
	// The nested card ends first, so it comes first.
	checkProps(t, res, []propCase{
		{0, "FN", "Huang Rong", ""},
		{1, "FN", "Guo Jing", ""},
		{1, "BDAY", "1990-01-01", ""},
		{1, "NOTE", `a\;b\, c\;d \\ e \\n f`, ""},
		{1, "X-NO", "", ""},
		{1, "X-ANDROID-CUSTOM", `vnd.android.cursor.item/nickname;Jing\, the hero;1;;;;;;;;;;;;;`, ""},
		{1, "URL", "http://example.com/guojing", ""},
		{2, "FN", "Mixed Case", ""},
		{2, "TEL", "+1 555 0100", "TYPE=cell,voice,pref"},
		{2, "NOTE", "folded over two lines with a tab", ""},
	})
	guo := res.cards[1]
	if n := len(findProps(guo, "VERSION")); n != 1 || guo.Props[0].Name != "VERSION" {
		t.Errorf("VERSION count=%d first=%s, want 1 and first", n, guo.Props[0].Name)
	}
	if got := guo.PropValues("PRODID"); len(got) != 2 {
		t.Errorf("PRODID=%q, want both kept", got)
	}
	tels := findProps(guo, "TEL")
	if len(tels) != 2 || formatParams(tels[0].Params) != "TYPE=CELL,PREF" || formatParams(tels[1].Params) != "TYPE=WORK,VOICE,pref" {
		t.Errorf("TELs=%q, want bare and repeated types merged", tels)
	}
	if tels[1].Value != "010-1234p5678w9" {
		t.Errorf("TEL=%q, want dial pauses kept", tels[1].Value)
	}
	photo := findProp(t, guo, "PHOTO")
	if formatParams(photo.Params) != "ENCODING=b;TYPE=PNG" || photo.Value != fixtureB64(t, "tiny.png") {
		t.Errorf("PHOTO=%q %q, want the PNG joined from bare base64 lines", formatParams(photo.Params), photo.Value)
	}
}

func TestRoundTripFixtures(t *testing.T) {
	for _, name := range fixtures {
		t.Run(name, func(t *testing.T) {
			_, res := mustReadFixture(t, name)
			for _, c := range res.cards {
				checkRoundTrip(t, c)
			}
		})
	}
}

// sink records what Decode hands it.
type sink struct {
	contacts []*beifen.Contact
	skipped  []*beifen.ParseError
	failOn   int // Contact returns errSink on this call (1-based), 0 never
}

var errSink = errors.New("sink full")

func (s *sink) Contact(c *beifen.Contact) error {
	s.contacts = append(s.contacts, c)
	if len(s.contacts) == s.failOn {
		return errSink
	}
	return nil
}
func (s *sink) Message(*beifen.Message) error             { return errors.New("unexpected message") }
func (s *sink) Call(*beifen.Call) error                   { return errors.New("unexpected call") }
func (s *sink) PutBlob(io.Reader) (beifen.BlobRef, error) { return beifen.BlobRef{}, nil }
func (s *sink) Skip(err *beifen.ParseError)               { s.skipped = append(s.skipped, err) }

func TestDecode(t *testing.T) {
	data, _ := mustReadFixture(t, "malformed.vcf")
	t.Run("OK", func(t *testing.T) {
		var s sink
		if err := vcard.Decode(bytes.NewReader(data), "malformed.vcf", &s); err != nil {
			t.Fatalf("Decode: %v", err)
		}
		if len(s.contacts) != 3 || len(s.skipped) != 1 || s.skipped[0].Line != 9 {
			t.Errorf("contacts=%d skipped=%v, want 3 and one at line 9", len(s.contacts), s.skipped)
		}
	})
	t.Run("SinkError", func(t *testing.T) {
		s := sink{failOn: 2}
		err := vcard.Decode(bytes.NewReader(data), "malformed.vcf", &s)
		if !errors.Is(err, errSink) || len(s.contacts) != 2 {
			t.Errorf("err=%v after %d contacts, want errSink after 2", err, len(s.contacts))
		}
	})
	t.Run("ReaderError", func(t *testing.T) {
		errDisk := errors.New("disk gone")
		r := io.MultiReader(bytes.NewReader(data[:40]), &failReader{errDisk})
		if err := vcard.Decode(r, "x.vcf", &sink{}); !errors.Is(err, errDisk) {
			t.Errorf("err=%v, want errDisk", err)
		}
	})
}

type failReader struct{ err error }

func (f *failReader) Read([]byte) (int, error) { return 0, f.err }

func TestReadLimits(t *testing.T) {
	long := strings.Repeat("A", vcard.MaxLine+10)
	in := "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Before\r\nEND:VCARD\r\n" +
		"BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:" + long + "\r\nFN:Huge\r\nEND:VCARD\r\n" +
		"BEGIN:VCARD\r\nVERSION:3.0\r\nPHOTO;ENCODING=b:" + long[:vcard.MaxLine/2] + "\r\n " + long[:vcard.MaxLine/2] + "\r\nEND:VCARD\r\n" +
		"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:After\r\nEND:VCARD\r\n"
	res := readAll(t, []byte(in), "big.vcf")
	if len(res.cards) != 2 || res.cards[0].Prop("FN") != "Before" || res.cards[1].Prop("FN") != "After" {
		t.Fatalf("read %d cards, want Before and After", len(res.cards))
	}
	want := []string{"big.vcf:5: line 7 is longer than 32 MiB", "big.vcf:10: line 12 is longer than 32 MiB"}
	if len(res.errs) != 2 || res.errs[0].Error() != want[0] || res.errs[1].Error() != want[1] {
		t.Errorf("errors=%v, want %q", res.errs, want)
	}
}

func TestReadBadCards(t *testing.T) {
	ok := "BEGIN:VCARD\r\nFN:Ok\r\nEND:VCARD\r\n"
	tests := []struct {
		name      string
		in        string
		wantCards int
		wantErr   string
	}{
		{"NoEnd", ok + "BEGIN:VCARD\r\nFN:Cut\r\n", 1, "t.vcf:4: card has no END:VCARD"},
		{"TooManyProps", "BEGIN:VCARD\r\n" + strings.Repeat("TEL:1\r\n", vcard.MaxCard/256) + "END:VCARD\r\n" + ok,
			1, "t.vcf:1: card is larger than 64 MiB"},
		{"NestedTooDeep", strings.Repeat("BEGIN:VCARD\r\n", 10) + strings.Repeat("END:VCARD\r\n", 10) + ok,
			8, "t.vcf:8: cards nested too deeply"},
		{"StrayEnd", "END:VCARD\r\n" + ok, 1, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := readAll(t, []byte(tt.in), "t.vcf")
			if len(res.cards) != tt.wantCards {
				t.Errorf("read %d cards, want %d", len(res.cards), tt.wantCards)
			}
			var got string
			if len(res.errs) > 0 {
				got = res.errs[0].Error()
			}
			if got != tt.wantErr || len(res.errs) > 1 {
				t.Errorf("errors=%v, want %q", res.errs, tt.wantErr)
			}
		})
	}
}

func TestReadUTF16(t *testing.T) {
	text := "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:何静\r\nEND:VCARD\r\n"
	var b []byte
	b = append(b, 0xff, 0xfe)
	for _, r := range text {
		b = append(b, byte(r), byte(r>>8))
	}
	res := readAll(t, b, "utf16.vcf")
	if len(res.cards) != 1 || res.cards[0].Prop("FN") != "何静" {
		t.Errorf("cards=%v, want FN 何静", res.cards)
	}
	if !vcard.Sniff(b) {
		t.Error("Sniff(UTF-16)=false, want true")
	}
}

func TestSniff(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want bool
	}{
		{"Plain", "BEGIN:VCARD\r\nVERSION:2.1", true},
		{"LowerCase", "begin:vcard\n", true},
		{"BOMAndSpace", "\ufeff\r\n  BEGIN:VCARD", true},
		{"Short", "BEGIN:VCA", false},
		{"Calendar", "BEGIN:VCALENDAR", false},
		{"XML", `<?xml version="1.0"?><smses>`, false},
		{"Empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := vcard.Sniff([]byte(tt.in)); got != tt.want {
				t.Errorf("Sniff(%q)=%v, want %v", tt.in, got, tt.want)
			}
		})
	}
}
