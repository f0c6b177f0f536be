package vcard_test

import (
	"testing"
)

// readOne reads a one-card file made of lines and returns its property called name.
func readOne(t *testing.T, version string, lines string) result {
	t.Helper()
	in := "BEGIN:VCARD\r\nVERSION:" + version + "\r\n" + lines + "END:VCARD\r\n"
	res := readAll(t, []byte(in), "t.vcf")
	if len(res.cards) != 1 || len(res.errs) != 0 {
		t.Fatalf("read %d cards, errors %v, want 1 card", len(res.cards), res.errs)
	}
	checkRoundTrip(t, res.cards[0])
	return res
}

func TestQuotedPrintable(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"UTF8", "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=BC=A0=E4=B8=89\r\n", "张三"},
		{"LowerHex", "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=e5=bc=a0\r\n", "张"},
		{"SoftBreak", "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=E5=BC=\r\n=A0=E4=B8=89\r\n", "张三"},
		{"SoftBreakKeepsLeadingSpace", "NOTE;ENCODING=QUOTED-PRINTABLE:a=\r\n b\r\n", "a b"},
		{"SoftBreakTwice", "NOTE;ENCODING=QUOTED-PRINTABLE:ab=\r\ncd=\r\nef\r\n", "abcdef"},
		{"Newlines", "NOTE;ENCODING=QUOTED-PRINTABLE:one=0D=0Atwo=0Athree\r\n", `one\ntwo\nthree`},
		{"BareParam", "NOTE;QUOTED-PRINTABLE;UTF-8:=E4=BD=A0=E5=A5=BD\r\n", "你好"},
		{"EqualsNotHex", "NOTE;ENCODING=QUOTED-PRINTABLE:1+1=2 =ZZ\r\n", "1+1=2 =ZZ"},
		{"TrailingEquals", "NOTE;ENCODING=QUOTED-PRINTABLE:end=\r\nTEL:1\r\n", "endTEL:1"},
		{"NoSwallowEnd", "NOTE;ENCODING=QUOTED-PRINTABLE:end=\r\n", "end"},
		{"EscapedSemicolon", "NOTE;ENCODING=QUOTED-PRINTABLE:a=5C=3Bb;c,d\r\n", `a\;b\;c\,d`},
		{"GB2312", "FN;CHARSET=GB2312;ENCODING=QUOTED-PRINTABLE:=D5=C5=C8=FD\r\n", "张三"},
		{"UnlabelledGBK", "FN;ENCODING=QUOTED-PRINTABLE:=D5=C5=C8=FD\r\n", "张三"},
		{"GBKLooksLikeUTF8", "FN;CHARSET=GBK;ENCODING=QUOTED-PRINTABLE:=D5=C5\r\n", "张"},
		{"MislabelledUTF8", "FN;CHARSET=GBK;ENCODING=QUOTED-PRINTABLE:=E5=BC=A0=E4=B8=89\r\n", "张三"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := readOne(t, "2.1", tt.in)
			name := res.cards[0].Props[1].Name
			if got := res.cards[0].Prop(name); got != tt.want {
				t.Errorf("%s=%q, want %q", name, got, tt.want)
			}
			if got := formatParams(res.cards[0].Props[1].Params); got != "" {
				t.Errorf("params=%q, want CHARSET and ENCODING dropped", got)
			}
		})
	}
}

