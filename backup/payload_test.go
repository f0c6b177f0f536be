package backup

import (
	"reflect"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

func payloadCases() []any {
	return []any{
		&beifen.Message{Kind: beifen.MessageSMS, Attrs: beifen.Attrs{{Name: "address", Value: "+8613800138000"},
			{Name: "subject", Value: "null"}, {Name: "body", Value: "你好 😀\n第二行"}, {Name: "toa", Value: ""}}},
		&beifen.Message{Kind: beifen.MessageMMS, Attrs: beifen.Attrs{{Name: "m_id", Value: "x"}},
			Parts: []beifen.MessagePart{{Attrs: beifen.Attrs{{Name: "ct", Value: "application/smil"}}},
				{Attrs: beifen.Attrs{{Name: "ct", Value: "image/png"}}, Blob: &beifen.BlobRef{Key: "ab", Size: 12345}}},
			Addrs: []beifen.Attrs{{{Name: "address", Value: "10086"}, {Name: "type", Value: "137"}}}},
		&beifen.Call{Attrs: beifen.Attrs{{Name: "number", Value: "13800138000"}, {Name: "duration", Value: "61"}}},
		&beifen.Contact{Props: []beifen.ContactProp{{Name: "VERSION", Value: "3.0"}, {Name: "FN", Value: "张三"},
			{Group: "item1", Name: "TEL", Params: []beifen.Param{{Name: "TYPE", Value: "CELL,PREF"}}, Value: "138"}}},
		&beifen.File{Path: "DCIM/a.jpg", Size: 7, Hash: "e3", ModTime: time.Unix(1700000000, 5).UTC()},
		&beifen.File{Path: "empty", Hash: "e3"},
	}
}

func TestPayloadRoundTrip(t *testing.T) {
	for _, in := range payloadCases() {
		b, err := encodePayload(in)
		if err != nil {
			t.Fatal(err)
		}
		out := reflect.New(reflect.TypeOf(in).Elem()).Interface()
		if err := decodePayload(b, out, map[string]string{}); err != nil {
			t.Fatalf("decode %T: %v", in, err)
		}
		if !reflect.DeepEqual(in, out) {
			t.Fatalf("round trip of %T: got %+v, want %+v", in, out, in)
		}
		if err := decodePayload(b[:len(b)-1], out, map[string]string{}); err == nil {
			t.Fatalf("a cut %T payload decoded", in)
		}
	}
}

func FuzzDecodePayload(f *testing.F) {
	for _, in := range payloadCases() {
		b, _ := encodePayload(in)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, v := range []any{&beifen.Message{}, &beifen.Call{}, &beifen.Contact{}, &beifen.File{}} {
			decodePayload(b, v, map[string]string{}) // must not panic or allocate without bound
		}
	})
}
