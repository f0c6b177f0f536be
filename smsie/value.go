package smsie

import (
	"encoding/json"
	"net/url"
	"sort"
	"strings"

	"github.com/beifen/beifen"
)

// object is one decoded JSON object; numbers stay json.Number so no digit is lost.
type object = map[string]any

// str returns a column value as the export meant it: sms-ie writes strings, a JSON null
// becomes "null" (SB&R's absent value), and anything else keeps its JSON text.
func str(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case nil:
		return "null"
	case json.Number:
		return v.String()
	case bool:
		if v {
			return "true"
		}
		return "false"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(b)
}

// field returns obj[key] as a string, or "" when it is absent or null.
func field(obj object, key string) string {
	v, ok := obj[key]
	if !ok || v == nil {
		return ""
	}
	return str(v)
}

// has reports whether obj has any of keys.
func has(obj object, keys ...string) bool {
	for _, k := range keys {
		if _, ok := obj[k]; ok {
			return true
		}
	}
	return false
}

// objects returns v as a list of objects: an array's object elements, or a lone object.
func objects(v any) []object {
	switch v := v.(type) {
	case object:
		return []object{v}
	case []any:
		var out []object
		for _, e := range v {
			if o, ok := e.(object); ok {
				out = append(out, o)
			}
		}
		return out
	}
	return nil
}

// ordered turns vals into Attrs: the names in first that are present, in that order, then
// the others sorted, so the same row always gives the same list.
func ordered(vals map[string]string, first []string) beifen.Attrs {
	attrs := make(beifen.Attrs, 0, len(vals))
	done := make(map[string]bool, len(first))
	for _, k := range first {
		if v, ok := vals[k]; ok && !done[k] {
			attrs = append(attrs, beifen.Attr{Name: k, Value: v})
			done[k] = true
		}
	}
	rest := make([]string, 0, len(vals))
	for k := range vals {
		if !done[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		attrs = append(attrs, beifen.Attr{Name: k, Value: vals[k]})
	}
	return attrs
}

// columns returns obj's plain columns as strings, without the keys skip reports, and with
// the keys in rename renamed. A renamed key never replaces a column of the same name, and
// keys are visited in sorted order, so the result does not depend on map order.
func columns(obj object, rename map[string]string, skip func(string) bool) map[string]string {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		if skip == nil || !skip(k) {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	vals := make(map[string]string, len(keys))
	for _, k := range keys {
		if _, ok := rename[k]; !ok {
			vals[k] = str(obj[k])
		}
	}
	for _, k := range keys {
		to, ok := rename[k]
		if _, taken := vals[to]; ok && !taken {
			vals[to] = str(obj[k])
		}
	}
	return vals
}

// lastSegment returns the last non-empty segment of a slash-separated path, as Android's
// Uri.getLastPathSegment does, percent-decoded when that decodes cleanly.
func lastSegment(p string) string {
	p = strings.TrimRight(p, "/")
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		p = p[i+1:]
	}
	if u, err := url.PathUnescape(p); err == nil {
		return u
	}
	return p
}
