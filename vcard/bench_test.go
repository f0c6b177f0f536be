package vcard_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/beifen/beifen/vcard"
)

// android21Cards returns n cards as Android exports them: vCard 2.1, names and notes in
// UTF-8 quoted-printable with soft line breaks.
func android21Cards(n int) []byte {
	var b bytes.Buffer
	qp := func(s string) string {
		var q strings.Builder
		for i, c := range []byte(s) {
			if i > 0 && i%22 == 0 {
				q.WriteString("=\r\n")
			}
			fmt.Fprintf(&q, "=%02X", c)
		}
		return q.String()
	}
	for i := range n {
		fmt.Fprintf(&b, "BEGIN:VCARD\r\nVERSION:2.1\r\n")
		fmt.Fprintf(&b, "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:%s;%s;;;\r\n", qp("欧阳"), qp(fmt.Sprintf("明远%d", i)))
		fmt.Fprintf(&b, "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:%s\r\n", qp(fmt.Sprintf("欧阳明远%d", i)))
		fmt.Fprintf(&b, "TEL;CELL;PREF:+86 138 %04d %04d\r\nTEL;HOME:010-6552 %04d\r\n", i%10000, i%7919, i%9973)
		fmt.Fprintf(&b, "EMAIL;HOME:user%d@example.cn\r\n", i)
		fmt.Fprintf(&b, "ADR;HOME;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:;;%s;%s;;100022;%s\r\n",
			qp("朝阳区建国路88号"), qp("北京"), qp("中国"))
		fmt.Fprintf(&b, "NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:%s\r\n", qp("第一行备注\r\n第二行备注, 还有逗号"))
		fmt.Fprintf(&b, "X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;nick%d;1;;;;;;;;;;;;;\r\nEND:VCARD\r\n", i)
	}
	return b.Bytes()
}

func BenchmarkRead(b *testing.B) {
	data := android21Cards(20000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		r := vcard.NewReader(bytes.NewReader(data), "bench.vcf")
		n := 0
		for {
			_, err := r.Read()
			if errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 20000 {
			b.Fatalf("read %d cards, want 20000", n)
		}
	}
}
