package main_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

// a small real JPEG header followed by data, as a phone camera would send.
var jpegPhoto = append([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), bytes.Repeat([]byte{0x42}, 5000)...)

func fileComplaint(t *testing.T, s *Server, tok string, photos ...[]byte) beifen.Complaint {
	t.Helper()
	req := map[string]any{"subject": "录音无法播放", "body": "三月一日的通话录音点开后没有声音。"}
	var enc []string
	for _, p := range photos {
		enc = append(enc, base64.StdEncoding.EncodeToString(p))
	}
	req["photos"] = enc
	body, _ := json.Marshal(req)
	b, st := apiDo(t, "POST", s.URL+"/api/v1/complaints", tok, bytes.NewReader(body), nil)
	var c beifen.Complaint
	json.Unmarshal(b, &c)
	if st != 201 {
		t.Fatalf("file complaint: %d %s", st, b)
	}
	return c
}

// TestPolicy_6_5_ComplaintsAnsweredWithin15WorkingDays: a complaint gets a deadline of 15 working
// days (stricter than the policy's 30), shows on the operator's overdue report once past it, and
// the reply reaches the user.
func TestPolicy_6_5_ComplaintsAnsweredWithin15WorkingDays(t *testing.T) {
	s := MustRunMain(t, "")
	monday := time.Date(2026, 3, 2, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	s.Support.Now = func() time.Time { return monday }
	tok := s.MustCreateUser(t, "13800138000", "")
	c := fileComplaint(t, s, tok)
	if got := c.DueAt.In(monday.Location()).Format("2006-01-02"); got != "2026-03-23" {
		t.Fatalf("due %s, want 2026-03-23 (15 working days after Monday 2 March)", got)
	}
	// Three working days before its deadline the operators are reminded, once, by count.
	texts := &smsRecorder{}
	s.Support.SMS = texts
	ops := []string{"13600136000"}
	if n, err := s.Support.RemindRequests(context.Background(), monday, ops); err != nil || n != 0 {
		t.Fatalf("reminded %d on the day it was filed: %v", n, err)
	}
	wednesday := time.Date(2026, 3, 18, 10, 0, 0, 0, monday.Location())
	if n, err := s.Support.RemindRequests(context.Background(), wednesday, ops); err != nil || n != 1 {
		t.Fatalf("reminded %d three working days ahead: %v", n, err)
	}
	if sent := texts.texts(); len(sent) != 1 || !strings.Contains(sent[0], "1 件投诉") || strings.Contains(sent[0], "录音无法播放") {
		t.Fatalf("reminder %q", sent)
	}
	if n, _ := s.Support.RemindRequests(context.Background(), wednesday.Add(time.Hour), ops); n != 0 {
		t.Fatal("reminded twice")
	}
	// A complaint filed today is not overdue; the one from March is, on the operator's report.
	s.Support.Now = time.Now
	fileComplaint(t, s, tok)
	out := mustCLI(t, nil, "complaint", "overdue", "--data", s.Config.DataDir)
	if !strings.Contains(out, "1 overdue") || !strings.Contains(out, itoa(c.ID)+"\tdue 2026-03-23\t录音无法播放") {
		t.Fatalf("overdue report: %s", out)
	}
	mustCLI(t, nil, "complaint", "answer", "--data", s.Config.DataDir, "--id", itoa(c.ID), "--reply", "已修复，请重试。")
	b, _ := apiDo(t, "GET", s.URL+"/api/v1/complaints", tok, nil, nil)
	if !strings.Contains(string(b), "已修复，请重试。") {
		t.Fatalf("the user does not see the reply: %s", b)
	}
	if out := mustCLI(t, nil, "complaint", "overdue", "--data", s.Config.DataDir); !strings.Contains(out, "0 overdue") {
		t.Fatalf("an answered complaint is still overdue: %s", out)
	}
}

// TestPolicy_9_camera_FeedbackPhotos: feedback takes photos from the phone's camera, only once
// the user allows the camera purpose (off by default, like the phone's permission), kept
// encrypted and shown only to their owner; anything that is not an image is refused.
func TestPolicy_9_camera_FeedbackPhotos(t *testing.T) {
	s := MustRunMain(t, "")
	tok := s.MustCreateUser(t, "13800138000", "")
	photo, _ := json.Marshal(map[string]any{"body": "照片", "photos": []string{base64.StdEncoding.EncodeToString(jpegPhoto)}})
	if b, st := apiDo(t, "POST", s.URL+"/api/v1/complaints", tok, bytes.NewReader(photo), nil); st != 403 ||
		!strings.Contains(string(b), "Photos need your consent to the camera and photo album") {
		t.Fatalf("a photo without the camera purpose: %d %s", st, b)
	}
	if _, st := apiDo(t, "PUT", s.URL+"/api/v1/me/consents/camera", tok, strings.NewReader(`{"granted":true}`), nil); st != 200 {
		t.Fatalf("allow the camera: %d", st)
	}
	c := fileComplaint(t, s, tok, jpegPhoto)
	if len(c.Photos) != 1 {
		t.Fatalf("photos %+v", c.Photos)
	}
	b, st := apiDo(t, "GET", s.URL+"/api/v1/complaints/"+itoa(c.ID)+"/photos/0", tok, nil, nil)
	if st != 200 || !bytes.Equal(b, jpegPhoto) {
		t.Fatalf("photo: %d, %d bytes", st, len(b))
	}
	other := s.MustCreateUser(t, "13900139000", "")
	if _, st := apiDo(t, "GET", s.URL+"/api/v1/complaints/"+itoa(c.ID)+"/photos/0", other, nil, nil); st != 404 {
		t.Fatalf("another user saw the photo: %d", st)
	}
	body := `{"body":"x","photos":["` + base64.StdEncoding.EncodeToString([]byte("#!/bin/sh\nrm -rf /")) + `"]}`
	if _, st := apiDo(t, "POST", s.URL+"/api/v1/complaints", tok, strings.NewReader(body), nil); st != 400 {
		t.Fatalf("a script was taken as a photo: %d", st)
	}
}