func TestUnfold(t *testing.T) {
	tests := []struct {
		name, version, in, want string
	}{
		{"Space", "3.0", "NOTE:abc\r\n def\r\n", "abcdef"},
		{"Tab", "3.0", "NOTE:abc\r\n\tdef\r\n", "abcdef"},
		{"OnlyOneSpaceGoes", "3.0", "NOTE:abc\r\n  def\r\n", "abc def"},
		{"LFOnly", "3.0", "NOTE:abc\n def\n", "abcdef"},
		{"SplitUTF8", "3.0", "NOTE:\xe5\xbc\r\n \xa0\r\n", "张"},
		{"FoldedHeader", "3.0", "TEL;TYPE=CE\r\n LL:123\r\n", "123"},
		{"BlankLineSkipped", "3.0", "NOTE:a\r\n\r\nFN:x\r\n", "a"},
		{"Base64BareLines", "2.1", "PHOTO;ENCODING=BASE64;GIF:R0lG\r\nODlh\r\n\r\n", "R0lGODlh"},
		{"Base64NoBlankLine", "2.1", "PHOTO;ENCODING=BASE64;GIF:R0lG\r\n ODlh\r\nFN:x\r\n", "R0lGODlh"},
		{"Base64BareLinesOnlyIn21", "3.0", "PHOTO;ENCODING=b;TYPE=GIF:R0lG\r\nODlh\r\n", "R0lG"},
		{"Base64Spaces", "3.0", "PHOTO;ENCODING=b;TYPE=GIF:R0 lG\r\n  OD lh\r\n", "R0lGODlh"},
		{"StrayCR", "3.0", "NOTE:a\rb\r\n", `a\nb`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := readOne(t, tt.version, tt.in)
			p := res.cards[0].Props[1]
			if p.Value != tt.want {
				t.Errorf("%s=%q, want %q", p.Name, p.Value, tt.want)
			}
		})
	}
}

func TestParams(t *testing.T) {
	tests := []struct {
		name, in, wantGroup, wantName, wantParams string
	}{
		{"Bare21", "TEL;CELL;PREF:1\r\n", "", "TEL", "TYPE=CELL,PREF"},
		{"Repeated", "TEL;type=CELL;type=VOICE;type=pref:1\r\n", "", "TEL", "TYPE=CELL,VOICE,pref"},
		{"CommaList", "TEL;TYPE=cell,voice:1\r\n", "", "TEL", "TYPE=cell,voice"},
		{"QuotedList", `TEL;TYPE="voice,cell";PREF=1:1` + "\r\n", "", "TEL", "TYPE=voice,cell;PREF=1"},
		{"QuotedColon", `X-A;LABEL="a:b;c":1` + "\r\n", "", "X-A", "LABEL=a:b;c"},
		{"MixedBareAndType", "TEL;WORK;TYPE=FAX:1\r\n", "", "TEL", "TYPE=WORK,FAX"},
		{"LowerNames", "item1.email;type=INTERNET:a@b.c\r\n", "item1", "EMAIL", "TYPE=INTERNET"},
		{"BareValue21", "PHOTO;VALUE=URL;TYPE=GIF:http://x.cn/a.gif\r\n", "", "PHOTO", "VALUE=uri;TYPE=GIF"},
		{"BareURL", "PHOTO;URL:http://x.cn/a.gif\r\n", "", "PHOTO", "VALUE=uri"},
		{"Empty", "TEL;;CELL;:1\r\n", "", "TEL", "TYPE=CELL"},
		{"Multibyte", "TEL;TYPE=手机;X-LABEL=办公室:1\r\n", "", "TEL", "TYPE=手机;X-LABEL=办公室"},
		{"Spaces", "TEL; TYPE = CELL :1\r\n", "", "TEL", "TYPE=CELL"},
		{"CharsetDropped", "FN;CHARSET=UTF-8:x\r\n", "", "FN", ""},
		{"8bitDropped", "FN;ENCODING=8BIT:x\r\n", "", "FN", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := readOne(t, "3.0", tt.in)
			p := res.cards[0].Props[1]
			if p.Group != tt.wantGroup || p.Name != tt.wantName {
				t.Errorf("group, name=%q, %q, want %q, %q", p.Group, p.Name, tt.wantGroup, tt.wantName)
			}
			if got := formatParams(p.Params); got != tt.wantParams {
				t.Errorf("params=%q, want %q", got, tt.wantParams)
			}
		})
	}
}

