package smsie_test

import (
	"bytes"
	"testing"

	"github.com/beifen/beifen/smsie"
)

// FuzzDecodeJSON checks that no input makes DecodeJSON panic and that every Skip names the file.
func FuzzDecodeJSON(f *testing.F) {
	for _, name := range []string{"calls-2024-04-05.json", "contacts-2024-04-05.json",
		"messages-2022-01-01.json", "messages.ndjson"} {
		f.Add(mustRead(f, name))
	}
	f.Add([]byte(`[{"m_type":"128","parts":[{"binary_data":"AAAA"}],"sender_address":[1,{"type":137}]}]`))
	f.Add([]byte(`[{"raw_contacts":[{"contacts_data":[{"mimetype":null,"data2":{}}]}]}]`))
	d := &smsie.Decoder{Limits: smsie.Limits{MaxItem: 1 << 20, MaxTotal: 4 << 20}}
	f.Fuzz(func(t *testing.T, in []byte) {
		s := newSink()
		_ = d.DecodeJSON(bytes.NewReader(in), "fuzz.json", s)
		for _, sk := range s.Skips {
			if sk.File != "fuzz.json" {
				t.Fatalf("Skip names %q, want fuzz.json", sk.File)
			}
		}
	})
}
