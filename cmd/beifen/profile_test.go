package main_test

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestPolicy_6_3_1_ProfileViewAndCorrect: the owner sees their profile and corrects it; every
// optional field can be left empty, bad values are refused, and each change is audited.
func TestPolicy_6_3_1_ProfileViewAndCorrect(t *testing.T) {
	s := MustRunMain(t, "")
	tok := s.MustCreateUser(t, "13800138000", "")
	b, st := apiDo(t, "GET", s.URL+"/api/v1/me", tok, nil, nil)
	if st != 200 || !strings.Contains(string(b), `"phone":"+8613800138000"`) || !strings.Contains(string(b), `"profile":{}`) {
		t.Fatalf("profile before: %d %s", st, b)
	}
	upd := `{"nickname":"小李","gender":"female","birthday":"1990-05-01","region":"上海","bio":"做销售","avatar":"data:image/png;base64,iVBORw0KGgo="}`
	b, st = apiDo(t, "PUT", s.URL+"/api/v1/me/profile", tok, strings.NewReader(upd), nil)
	if st != 200 || !strings.Contains(string(b), `"nickname":"小李"`) {
		t.Fatalf("update: %d %s", st, b)
	}
	b, _ = apiDo(t, "GET", s.URL+"/api/v1/me", tok, nil, nil)
	var me struct {
		Profile map[string]string `json:"profile"`
	}
	json.Unmarshal(b, &me)
	if me.Profile["region"] != "上海" || me.Profile["birthday"] != "1990-05-01" {
		t.Fatalf("profile after: %s", b)
	}
	for _, bad := range []string{`{"gender":"x"}`, `{"birthday":"2999-01-01"}`, `{"avatar":"http://evil/x.png"}`} {
		if _, st := apiDo(t, "PUT", s.URL+"/api/v1/me/profile", tok, strings.NewReader(bad), nil); st != 400 {
			t.Fatalf("%s accepted: %d", bad, st)
		}
	}
	// Clearing the optional fields is allowed.
	if _, st := apiDo(t, "PUT", s.URL+"/api/v1/me/profile", tok, strings.NewReader(`{}`), nil); st != 200 {
		t.Fatalf("clearing: %d", st)
	}
	b, _ = apiDo(t, "GET", s.URL+"/api/v1/audit", tok, nil, nil)
	if strings.Count(string(b), `"action":"profile.update"`) != 2 {
		t.Fatalf("audit log %s, want two profile changes", b)
	}
}
