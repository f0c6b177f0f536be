package main_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/beifen/beifen"
	beifenhttp "github.com/beifen/beifen/http"
)

// browserTools finds node, playwright-core and chromium, or skips; with REQUIRE_BROWSER=1 (as CI
// sets it) a missing tool fails the test instead.
func browserTools(tb testing.TB) (node, chromium, script string) {
	tb.Helper()
	root, _ := filepath.Abs("../..")
	script = filepath.Join(root, "e2e", "journeys.mjs")
	missing := func(what string) {
		if os.Getenv("REQUIRE_BROWSER") == "1" {
			tb.Fatalf("REQUIRE_BROWSER=1 but %s (run scripts/test.sh, which installs it)", what)
		}
		tb.Skipf("browser tests skipped: %s", what)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node is not installed")
	}
	chromium = os.Getenv("CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		missing("chromium is not installed")
	}
	if _, err := os.Stat(filepath.Join(root, "e2e", "node_modules", "playwright-core")); err != nil {
		missing("e2e/node_modules has no playwright-core (npm ci in e2e/)")
	}
	return node, chromium, script
}

// textCodeRE finds the code in a sign-in text.
var textCodeRE = regexp.MustCompile(`验证码 (\d{6})`)

// textCode returns the code a sign-in text carries.
func textCode(tb testing.TB, text string) string {
	tb.Helper()
	m := textCodeRE.FindStringSubmatch(text)
	if m == nil {
		tb.Fatalf("no code in the text %q", text)
	}
	return m[1]
}

// TestUI_Journeys drives the main journeys of the web UI in Debian's chromium (e2e/journeys.mjs):
// sign up with a code and accept the policy; upload an export and read a conversation with an
// emoji and an MMS picture; play a recording; download a restore; a staff member works through a
// task; a manager scores the call's recording; a user downloads their data and asks for their
// account to be deleted. Each journey fails on a request to another host or a console error.
// With BEIFEN_SCREENSHOTS=dir it also takes the README screenshots.
func TestUI_Journeys(t *testing.T) {
	node, chromium, script := browserTools(t)
	s := MustRunMain(t, "")
	s.Config.Operators = []string{"13600136000"}
	ctx := context.Background()

	// Texts are kept for the helper to hand codes to the browser; the clock can be moved on past
	// the one-minute resend limit.
	texts := &smsRecorder{}
	s.Auth.SMS, s.CRM.SMS = texts, texts
	var skew atomic.Int64
	s.Auth.Now = func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
	helper := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/code":
			phone := r.URL.Query().Get("phone")
			list := texts.texts()
			for i := len(list) - 1; i >= 0; i-- {
				to, body, _ := strings.Cut(list[i], "|")
				if m := textCodeRE.FindStringSubmatch(body); m != nil && strings.HasSuffix(to, phone) {
					fmt.Fprint(w, m[1])
					return
				}
			}
			http.NotFound(w, r)
		case "/advance":
			n, _ := strconv.Atoi(r.URL.Query().Get("seconds"))
			skew.Add(int64(time.Duration(n) * time.Second))
		default:
			http.NotFound(w, r)
		}
	}))
	defer helper.Close()

	// A team with a manager and a staff member; the manager imports the leads and makes the
	// task in the browser.
	team, manager := mustTeam(t, s, beifen.RoleManager, "13911112222")
	if _, _, err := s.Auth.CreateMember(ctx, "13700001234", "张三", team, beifen.RoleStaff); err != nil {
		t.Fatal(err)
	}
	boss := beifenhttp.NewClient(s.URL, manager["BEIFEN_TOKEN"])
	if err := boss.PutTemplate(ctx, &beifen.SMSTemplate{Outcome: beifen.OutcomeConnected, Body: "{name}您好，我是{staff}，报价稍后发您"}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()

	fixtures := filepath.Join(dir, "fixtures")
	os.MkdirAll(fixtures, 0o700)
	os.WriteFile(filepath.Join(fixtures, "sms.xml"), []byte(smsWithMMS()), 0o600)
	os.WriteFile(filepath.Join(fixtures, "contacts.vcf"), []byte("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:王小明\r\nN:王;小明;;;\r\nTEL;TYPE=CELL:+86 139 1234 5678\r\nEND:VCARD\r\n"), 0o600)
	os.WriteFile(filepath.Join(fixtures, "voice.wav"), wav(3), 0o600)
	os.WriteFile(filepath.Join(fixtures, "call.wav"), wav(3), 0o600)
	os.WriteFile(filepath.Join(fixtures, "leads.txt"), []byte("王先生 13912340001 华东贸易\n李女士 13912340002\n张三 12345\n"), 0o600)
	os.WriteFile(filepath.Join(fixtures, "IMG_20261101_093000.jpg"), cameraJPEG(t, 1600, 1200), 0o600)
	out := filepath.Join(dir, "out")
	os.MkdirAll(out, 0o700)

	cmd := exec.Command(node, script)
	cmd.Env = append(os.Environ(),
		"BEIFEN_URL="+s.URL, "BEIFEN_HELPER="+helper.URL, "BEIFEN_FIXTURES="+fixtures, "BEIFEN_OUT="+out,
		"CHROMIUM="+chromium, "BEIFEN_PERSON=13800138001", "BEIFEN_STAFF=13700001234", "BEIFEN_MANAGER=13911112222", "BEIFEN_OPERATOR=13600136000")
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	downloads := map[string]string{}
	var leadsSeen []string
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		line := sc.Text()
		t.Log(line)
		if f := strings.Fields(line); len(f) == 3 && f[0] == "DOWNLOAD" {
			downloads[f[1]] = f[2]
		} else if len(f) == 2 && f[0] == "LEAD" {
			leadsSeen = append(leadsSeen, f[1])
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("journeys failed: %v", err)
	}

	// What came down is what went up: the restore holds the conversation with its emoji and
	// picture; the data export holds the account and the backup.
	restore := readZip(t, downloads["restore"])
	if x := restore["sms.xml"]; !strings.Contains(x, "明天见") || !strings.Contains(x, tinyPNG) || !strings.Contains(x, "&#55357;&#56832;") && !strings.Contains(x, "😀") {
		t.Errorf("restore sms.xml lacks the conversation: %.300s", x)
	}
	if !strings.Contains(restore["contacts.vcf"], "王小明") || !strings.HasPrefix(restore["files/Recordings/voice.wav"], "RIFF") {
		t.Errorf("restore lacks the contact or the recording: %v", keys(restore))
	}
	mine := readZip(t, downloads["mydata"])
	if !strings.Contains(mine["account.json"], "+8613800138001") || !strings.Contains(mine["account.json"], "小李") || !strings.Contains(mine["consents.json"], `"statistics"`) ||
		!strings.Contains(mine["backup/sms.xml"], "明天见") {
		t.Errorf("my data export: %v", keys(mine))
	}
	if r := mine["requests.json"]; !strings.Contains(r, "我的通话录音保存多久？") || !strings.Contains(r, `"kind": "delete"`) ||
		strings.Contains(mine["backup/contacts.vcf"], "王小明") {
		t.Errorf("my data export after deleting a contact and asking: requests %.300s", r)
	}
	if len(leadsSeen) != 2 || leadsSeen[0] == leadsSeen[1] {
		t.Errorf("leads handed out %v, want each of the two once", leadsSeen)
	}
	// The deletion is on record, and the manager's review is in the team's audit log.
	u, err := s.Store.Users.FindUserByPhoneHash(ctx, s.Auth.PhoneHash("+8613800138001"))
	if err != nil || u.EraseAfter.IsZero() {
		t.Errorf("deletion not recorded: %+v, %v", u, err)
	}
}

