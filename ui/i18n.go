package ui

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/beifen/beifen"
)

// Languages the UI speaks.
const (
	Chinese = "zh-CN"
	English = "en"
)

// PickLang chooses the page language: the cookie the switch sets, else Chinese for a browser
// that prefers Chinese, else English.
func PickLang(cookie, acceptLanguage string) string {
	if cookie == Chinese || cookie == English {
		return cookie
	}
	for _, part := range strings.Split(acceptLanguage, ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.Split(part, ";")[0]))
		switch {
		case strings.HasPrefix(tag, "zh"):
			return Chinese
		case tag != "" && tag != "*":
			return English
		}
	}
	return English
}

// T translates key into lang, formatting args into it. An unknown key shows as itself, which
// the catalogue test keeps from happening.
func T(lang, key string, args ...any) string {
	e, ok := catalog[key]
	if !ok {
		return key
	}
	s := e[0]
	if lang == English {
		s = e[1]
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// HasKey reports whether the catalogue has key, for tests.
func HasKey(key string) bool { _, ok := catalog[key]; return ok }

// View is what every page is rendered from.
type View struct {
	Lang  string
	Title string // a catalogue key
	Path  string // the page's path and query, for the language switch
	User  *beifen.User
	Tab   string
	// Operator: the user may open the operator console.
	Operator bool
	// ClosingOn is when the platform erases everything, if it is shutting down.
	ClosingOn time.Time
	Flash     string
	Error     string
	Pager     *Pager
	Data      any
}

// T translates key into the page's language.
func (v *View) T(key string, args ...any) string { return T(v.Lang, key, args...) }

// OtherLang is the language the switch offers.
func (v *View) OtherLang() string {
	if v.Lang == English {
		return Chinese
	}
	return English
}

// SwitchLangURL is the current page in the other language.
func (v *View) SwitchLangURL() string {
	return "/lang?to=" + v.OtherLang() + "&back=" + url.QueryEscape(v.Path)
}

// IsManager reports whether the user may use the manager console.
func (v *View) IsManager() bool {
	return v.User != nil && v.User.TeamID != 0 && (v.User.Role == beifen.RoleManager || v.User.Role == beifen.RoleAdmin)
}

// Pager links the pages of a list.
type Pager struct {
	Prev, Next      string
	From, To, Total int
}

// NewPager builds the links of a list at offset with limit items per page and total in all;
// base is the page's URL without offset.
func NewPager(base url.URL, offset, limit, shown, total int) *Pager {
	link := func(off int) string {
		q := base.Query()
		if off <= 0 {
			q.Del("offset")
		} else {
			q.Set("offset", fmt.Sprint(off))
		}
		base.RawQuery = q.Encode()
		return base.RequestURI()
	}
	p := &Pager{From: offset + 1, To: offset + shown, Total: total}
	if shown == 0 {
		p.From = offset
	}
	if offset > 0 {
		p.Prev = link(max(offset-limit, 0))
	}
	if offset+shown < total {
		p.Next = link(offset + limit)
	}
	return p
}
