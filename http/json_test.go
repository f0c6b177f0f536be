package http_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/beifen/beifen"
)

// Content hashes of test files.
const (
	hashA = "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824" // "hello"
	hashB = "486ea46224d1bb4fb680f34f7c9ad96a8f24ec88be73ea8e5a6c65260e9cb8a7" // "world"
)

func jsonBody(tb testing.TB, v any) io.Reader {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return bytes.NewReader(b)
}

func TestReadJSON_Invalid(t *testing.T) {
	s := MustOpenServer(t)
	resp, body := s.Do(t, Request{Method: "POST", Path: "/api/v1/auth/code", Body: strings.NewReader(`{"phone":`)})
	AssertError(t, resp, body, http.StatusBadRequest, beifen.EINVALID, "Invalid JSON body.")
}
