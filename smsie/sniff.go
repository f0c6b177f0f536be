package smsie

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"path"
	"strings"

	"github.com/beifen/beifen"
)

// Sniff tells the format from the file name and its first bytes: a zip named messages-… or
// calls-…, or whose first member is messages.ndjson or a calls/contacts JSON, is
// FormatSMSIEArchive; a JSON array is FormatSMSIECalls or FormatSMSIEContact by the columns
// of its first object (by the name when head ends before they show). There is no format of
// its own for a v1 messages-*.json or an extracted messages.ndjson: they are reported as
// FormatSMSIEArchive, and DecodeZip reads them as well as DecodeJSON does. Anything else is "".
func Sniff(name string, head []byte) beifen.ExportFormat {
	base := strings.ToLower(path.Base(strings.ReplaceAll(name, "\\", "/")))
	if bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte("PK\x05\x06")) {
		return sniffZip(base, head)
	}
	c, _ := firstByte(head)
	if c != '[' && c != '{' {
		return ""
	}
	k := classify(firstKeys(head))
	if k == kindUnknown && c == '[' && strings.HasSuffix(base, ".json") {
		k = kindFromName(base)
	}
	switch {
	case k == kindCalls && c == '[':
		return beifen.FormatSMSIECalls
	case k == kindContacts && c == '[':
		return beifen.FormatSMSIEContact
	case k == kindMessages:
		return beifen.FormatSMSIEArchive
	}
	return ""
}

// sniffZip recognises an sms-ie zip by its name or by the name of its first member.
func sniffZip(base string, head []byte) beifen.ExportFormat {
	if strings.HasSuffix(base, ".zip") && (strings.HasPrefix(base, "messages") || strings.HasPrefix(base, "calls")) {
		return beifen.FormatSMSIEArchive
	}
	if len(head) < 30 || !bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return ""
	}
	n := int(binary.LittleEndian.Uint16(head[26:28]))
	if len(head) < 30+n {
		return ""
	}
	first := strings.ToLower(string(head[30 : 30+n]))
	if first == "messages.ndjson" || (strings.HasSuffix(first, ".json") && kindFromName(first) != kindUnknown) {
		return beifen.FormatSMSIEArchive
	}
	return ""
}

// firstKeys returns the keys of the first object in head (an array's first element, or a
// bare object), as far as head goes. Values are marked present with nil.
func firstKeys(head []byte) object {
	keys := object{}
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(head, []byte("\ufeff"))))
	tok, err := dec.Token()
	if d, ok := tok.(json.Delim); err == nil && ok && d == '[' {
		tok, err = dec.Token()
	}
	if d, ok := tok.(json.Delim); err != nil || !ok || d != '{' {
		return keys
	}
	for dec.More() {
		tok, err := dec.Token()
		k, ok := tok.(string)
		if err != nil || !ok {
			break
		}
		keys[k] = nil
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			break
		}
	}
	return keys
}
