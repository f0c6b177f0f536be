package main_test

import (
	"bytes"
	"encoding/binary"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// withGPS puts an EXIF segment naming a GPS position into a JPEG, as a phone camera does.
func withGPS(jpg []byte) []byte {
	exif := []byte("Exif\x00\x00II*\x00\x08\x00\x00\x00GPSLatitude=31.2304;GPSLongitude=121.4737")
	seg := append([]byte{0xFF, 0xE1}, binary.BigEndian.AppendUint16(nil, uint16(len(exif)+2))...)
	return append(append(append([]byte{}, jpg[:2]...), append(seg, exif...)...), jpg[2:]...)
}

// TestPolicy_3_1_2c_LocationOnlyForLocationFeatures: location is a purpose of its own, off until
// the user turns it on, and nothing needs it: with it off, a photo backs up, restores byte for
// byte to its owner, and can be shared, but what leaves the account (a share link, a gallery
// preview) carries no GPS position.
func TestPolicy_3_1_2c_LocationOnlyForLocationFeatures(t *testing.T) {
	s := MustRunMain(t, "")
	u := s.mustUIUser(t, "13800138097")
	req, _ := http.NewRequest("GET", s.URL+"/api/v1/me/consents", nil)
	if page := body(u.do(req)); !strings.Contains(page, `"purpose":"location","required":false,"basis":"consent","granted":false`) {
		t.Fatalf("location is not a purpose of its own, off by default: %s", page)
	}
	photo := withGPS(cameraJPEG(t, 320, 240))
	if resp := u.upload(map[string]string{"IMG_20261129_101500.jpg": string(photo)}); resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload: %d", resp.StatusCode)
	}
	files := body(u.get("/app/s/1/files"))
	hash := regexp.MustCompile(`/app/file/([0-9a-f]{64})/share`).FindStringSubmatch(files)
	if hash == nil {
		t.Fatal("no share button")
	}
	// The owner gets their photo back exactly.
	if own := body(u.get("/app/file/" + hash[1] + "?name=IMG.jpg")); own != string(photo) {
		t.Fatal("the owner's photo changed")
	}
	resp := u.post("/app/file/"+hash[1]+"/share", url.Values{"name": {"DCIM/Camera/IMG_20261129_101500.jpg"}})
	m := shareURLRE.FindStringSubmatch(body(resp))
	if m == nil {
		t.Fatalf("share: %d", resp.StatusCode)
	}
	anon := &uiClient{tb: t, base: s.URL, lang: "zh-CN"}
	shared := []byte(body(anon.get("/s/" + m[2])))
	if bytes.Contains(shared, []byte("GPS")) || bytes.Contains(shared, []byte("Exif")) || !bytes.HasPrefix(shared, []byte{0xFF, 0xD8}) {
		t.Fatalf("the shared photo carries its location (%d bytes)", len(shared))
	}
	if preview := body(u.get("/app/thumb/" + hash[1])); strings.Contains(preview, "GPS") || !strings.HasPrefix(preview, "\xff\xd8") {
		t.Fatal("the preview carries the location")
	}
	// A range of the shared photo is a range of the cleaned one.
	req, _ = http.NewRequest("GET", s.URL+"/s/"+m[2], nil)
	req.Header.Set("Range", "bytes=0-1")
	if r := anon.do(req); r.StatusCode != http.StatusPartialContent || body(r) != "\xff\xd8" {
		t.Fatalf("range of the shared photo: %d", r.StatusCode)
	}
}