func keys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func readZip(tb testing.TB, path string) map[string]string {
	tb.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		tb.Fatalf("download %q: %v", path, err)
	}
	defer zr.Close()
	out := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			tb.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			tb.Fatalf("%s in %s: %v", f.Name, path, err)
		}
		out[f.Name] = string(b)
	}
	return out
}

// tinyPNG is a 160×120 gradient PNG in base64, as an MMS picture.
var tinyPNG = func() string {
	img := image.NewRGBA(image.Rect(0, 0, 160, 120))
	for y := 0; y < 120; y++ {
		for x := 0; x < 160; x++ {
			img.Set(x, y, color.RGBA{R: uint8(x * 255 / 160), G: uint8(y * 255 / 120), B: 200, A: 255})
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return base64.StdEncoding.EncodeToString(buf.Bytes())
}()

// smsWithMMS is an SMS Backup & Restore file of one conversation: an emoji written as the
// surrogate-pair references the app writes, a reply, and an MMS with a picture.
func smsWithMMS() string {
	return `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
<smses count="3">
<sms protocol="0" address="+8613912345678" date="1700000000000" type="1" subject="null" body="你好 &#55357;&#56832; see you" toa="null" sc_toa="null" service_center="null" read="1" status="-1" locked="0" date_sent="0" readable_date="" contact_name="(Unknown)" />
<sms protocol="0" address="13912345678" date="1700000100000" type="2" subject="null" body="好的，明天见" toa="null" sc_toa="null" service_center="null" read="1" status="-1" locked="0" date_sent="0" readable_date="" contact_name="(Unknown)" />
<mms date="1700000200000" ct_t="application/vnd.wap.multipart.related" msg_box="1" address="+8613912345678" m_id="mid-1" sub="null" read="1" text_only="0">
<parts>
<part seq="0" ct="image/png" name="pic.png" chset="null" cd="null" fn="null" cid="&lt;pic&gt;" cl="pic.png" ctt_s="null" ctt_t="null" text="null" data="` + tinyPNG + `" />
<part seq="1" ct="text/plain" name="null" chset="106" cd="null" fn="null" cid="&lt;text&gt;" cl="text.txt" ctt_s="null" ctt_t="null" text="看这张图" />
</parts>
<addrs><addr address="+8613912345678" type="137" charset="106" /></addrs>
</mms>
</smses>
`
}

// cameraJPEG is a w×h camera-sized JPEG.
func cameraJPEG(tb testing.TB, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.Set(x, y, color.RGBA{R: uint8(40 + y*120/h), G: uint8(120 + x*100/w), B: 180, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// wav is seconds of a 440 Hz tone as 8 kHz 16-bit mono PCM.
func wav(seconds int) []byte {
	const rate = 8000
	n := rate * seconds
	b := make([]byte, 44+2*n)
	copy(b, "RIFF")
	binary.LittleEndian.PutUint32(b[4:], uint32(36+2*n))
	copy(b[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(b[16:], 16)
	binary.LittleEndian.PutUint16(b[20:], 1)
	binary.LittleEndian.PutUint16(b[22:], 1)
	binary.LittleEndian.PutUint32(b[24:], rate)
	binary.LittleEndian.PutUint32(b[28:], rate*2)
	binary.LittleEndian.PutUint16(b[32:], 2)
	binary.LittleEndian.PutUint16(b[34:], 16)
	copy(b[36:], "data")
	binary.LittleEndian.PutUint32(b[40:], uint32(2*n))
	for i := 0; i < n; i++ {
		v := int16(8000 * math.Sin(2*math.Pi*440*float64(i)/rate))
		binary.LittleEndian.PutUint16(b[44+2*i:], uint16(v))
	}
	return b
}
