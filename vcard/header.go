package vcard

import (
	"bytes"
	"strings"

	"github.com/beifen/beifen"
)

// header is the part of a property line before the value: group, name and parameters.
// Parameter values are raw bytes here; they become UTF-8 when the card is built.
type header struct {
	group, name string
	params      []beifen.Param
}

// parseHeader parses "group.NAME;PARAM=v;BARE" into h and reports whether it is a property at
// all (a comment or junk line is not). The parameters go into h's own slice, reused from line
// to line: whoever keeps them copies them.
func parseHeader(h *header, b []byte) bool {
	*h = header{params: h.params[:0]}
	seg, rest, more := cutParam(b)
	nameSec := bytes.TrimSpace(bytes.TrimPrefix(seg, bom)) // concatenated files keep their BOMs
	if i := bytes.LastIndexByte(nameSec, '.'); i >= 0 {
		if !isToken(nameSec[:i]) {
			return false
		}
		h.group, nameSec = string(nameSec[:i]), nameSec[i+1:]
	}
	if !isToken(nameSec) {
		return false
	}
	h.name = intern(nameSec)
	for more {
		seg, rest, more = cutParam(rest)
		h.addParam(seg)
	}
	h.params = mergeParams(h.params)
	return true
}

var bom = []byte("\xef\xbb\xbf")

// cutParam cuts b at the first semicolon outside double quotes.
func cutParam(b []byte) (seg, rest []byte, found bool) {
	inQuote := false
	for i, c := range b {
		switch {
		case c == '"':
			inQuote = !inQuote
		case c == ';' && !inQuote:
			return b[:i], b[i+1:], true
		}
	}
	return b, nil, false
}

// addParam adds one parameter. A 2.1 bare parameter (CELL, QUOTED-PRINTABLE, URL) gets the
// name it stands for.
func (h *header) addParam(seg []byte) {
	seg = bytes.TrimSpace(seg)
	if len(seg) == 0 {
		return
	}
	var name, val string
	n, v, hasEq := bytes.Cut(seg, []byte("="))
	n = bytes.TrimSpace(n)
	switch {
	case !hasEq:
		val = unquote(seg)
		name = bareName(val)
	case isToken(n):
		name, val = intern(n), unquote(v)
	default: // not a parameter name: keep the text as a type, like a bare parameter
		name, val = "TYPE", unquote(seg)
	}
	h.params = append(h.params, beifen.Param{Name: name, Value: val})
}

// mergeParams joins repeated parameters (type=CELL;type=pref) into the first one, values
// comma-separated, in time linear in the number of parameters. It may reuse ps.
func mergeParams(ps []beifen.Param) []beifen.Param {
	var idx map[string]int
	if len(ps) > 8 {
		idx = make(map[string]int, len(ps))
	} else if !hasRepeats(ps) {
		return ps
	} else {
		return mergeFew(ps)
	}
	out := make([]beifen.Param, 0, len(ps))
	vals := make([][]string, 0, len(ps))
	for _, p := range ps {
		i := paramIndex(out, idx, p.Name)
		if i < 0 {
			i = len(out)
			out, vals = append(out, beifen.Param{Name: p.Name}), append(vals, nil)
			if idx != nil {
				idx[p.Name] = i
			}
		}
		if p.Value != "" {
			vals[i] = append(vals[i], p.Value)
		}
	}
	for i := range out {
		out[i].Value = strings.Join(vals[i], ",")
	}
	return out
}

// mergeFew is mergeParams for a short list (the common TEL;CELL;PREF), merged in place: each
// value is joined onto the first parameter of its name at once, which only a long list of
// repeats would make slow.
func mergeFew(ps []beifen.Param) []beifen.Param {
	out := ps[:0]
	for _, p := range ps {
		i := paramIndex(out, nil, p.Name)
		switch {
		case i < 0:
			out = append(out, p)
		case out[i].Value == "":
			out[i].Value = p.Value
		case p.Value != "":
			out[i].Value += "," + p.Value
		}
	}
	return out
}

// hasRepeats reports whether two parameters share a name; for short lists only.
func hasRepeats(ps []beifen.Param) bool {
	for i := range ps {
		for j := i + 1; j < len(ps); j++ {
			if ps[i].Name == ps[j].Name {
				return true
			}
		}
	}
	return false
}

func paramIndex(ps []beifen.Param, idx map[string]int, name string) int {
	if idx != nil {
		if i, ok := idx[name]; ok {
			return i
		}
		return -1
	}
	for i := range ps {
		if ps[i].Name == name {
			return i
		}
	}
	return -1
}

// bareName returns the parameter a 2.1 bare parameter value belongs to.
func bareName(v string) string {
	switch upperASCII(v) {
	case "QUOTED-PRINTABLE", "BASE64", "B", "7BIT", "8BIT":
		return "ENCODING"
	case "INLINE", "URL", "URI", "CONTENT-ID", "CID":
		return "VALUE"
	case "UTF-8", "GB2312", "GBK", "GB18030", "BIG5", "SHIFT_JIS":
		return "CHARSET"
	}
	return "TYPE"
}

// param returns the value of the parameter called name (upper case) and whether it is there.
func (h *header) param(name string) (string, bool) {
	return paramValue(h.params, name)
}

// encoding returns the ENCODING parameter in upper case, or "".
func (h *header) encoding() string {
	v, _ := h.param("ENCODING")
	return upperASCII(v)
}

func paramValue(ps []beifen.Param, name string) (string, bool) {
	for _, p := range ps {
		if p.Name == name {
			return p.Value, true
		}
	}
	return "", false
}

// setParam sets the parameter called name, in place when it is there.
func setParam(ps []beifen.Param, name, value string) []beifen.Param {
	for i := range ps {
		if ps[i].Name == name {
			ps[i].Value = value
			return ps
		}
	}
	return append(ps, beifen.Param{Name: name, Value: value})
}

// dropParams removes the parameters for which drop returns true.
func dropParams(ps []beifen.Param, drop func(beifen.Param) bool) []beifen.Param {
	out := ps[:0]
	for _, p := range ps {
		if !drop(p) {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil // as a property read without parameters has them
	}
	return out
}

// unquote trims a parameter value and removes its double quotes, which are only syntax.
func unquote(b []byte) string {
	b = bytes.TrimSpace(b)
	if bytes.IndexByte(b, '"') < 0 {
		return internValue(b)
	}
	return string(bytes.TrimSpace(bytes.ReplaceAll(b, []byte(`"`), nil)))
}

// isToken reports whether s is a non-empty name made of letters, digits, "-" and "_".
func isToken[T string | []byte](s T) bool {
	if len(s) == 0 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// upperASCII upper-cases ASCII letters only, so names never change length or encoding.
func upperASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'a' && c <= 'z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j] >= 'a' && b[j] <= 'z' {
					b[j] -= 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
