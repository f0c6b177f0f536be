package main_test

import (
	"os"
	"strings"
	"testing"
)

// TestPolicy_4_1_DataStaysInTheAllowedRegion: the server says where its database and blobs are
// and starts only when both lie in the allowed regions (mainland China unless configured); a
// target abroad refuses to start with the reason, before anything is opened or written.
func TestPolicy_4_1_DataStaysInTheAllowedRegion(t *testing.T) {
	for _, tt := range []struct {
		env  map[string]string
		fail string
	}{
		{map[string]string{}, ""},
		{map[string]string{"BEIFEN_REGION": "cn-north-1"}, ""},
		{map[string]string{"BEIFEN_BLOB_REGION": "ap-southeast-1"}, `the blob store is in region "ap-southeast-1", outside the allowed regions cn`},
		{map[string]string{"BEIFEN_DB_REGION": "us-east-1", "BEIFEN_BLOB_REGION": "cn"}, `the database is in region "us-east-1"`},
		{map[string]string{"BEIFEN_REGION": "hk", "BEIFEN_ALLOWED_REGIONS": "cn,hk"}, ""},
		{map[string]string{"BEIFEN_REGION": "cnx"}, `region "cnx"`},
	} {
		sub := t.TempDir()
		_, err := runCLI(t, tt.env, "check", "--data", sub)
		if tt.fail != "" {
			// serve refuses the same way, and nothing was created or written.
			_, serr := runCLI(t, tt.env, "serve", "--data", sub, "--addr", "127.0.0.1:0")
			if serr == nil || !strings.Contains(serr.Error(), tt.fail) {
				t.Errorf("serve %v: %v", tt.env, serr)
			}
			if entries, _ := os.ReadDir(sub); len(entries) != 0 {
				t.Errorf("%v: the refused start wrote %d entries", tt.env, len(entries))
			}
		}
		switch {
		case tt.fail == "" && err != nil:
			t.Errorf("%v: %v", tt.env, err)
		case tt.fail != "" && (err == nil || !strings.Contains(err.Error(), tt.fail)):
			t.Errorf("%v: %v, want %q", tt.env, err, tt.fail)
		}
	}
}
