package ui_test

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/ui"
)

// TestCatalog_EveryStringTranslated: every key a template or a page handler asks for is in the
// catalogue with both a Chinese and an English text taking the same arguments, so no page ever
// shows a key or half a translation.
func TestCatalog_EveryStringTranslated(t *testing.T) {
	keys := map[string]string{}
	static := regexp.MustCompile(`\.T "([a-z_.]+)"`)
	dynamic := regexp.MustCompile(`printf "([a-z_.]+)%s(\.desc)?"`)
	files, _ := filepath.Glob("templates/*.html")
	dyn := map[string][]string{
		"purpose.":          purposes(),
		"calltype.":         {"1", "2", "3", "4", "5", "6", ""},
		"outcome.":          {"connected", "no_answer", "busy", "invalid", "refused", "callback"},
		"token.":            {"api", "session"},
		"gender.":           {"", "female", "male", "other"},
		"signin_method.":    {"code", "password", "carrier"},
		"notice.":           {"service", "marketing"},
		"severity.":         {"general", "larger", "major", "especially-major"},
		"right.":            {"export", "correct", "delete", "withdraw", "close", "access", "explain", "transfer", "other"},
		"request.":          {"open", "done", "refused", "cancelled"},
		"retention.cat.":    {"signins", "recordings", "rejected_rows", "deleted_accounts", "minors_without_consent", "backups", "audit"},
		"retention.action.": {"delete", "erase", "keep"},
		"realname_feature.": realNameFeatures(),
		"consent.channel.":  {beifen.ConsentBySMS, beifen.ConsentByEmail},
		"plan.":             planIDs(),
		"feed.kind_":        {beifen.FeedAnnouncement, beifen.FeedTip, beifen.FeedChannelPost, beifen.FeedMemberPost},
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range static.FindAllStringSubmatch(string(b), -1) {
			keys[m[1]] = f
		}
		for _, m := range dynamic.FindAllStringSubmatch(string(b), -1) {
			vals, ok := dyn[m[1]]
			if !ok {
				t.Errorf("%s: dynamic key %q has no list of values in this test", f, m[1])
			}
			for _, v := range vals {
				keys[m[1]+v+m[2]] = f
			}
		}
	}
	// Keys the page handlers use.
	handlers, _ := filepath.Glob("../http/ui*.go")
	literal := regexp.MustCompile(`"((?:flash|staff|rubric|error|upload|tp)\.[a-z_.]+)"`)
	for _, f := range handlers {
		b, _ := os.ReadFile(f)
		for _, m := range literal.FindAllStringSubmatch(string(b), -1) {
			keys[m[1]] = f
		}
	}
	for _, code := range []string{beifen.ECONFLICT, beifen.EINTERNAL, beifen.EINVALID, beifen.ENOTFOUND,
		beifen.EUNAUTHORIZED, beifen.EFORBIDDEN, beifen.ETOOLARGE, beifen.ETOOMANY} {
		keys["error."+code] = "uiError"
	}
	if len(keys) < 150 {
		t.Fatalf("found only %d keys: the scan is broken", len(keys))
	}
	verbs := regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z]`)
	for key, where := range keys {
		if !ui.HasKey(key) {
			t.Errorf("%s: key %q is not in the catalogue", where, key)
			continue
		}
		zh, en := ui.T(ui.Chinese, key), ui.T(ui.English, key)
		if zh == "" || en == "" {
			t.Errorf("key %q lacks a text: zh=%q en=%q", key, zh, en)
		}
		if a, b := verbs.FindAllString(zh, -1), verbs.FindAllString(en, -1); strings.Join(a, ",") != strings.Join(b, ",") {
			t.Errorf("key %q: zh takes %v, en takes %v", key, a, b)
		}
	}
}

func realNameFeatures() []string {
	var out []string
	for _, f := range beifen.RealNameFeatures {
		out = append(out, string(f))
	}
	return out
}

func purposes() []string {
	var out []string
	for _, p := range beifen.Purposes {
		out = append(out, string(p.Purpose))
	}
	return out
}

func TestPickLang(t *testing.T) {
	for _, tt := range []struct{ cookie, header, want string }{
		{"", "zh-CN,zh;q=0.9,en;q=0.8", ui.Chinese},
		{"", "zh-TW", ui.Chinese},
		{"", "en-US,en;q=0.9,zh;q=0.8", ui.English},
		{"", "", ui.English},
		{"", "*", ui.English},
		{"en", "zh-CN", ui.English},
		{"zh-CN", "en", ui.Chinese},
		{"fr", "zh", ui.Chinese},
	} {
		if got := ui.PickLang(tt.cookie, tt.header); got != tt.want {
			t.Errorf("PickLang(%q, %q)=%s, want %s", tt.cookie, tt.header, got, tt.want)
		}
	}
}

// TestMarkdown_Escapes: a policy text cannot inject markup.
func TestMarkdown_Escapes(t *testing.T) {
	got := string(ui.Markdown("# 标题 <b>\n\n一段 <script>alert(1)</script>\n继续\n\n- 第一\n  续行\n- 第二 & 三\n"))
	want := "<h2>标题 &lt;b&gt;</h2>\n<p>一段 &lt;script&gt;alert(1)&lt;/script&gt; 继续</p>\n<ul>\n<li>第一 续行</li>\n<li>第二 &amp; 三</li>\n</ul>\n"
	if got != want {
		t.Errorf("Markdown:\n%s\nwant\n%s", got, want)
	}
}

func TestNewPager(t *testing.T) {
	u, _ := url.Parse("/app/s/1/contacts?q=%E7%8E%8B&offset=50")
	p := ui.NewPager(*u, 50, 50, 50, 120)
	if p.Prev != "/app/s/1/contacts?q=%E7%8E%8B" || p.Next != "/app/s/1/contacts?offset=100&q=%E7%8E%8B" || p.From != 51 || p.To != 100 {
		t.Errorf("pager %+v", p)
	}
	if p := ui.NewPager(*u, 100, 50, 20, 120); p.Next != "" || p.To != 120 {
		t.Errorf("last page %+v", p)
	}
}

// TestRenderer_EveryPageRendersWithoutData: each page renders for a signed-out visitor with no
// data in both languages, so a missing field fails here rather than in front of a user.
func TestRenderer_EveryPageRendersWithoutData(t *testing.T) {
	r, err := ui.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Pages()) < 15 {
		t.Fatalf("only %d pages", len(r.Pages()))
	}
	for _, lang := range []string{ui.Chinese, ui.English} {
		for _, name := range []string{"signin", "policy", "error", "thirdparties"} {
			var buf bytes.Buffer
			if err := r.Render(&buf, name, &ui.View{Lang: lang, Title: "app.title", Path: "/"}); err != nil {
				t.Errorf("%s in %s: %v", name, lang, err)
			}
			if !strings.Contains(buf.String(), `<html lang="`+lang+`">`) {
				t.Errorf("%s: no lang attribute", name)
			}
		}
	}
}

func planIDs() []string {
	var ids []string
	for _, p := range beifen.Plans {
		ids = append(ids, p.ID)
	}
	return ids
}
