package smsie

import (
	"strconv"
	"strings"

	"github.com/beifen/beifen"
)

// SB&R's attribute orders; columns they do not name follow, sorted.
var (
	smsOrder = []string{"protocol", "address", "date", "type", "subject", "body", "toa", "sc_toa",
		"service_center", "read", "status", "locked", "date_sent", "sub_id", "readable_date",
		"contact_name"}
	mmsOrder = []string{"date", "ct_t", "msg_box", "address", "sub", "sub_cs", "retr_st", "d_tm",
		"exp", "locked", "m_id", "retr_txt", "retr_txt_cs", "date_sent", "read", "seen", "rpt_a",
		"ct_cls", "pri", "sub_id", "tr_id", "resp_txt", "resp_st", "ct_l", "m_cls", "d_rpt", "rr",
		"read_status", "v", "m_size", "st", "text_only", "creator", "m_type", "readable_date",
		"contact_name"}
	partOrder = []string{"seq", "ct", "name", "chset", "cd", "fn", "cid", "cl", "ctt_s", "ctt_t",
		"text"}
	addrOrder = []string{"address", "type", "charset"}
)

// addrFrom is the PduHeaders type of an MMS sender.
const addrFrom = "137"

var displayName = map[string]string{"__display_name": "contact_name"}

// v1Names are the keys app versions before 2.0 wrote without the "__" prefix.
var v1Names = []string{"display_name", "parts", "addresses", "sender_address", "recipient_addresses"}

// mmsSpecial are the keys sms-ie adds to an MMS row; they are not columns.
var mmsSpecial = map[string]bool{"__parts": true, "__sender_address": true,
	"__recipient_addresses": true, "__addresses": true}

// normalizeV1 renames a v1 object's keys to their v2 names, as tools/v1-v2-convert.py does.
func normalizeV1(obj object) {
	for _, k := range v1Names {
		v, ok := obj[k]
		if !ok {
			continue
		}
		if _, dup := obj["__"+k]; !dup {
			obj["__"+k] = v
		}
		delete(obj, k)
	}
}

// isMMS tells an MMS row from an SMS row by the columns only the Mms table has.
func isMMS(obj object) bool {
	return has(obj, "__parts", "__sender_address", "__recipient_addresses", "msg_box", "m_type")
}

// smsMessage maps an SMS row: every column kept under its own name.
func smsMessage(obj object) *beifen.Message {
	return &beifen.Message{Kind: beifen.MessageSMS, Attrs: ordered(columns(obj, displayName, nil), smsOrder)}
}

// mmsHeader maps an MMS row's own columns and adds SB&R's address and contact_name.
func mmsHeader(obj object) (beifen.Attrs, []beifen.Attrs) {
	sender := objects(obj["__sender_address"])
	recips := objects(obj["__recipient_addresses"])
	if len(sender) == 0 && len(recips) == 0 {
		sender, recips = splitAddrs(objects(obj["__addresses"]))
	}
	vals := columns(obj, displayName, func(k string) bool { return mmsSpecial[k] })
	if d, ok := vals["date"]; ok {
		vals["date"] = secondsToMillis(d)
	}
	parties := mmsParties(vals["msg_box"], sender, recips)
	if _, ok := vals["address"]; !ok && len(parties) > 0 {
		vals["address"] = joinAddresses(parties)
	}
	if _, ok := vals["contact_name"]; !ok && allNamed(parties) {
		vals["contact_name"] = joinNames(parties)
	}
	return ordered(vals, mmsOrder), addrRows(sender, recips)
}

// secondsToMillis scales an epoch-seconds value to milliseconds; other values stay as they are.
func secondsToMillis(s string) string {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n <= 0 || n >= 1e11 {
		return s
	}
	return strconv.FormatInt(n*1000, 10)
}

// splitAddrs splits one list of addr rows into the sender and the others.
func splitAddrs(all []object) (sender, recips []object) {
	for _, a := range all {
		if field(a, "type") == addrFrom && len(sender) == 0 {
			sender = append(sender, a)
		} else {
			recips = append(recips, a)
		}
	}
	return sender, recips
}

// mmsParties returns the other party as SB&R's address names it: the sender of a received
// message, the recipients of any other; each number once, the phone's own placeholder left out.
func mmsParties(box string, sender, recips []object) []object {
	cands := recips
	if box == "1" && len(usable(sender)) > 0 {
		cands = sender
	}
	return usable(cands)
}

func usable(addrs []object) []object {
	var out []object
	seen := map[string]bool{}
	for _, a := range addrs {
		ad := field(a, "address")
		if ad == "" || ad == "null" || ad == "insert-address-token" || seen[ad] {
			continue
		}
		seen[ad] = true
		out = append(out, a)
	}
	return out
}

func joinAddresses(addrs []object) string {
	vs := make([]string, len(addrs))
	for i, a := range addrs {
		vs[i] = field(a, "address")
	}
	return strings.Join(vs, "~")
}

// addrName returns the display name sms-ie added to an addr row (v1 wrote display_name).
func addrName(a object) string {
	for _, k := range []string{"__display_name", "display_name"} {
		if v := field(a, k); v != "" && v != "null" {
			return v
		}
	}
	return ""
}

func allNamed(addrs []object) bool {
	for _, a := range addrs {
		if addrName(a) == "" {
			return false
		}
	}
	return len(addrs) > 0
}

func joinNames(addrs []object) string {
	vs := make([]string, len(addrs))
	for i, a := range addrs {
		vs[i] = addrName(a)
	}
	return strings.Join(vs, ", ")
}

// addrRows returns SB&R's <addr> rows: the sender (type 137) first, then the recipients with
// their own type.
func addrRows(sender, recips []object) []beifen.Attrs {
	var rows []beifen.Attrs
	for i, a := range append(append([]object(nil), sender...), recips...) {
		vals := map[string]string{}
		for _, k := range addrOrder {
			if v, ok := a[k]; ok {
				vals[k] = str(v)
			}
		}
		if _, ok := vals["type"]; !ok && i < len(sender) {
			vals["type"] = addrFrom
		}
		rows = append(rows, ordered(vals, addrOrder))
	}
	return rows
}
