package main_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/beifen/beifen"
	beifenhttp "github.com/beifen/beifen/http"
)

// apiDo sends a request with a token and returns the response body and status.
func apiDo(tb testing.TB, method, u, token string, body io.Reader, header map[string]string) ([]byte, int) {
	tb.Helper()
	req, _ := http.NewRequest(method, u, body)
	req.Header.Set("Authorization", "Bearer "+token)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return b, resp.StatusCode
}

// TestPolicy_9_microphone_RecordingsReviewedAndAudited: call recordings from staff phones are
// matched to their calls by number and time, managers play them in the browser (with seeking),
// score them against a rubric with comments, and every playback is recorded: who, when, which.
func TestPolicy_9_microphone_RecordingsReviewedAndAudited(t *testing.T) {
	s := MustRunMain(t, "")
	team, admin := mustTeam(t, s, beifen.RoleAdmin, "13911110000")
	mustImport(t, admin, mustLeadFile(t, 1)) // 李雷 +8613900000000
	ctx := context.Background()
	var tokens []string
	for i := 0; i < 2; i++ {
		_, tok, err := s.Auth.CreateMember(ctx, "1370000000"+strconv.Itoa(i), "", team, beifen.RoleStaff)
		if err != nil {
			t.Fatal(err)
		}
		tokens = append(tokens, tok)
	}
	boss := admin["BEIFEN_TOKEN"]
	cst := time.FixedZone("CST", 8*3600)
	callAt := time.Date(2026, 3, 1, 9, 30, 0, 0, cst)
	staff := beifenhttp.NewClient(s.URL, tokens[0])
	rows := [][4]string{{"13900000000", "2", strconv.FormatInt(callAt.UnixMilli(), 10), "95"}}
	if _, err := staff.UploadCalls(ctx, "calls.xml", strings.NewReader(callsXML(rows))); err != nil {
		t.Fatal(err)
	}
	audio := make([]byte, 300_000)
	rand.Read(audio)
	upload := func(token, name string) (map[string]any, int) {
		b, st := apiDo(t, "POST", s.URL+"/api/v1/recordings", token, bytes.NewReader(audio),
			map[string]string{beifenhttp.NameHeader: url.PathEscape(name)})
		var rec map[string]any
		json.Unmarshal(b, &rec)
		return rec, st
	}
	// MIUI names the file after the contact, the number and the local start time (+25 s).
	rec, st := upload(tokens[0], "MIUI/sound_recorder/call_rec/通话录音@李雷(13900000000)_20260301093025.mp3")
	if st != 201 || rec["call_id"] == nil || rec["lead_id"] == nil {
		t.Fatalf("upload: %d %v; want it matched to the call and the lead", st, rec)
	}
	id := strconv.FormatInt(int64(rec["id"].(float64)), 10)
	lone, _ := upload(tokens[0], "通话录音@王五(13600000009)_20260301100000.mp3")
	if lone["call_id"] != nil {
		t.Fatalf("a recording of an unknown call was matched: %v", lone)
	}
	if _, st := upload(tokens[0], "notes.txt"); st != 400 {
		t.Fatalf("a text file was taken as a recording: %d", st)
	}

	// The manager seeks in the recording: a range comes back exactly, and is recorded.
	b, st := apiDo(t, "GET", s.URL+"/api/v1/recordings/"+id+"/audio", boss, nil, map[string]string{"Range": "bytes=200000-200099"})
	if st != 206 || !bytes.Equal(b, audio[200000:200100]) {
		t.Fatalf("range: %d, %d bytes", st, len(b))
	}
	if b, st := apiDo(t, "GET", s.URL+"/api/v1/recordings/"+id+"/audio", boss, nil, nil); st != 200 || !bytes.Equal(b, audio) {
		t.Fatalf("download: %d", st)
	}
	// Another staff member cannot play it; nor can another team.
	if _, st := apiDo(t, "GET", s.URL+"/api/v1/recordings/"+id+"/audio", tokens[1], nil, nil); st != 404 {
		t.Fatalf("another staff member played it: %d", st)
	}
	_, other := mustTeam(t, s, beifen.RoleAdmin, "13911110001")
	if _, st := apiDo(t, "GET", s.URL+"/api/v1/recordings/"+id+"/audio", other["BEIFEN_TOKEN"], nil, nil); st != 404 {
		t.Fatalf("another team played it: %d", st)
	}
	b, _ = apiDo(t, "GET", s.URL+"/api/v1/recordings/"+id+"/accesses", boss, nil, nil)
	var acc struct{ Accesses []beifen.RecordingAccess }
	json.Unmarshal(b, &acc)
	if len(acc.Accesses) != 2 || acc.Accesses[0].Kind != "play" || acc.Accesses[1].Kind != "download" || acc.Accesses[0].At.IsZero() {
		t.Fatalf("accesses %+v, want a play and a download", acc.Accesses)
	}

	// Review: weighted rubric, comments at offsets, a verdict; managers only.
	review := `{"items":[{"name":"开场白","weight":1,"score":70},{"name":"合规用语","weight":3,"score":90}],
		"comments":[{"at_seconds":12.5,"text":"语速过快"}],"passed":true}`
	if _, st := apiDo(t, "PUT", s.URL+"/api/v1/recordings/"+id+"/review", tokens[0], strings.NewReader(review), nil); st != 403 {
		t.Fatalf("staff reviewed: %d", st)
	}
	b, st = apiDo(t, "PUT", s.URL+"/api/v1/recordings/"+id+"/review", boss, strings.NewReader(review), nil)
	var rv beifen.Review
	json.Unmarshal(b, &rv)
	if st != 200 || rv.Score != 85 || !rv.Passed {
		t.Fatalf("review: %d %+v, want score 85", st, rv)
	}
	// An unmatched recording is linked by hand.
	b, _ = apiDo(t, "GET", s.URL+"/api/v1/recordings?unmatched=1", boss, nil, nil)
	var list beifenhttp.RecordingsResponse
	json.Unmarshal(b, &list)
	if list.Total != 1 || list.Recordings[0].FileName != "通话录音@王五(13600000009)_20260301100000.mp3" {
		t.Fatalf("unmatched list %+v", list)
	}
}
