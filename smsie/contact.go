package smsie

import (
	"strconv"
	"strings"

	"github.com/beifen/beifen"
)

// contactFrom maps one Contacts row, with the Data rows of all its raw contacts, to vCard 3.0
// properties: FN first, then each Data row in order. A row repeated by two raw contacts (a
// phone and a Google account holding the same number) is written once.
func contactFrom(obj object) *beifen.Contact {
	var rows []object
	for _, raw := range objects(obj["raw_contacts"]) {
		rows = append(rows, objects(raw["contacts_data"])...)
	}
	cb := &cardBuilder{seen: map[string]bool{}}
	fn := field(obj, "display_name")
	for _, r := range rows {
		if fn == "" && kindOf(r) == "name" {
			fn = data(r, 1)
		}
	}
	if fn != "" {
		cb.add("FN", nil, esc(fn))
	}
	for _, r := range rows {
		cb.row(r)
	}
	return &beifen.Contact{Props: cb.props}
}

// data returns column data<i> of a Data row.
func data(r object, i int) string { return field(r, "data"+strconv.Itoa(i)) }

// kindOf returns a Data row's mimetype without Android's common prefix: "name", "phone_v2", ...
func kindOf(r object) string {
	return strings.TrimPrefix(field(r, "mimetype"), "vnd.android.cursor.item/")
}

// cardBuilder collects a card's properties, each distinct one once.
type cardBuilder struct {
	props []beifen.ContactProp
	seen  map[string]bool
	named bool
}

func (cb *cardBuilder) add(name string, params []beifen.Param, value string) {
	if value == "" {
		return
	}
	key := name + "\x00" + value
	for _, p := range params {
		key += "\x00" + p.Name + "=" + p.Value
	}
	if cb.seen[key] {
		return
	}
	cb.seen[key] = true
	cb.props = append(cb.props, beifen.ContactProp{Name: name, Params: params, Value: value})
}

// row adds the properties of one Data row.
func (cb *cardBuilder) row(r object) {
	switch kindOf(r) {
	case "name":
		cb.name(r)
	case "phone_v2":
		cb.add("TEL", typeParams(r, phoneTypes), esc(data(r, 1)))
	case "email_v2":
		cb.add("EMAIL", typeParams(r, emailTypes), esc(data(r, 1)))
	case "organization":
		cb.add("ORG", nil, strings.TrimSuffix(escJoin(data(r, 1), data(r, 5)), ";"))
		cb.add("TITLE", nil, esc(data(r, 4)))
	case "note":
		cb.add("NOTE", nil, esc(data(r, 1)))
	case "nickname":
		cb.add("NICKNAME", nil, esc(data(r, 1)))
	case "website":
		cb.add("URL", nil, esc(data(r, 1)))
	case "postal-address_v2":
		cb.address(r)
	case "sip_address":
		cb.add("X-SIP", nil, esc(data(r, 1)))
	case "im":
		cb.im(r)
	case "contact_event":
		cb.event(r)
	case "photo":
		cb.photo(r)
	case "group_membership":
		// data1 is a row id of this phone's groups table: meaningless anywhere else.
	default:
		cb.custom(r)
	}
}

// name adds N (family;given;middle;prefix;suffix) and the phonetic names of the first
// structured name; a card has one N.
func (cb *cardBuilder) name(r object) {
	if cb.named {
		return
	}
	n := escJoin(data(r, 3), data(r, 2), data(r, 5), data(r, 4), data(r, 6))
	if strings.Trim(n, ";") == "" {
		return
	}
	cb.named = true
	cb.add("N", nil, n)
	cb.add("X-PHONETIC-FIRST-NAME", nil, esc(data(r, 7)))
	cb.add("X-PHONETIC-MIDDLE-NAME", nil, esc(data(r, 8)))
	cb.add("X-PHONETIC-LAST-NAME", nil, esc(data(r, 9)))
}

// address adds ADR: pobox;extended;street;city;region;postcode;country, with the formatted
// address as the street when the phone kept nothing structured.
func (cb *cardBuilder) address(r object) {
	street := data(r, 4)
	structured := street + data(r, 5) + data(r, 6) + data(r, 7) + data(r, 8) + data(r, 9) + data(r, 10)
	if structured == "" {
		street = data(r, 1)
	}
	if street == "" && structured == "" {
		return
	}
	cb.add("ADR", typeParams(r, postalTypes),
		escJoin(data(r, 5), data(r, 6), street, data(r, 7), data(r, 8), data(r, 9), data(r, 10)))
}

// im adds an instant-messaging handle as the X- property of its protocol (data5), or of its
// custom protocol name (data6).
func (cb *cardBuilder) im(r object) {
	name := imProps[data(r, 5)]
	if data(r, 5) == "-1" {
		name = xName(data(r, 6))
	}
	if name == "" {
		cb.custom(r)
		return
	}
	cb.add(name, nil, esc(data(r, 1)))
}

// event adds a birthday (type 3) as BDAY; other dates are kept as X-ANDROID-CUSTOM.
func (cb *cardBuilder) event(r object) {
	if data(r, 2) == "3" {
		cb.add("BDAY", nil, esc(data(r, 1)))
		return
	}
	cb.custom(r)
}

// photo adds the thumbnail sms-ie writes as data15__base64__.
func (cb *cardBuilder) photo(r object) {
	b64 := field(r, "data15"+base64Suffix)
	typ := "JPEG"
	if strings.HasPrefix(b64, "iVBOR") {
		typ = "PNG"
	}
	cb.add("PHOTO", []beifen.Param{{Name: "ENCODING", Value: "b"}, {Name: "TYPE", Value: typ}}, b64)
}

// custom keeps a row no property fits as Android's vCard exporter does:
// X-ANDROID-CUSTOM:mimetype;data1;...;data15.
func (cb *cardBuilder) custom(r object) {
	vals := make([]string, 16)
	vals[0] = field(r, "mimetype")
	empty := true
	for i := 1; i <= 15; i++ {
		vals[i] = data(r, i)
		empty = empty && vals[i] == ""
	}
	if vals[0] == "" || empty {
		return
	}
	cb.add("X-ANDROID-CUSTOM", nil, escJoin(vals...))
}
