package keyring_test

import (
	"bytes"
	"testing"

	"github.com/beifen/beifen/keyring"
)

func benchAccount(b *testing.B) *keyring.Account {
	b.Helper()
	a, err := keyring.NewAccount(bytes.Repeat([]byte{7}, keyring.KeySize))
	if err != nil {
		b.Fatal(err)
	}
	return a
}

// BenchmarkIdent hashes an identity the size of an SMS's.
func BenchmarkIdent(b *testing.B) {
	a := benchAccount(b)
	data := []byte("sms\x00sms\x00+8613812345678\x001\x001512197367000\x00Your verification code is 482913.")
	b.ReportAllocs()
	for b.Loop() {
		a.Ident(data)
	}
}

// BenchmarkSeal seals a payload the size of an SMS's.
func BenchmarkSeal(b *testing.B) {
	a := benchAccount(b)
	aad := []byte("beifen record\x0042\x00sms\x000123456789abcdef0123456789abcdef")
	pt := bytes.Repeat([]byte("x"), 400)
	b.ReportAllocs()
	for b.Loop() {
		a.Seal(aad, pt)
	}
}

// BenchmarkIdentHasher hashes the identity of BenchmarkIdent with a reused keyed state, in
// parts as the backup service gives them.
func BenchmarkIdentHasher(b *testing.B) {
	h := benchAccount(b).NewIdentHasher()
	kind, data := "sms", []byte("sms\x00+8613812345678\x001\x001512197367000\x00Your verification code is 482913.")
	b.ReportAllocs()
	for b.Loop() {
		h.Sum([]byte(kind), []byte{0}, data)
	}
}