func TestEscape21(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"TextSemicolon", "NOTE:a;b\r\n", `a\;b`},
		{"TextComma", "NOTE:a,b\r\n", `a\,b`},
		{"EscapedSemicolon", `NOTE:a\;b` + "\r\n", `a\;b`},
		{"LiteralBackslash", `NOTE:C:\dir` + "\r\n", `C:\\dir`},
		{"BackslashN", `NOTE:a\nb` + "\r\n", `a\\nb`},
		{"Structured", "N:Doe, Jr.;John;;;\r\n", `Doe\, Jr.;John;;;`},
		{"StructuredEscapedSemicolon", `ADR:;;a\;b;c;;;` + "\r\n", `;;a\;b;c;;;`},
		{"XProperty", "X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;a,b;1\r\n", `vnd.android.cursor.item/nickname;a\,b;1`},
		{"List", "CATEGORIES:family,friends\r\n", "family,friends"},
		{"TelRaw", "TEL:123,456;ext\r\n", "123,456;ext"},
		{"URLRaw", "URL:http://x.cn/a,b;c\r\n", "http://x.cn/a,b;c"},
		{"BdayJunk", "BDAY:1990-01-01;\r\n", "1990-01-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := readOne(t, "2.1", tt.in)
			if got := res.cards[0].Props[1].Value; got != tt.want {
				t.Errorf("value=%q, want %q", got, tt.want)
			}
		})
	}
}

func TestPhotos(t *testing.T) {
	png := "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg=="
	tests := []struct {
		name, version, in, wantValue, wantParams string
	}{
		{"V21", "2.1", "PHOTO;ENCODING=BASE64;PNG:" + png[:30] + "\r\n " + png[30:] + "\r\n\r\n", png, "ENCODING=b;TYPE=PNG"},
		{"V30", "3.0", "PHOTO;ENCODING=b;TYPE=image/png:" + png + "\r\n", png, "ENCODING=b;TYPE=PNG"},
		{"Sniffed", "3.0", "PHOTO;ENCODING=B:" + png + "\r\n", png, "ENCODING=b;TYPE=PNG"},
		{"Unpadded", "3.0", "PHOTO;ENCODING=b;TYPE=PNG:" + png[:len(png)-2] + "\r\n", png, "ENCODING=b;TYPE=PNG"},
		{"DataURI", "4.0", "PHOTO:data:image/png;base64," + png + "\r\n", png, "ENCODING=b;TYPE=PNG"},
		{"DataURIJpgName", "4.0", "PHOTO:data:image/jpg;base64,/9j/4AAQ\r\n", "/9j/4AAQ", "ENCODING=b;TYPE=JPEG"},
		{"URL", "4.0", "PHOTO:https://example.com/a.png\r\n", "https://example.com/a.png", "VALUE=uri"},
		{"URLValue", "3.0", "PHOTO;VALUE=uri:https://example.com/a.png\r\n", "https://example.com/a.png", "VALUE=uri"},
		{"NoEncoding", "3.0", "PHOTO;TYPE=PNG:" + png + "\r\n", png, "TYPE=PNG;ENCODING=b"},
		{"BadBase64", "3.0", "PHOTO;ENCODING=b;TYPE=JPEG:@@ @@\r\n", "@@@@", "ENCODING=b;TYPE=JPEG"},
		{"TelURI", "4.0", "TEL;VALUE=uri;TYPE=cell:tel:+86-138-0013-8000\r\n", "+86-138-0013-8000", "TYPE=cell"},
		{"SipURI", "4.0", "TEL;VALUE=uri:sip:a@b.cn\r\n", "sip:a@b.cn", "VALUE=uri"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := readOne(t, tt.version, tt.in)
			p := res.cards[0].Props[1]
			if p.Value != tt.wantValue {
				t.Errorf("value=%q, want %q", p.Value, tt.wantValue)
			}
			if got := formatParams(p.Params); got != tt.wantParams {
				t.Errorf("params=%q, want %q", got, tt.wantParams)
			}
		})
	}
}
