package storetest

import (
	"context"
	"testing"

	"github.com/beifen/beifen"
)

func testSetting(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	s := open(t)
	_, err := s.Settings.GetSetting(ctx, "closing")
	wantError(t, err, beifen.ENOTFOUND, "Setting not found.")
	for _, v := range []string{`{"a":1}`, `{"a":2}`} {
		if err := s.Settings.PutSetting(ctx, "closing", []byte(v)); err != nil {
			t.Fatal(err)
		}
	}
	if v, err := s.Settings.GetSetting(ctx, "closing"); err != nil || string(v) != `{"a":2}` {
		t.Fatalf("GetSetting=%q, %v", v, err)
	}
}
