package vcard

import (
	"bytes"
	"encoding/base64"
	"net/url"
	"strings"

	"github.com/beifen/beifen"
)

// fixBinary normalises a property with ENCODING=b or BASE64: the base64 is decoded and
// encoded again, so folding, white space and odd padding are gone, and ENCODING becomes b.
func fixBinary(p *beifen.ContactProp, raw string) {
	data, ok := decodeBase64(raw)
	if ok {
		p.Value = base64.StdEncoding.EncodeToString(data)
	} else {
		p.Value = strings.ToValidUTF8(stripSpace(raw), "\uFFFD")
	}
	p.Params = setParam(p.Params, "ENCODING", "b")
	if isImage(p.Name) {
		setImageType(p, data)
	}
}

// fixImage normalises a PHOTO or LOGO given without ENCODING: a data: URI becomes base64 with
// ENCODING=b, a URL gets VALUE=uri, and bare base64 gets ENCODING=b.
func fixImage(p *beifen.ContactProp) {
	vt, _ := paramValue(p.Params, "VALUE")
	switch {
	case hasPrefixFold(p.Value, "data:"):
		fixDataURI(p)
	case strings.EqualFold(vt, "uri") || strings.EqualFold(vt, "url") || isURI(p.Value):
		p.Params = setParam(p.Params, "VALUE", "uri")
	case p.Value != "":
		if data, ok := decodeBase64(p.Value); ok {
			p.Value = base64.StdEncoding.EncodeToString(data)
			p.Params = dropParams(p.Params, func(q beifen.Param) bool { return q.Name == "VALUE" })
			p.Params = setParam(p.Params, "ENCODING", "b")
			setImageType(p, data)
		}
	}
}

// fixDataURI turns "data:image/jpeg;base64,..." into base64 with ENCODING=b and TYPE=JPEG.
func fixDataURI(p *beifen.ContactProp) {
	meta, payload, found := strings.Cut(strings.ReplaceAll(p.Value[len("data:"):], `\,`, ","), ",")
	var data []byte
	ok := found
	if found && hasSuffixFold(meta, ";base64") {
		meta = meta[:len(meta)-len(";base64")]
		data, ok = decodeBase64(payload)
	} else if found {
		s, err := url.PathUnescape(payload)
		data, ok = []byte(s), err == nil
	}
	if !ok {
		p.Params = setParam(p.Params, "VALUE", "uri")
		return
	}
	p.Value = base64.StdEncoding.EncodeToString(data)
	p.Params = dropParams(p.Params, func(q beifen.Param) bool { return q.Name == "VALUE" || q.Name == "MEDIATYPE" })
	p.Params = setParam(p.Params, "ENCODING", "b")
	mediaType, _, _ := strings.Cut(meta, ";")
	if t := normImageType(mediaType); t != "" {
		p.Params = setParam(p.Params, "TYPE", t)
	}
	setImageType(p, data)
}

// setImageType normalises TYPE (image/jpeg, jpg -> JPEG) or, when it is missing, sets it
// from the image's magic bytes.
func setImageType(p *beifen.ContactProp, data []byte) {
	if t, ok := paramValue(p.Params, "TYPE"); ok {
		p.Params = setParam(p.Params, "TYPE", normImageType(t))
	} else if t := sniffImage(data); t != "" {
		p.Params = append(p.Params, beifen.Param{Name: "TYPE", Value: t})
	}
}

func normImageType(t string) string {
	t = upperASCII(cleanParamValue(t))
	for strings.HasPrefix(t, "IMAGE/") {
		t = strings.TrimSpace(t[len("IMAGE/"):])
	}
	if t == "JPG" {
		return "JPEG"
	}
	return t
}

var imageMagic = []struct {
	magic, typ string
}{
	{"\xff\xd8\xff", "JPEG"},
	{"\x89PNG\r\n\x1a\n", "PNG"},
	{"GIF8", "GIF"},
	{"BM", "BMP"},
}

func sniffImage(data []byte) string {
	for _, m := range imageMagic {
		if bytes.HasPrefix(data, []byte(m.magic)) {
			return m.typ
		}
	}
	if len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP" {
		return "WEBP"
	}
	return ""
}

func isImage(name string) bool { return name == "PHOTO" || name == "LOGO" }

// decodeBase64 decodes base64 with any white space in it, padded or not.
func decodeBase64(raw string) ([]byte, bool) {
	clean := stripSpace(raw)
	if data, err := base64.StdEncoding.DecodeString(clean); err == nil {
		return data, true
	}
	data, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(clean, "="))
	return data, err == nil
}

func stripSpace(s string) string {
	if !strings.ContainsAny(s, " \t\r\n") {
		return s
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if c := s[i]; c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			out = append(out, c)
		}
	}
	return string(out)
}

// isURI reports whether s starts with a URI scheme ("http:", "content:", "cid:").
func isURI(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return i+1 < len(s)
		default:
			return false
		}
	}
	return false
}

func hasSuffixFold(s, suffix string) bool {
	return len(s) >= len(suffix) && strings.EqualFold(s[len(s)-len(suffix):], suffix)
}
