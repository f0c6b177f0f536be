package genexport

import (
	"math/rand/v2"
	"strings"
	"time"
)

// smsFileName is the message file of an export, named after the export time as SB&R does.
var smsFileName = "sms-" + exportTime.Format("20060102150405") + ".xml"

// writeMessages writes the SB&R message file: SMS and MMS interleaved in date order.
func (g *gen) writeMessages() error {
	t, err := g.create(smsFileName)
	if err != nil {
		return err
	}
	r := g.rng(streamMessages)
	total := g.plan.sms + g.plan.mms
	w := xmlw{t.Writer}
	writeHeader(w, r, "smses", "sms.xsl", total)
	var nsms, nmms int
	for i, date := range timeline(r, total, exportTime.AddDate(-3, 0, 0), exportTime) {
		if isMMS(i, g.plan.mms, total) {
			g.newMMS(r, nmms, date).write(w)
			nmms++
			continue
		}
		newSMS(r, g.party(r, false), nsms, date).write(w)
		nsms++
	}
	w.WriteString("</smses>\n")
	g.stats.SMS += nsms
	g.stats.MMS += nmms
	return g.finish(t, exportTime)
}

// isMMS spreads m MMS evenly among total messages.
func isMMS(i, m, total int) bool { return (i+1)*m/total > i*m/total }

// party is the other side of a message or call.
type party struct {
	address string // as the network shows it: +8613…, 95588, 106…
	name    string // contact name, or "(Unknown)"
	service bool   // a bank, carrier or shop sending notifications
}

const unknownName = "(Unknown)"

// party picks the other side of a message (anyPhone false: a mobile) or of a call (any number).
func (g *gen) party(r *rand.Rand, anyPhone bool) party {
	if r.IntN(4) == 0 {
		return party{address: pick(r, services).number, name: unknownName, service: true}
	}
	if r.IntN(8) == 0 {
		return party{address: e164(mobileNumber(r)), name: unknownName}
	}
	p := pickPerson(r, g.people)
	ph := p.phones[0]
	if anyPhone {
		ph = pick(r, p.phones)
	}
	return party{address: e164(ph.digits), name: p.name()}
}

// sms is one <sms> row.
type sms struct {
	party
	date, dateSent time.Time
	body           string
	typ, status    int
	read, subID    int
	serviceCenter  string
}

// newSMS makes the i-th SMS of a file. The index decides the quirks, so that even a small file
// has emoji written as surrogate references, &#10; newlines and a &#0;.
func newSMS(r *rand.Rand, p party, i int, date time.Time) *sms {
	m := &sms{party: p, date: date, typ: smsType(r, p), status: -1, read: 1, subID: 1 + r.IntN(2)}
	m.body = smsBody(r, p, i)
	if m.typ == 1 {
		m.dateSent = date.Add(-time.Duration(r.IntN(8000)) * time.Millisecond)
		m.serviceCenter = pick(r, smsCenters)
		m.read = boolInt(r.IntN(30) != 0)
	}
	switch m.typ {
	case 2:
		m.status = pick(r, []int{-1, -1, 0})
	case 5:
		m.status = 64
	}
	return m
}

func smsType(r *rand.Rand, p party) int {
	if p.service {
		return 1
	}
	switch n := r.IntN(200); {
	case n < 110:
		return 1
	case n < 193:
		return 2
	case n < 195:
		return 3
	case n < 197:
		return 5
	case n < 199:
		return 4
	default:
		return 6
	}
}

func smsBody(r *rand.Rand, p party, i int) string {
	if p.service {
		for _, s := range services {
			if s.number == p.address {
				return fillDigits(r, s.text)
			}
		}
	}
	var parts []string
	for range 1 + r.IntN(3) {
		parts = append(parts, pick(r, chatTexts))
	}
	sep := pick(r, []string{"", " ", "，"})
	if i%41 == 4 {
		sep = "\n"
	}
	body := strings.Join(parts, sep)
	if i%53 == 9 || r.IntN(20) == 0 {
		body += pick(r, emoji)
	}
	if i%97 == 13 {
		body += ` 链接 https://m.example.cn/q?id=7&from=sms <点击>`
	}
	if i%5000 == 17 {
		body += "\x00"
	}
	return body
}

// fillDigits replaces each # with a random digit (verification codes, amounts).
func fillDigits(r *rand.Rand, s string) string {
	b := []byte(s)
	for i, c := range b {
		if c == '#' {
			b[i] = byte('0' + r.IntN(10))
		}
	}
	return string(b)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (m *sms) write(w xmlw) {
	w.WriteString("  <sms")
	w.attr("protocol", "0")
	w.attr("address", m.address)
	w.attrInt("date", m.date.UnixMilli())
	w.attrInt("type", int64(m.typ))
	w.attr("subject", "null")
	w.attr("body", m.body)
	w.attr("toa", "null")
	w.attr("sc_toa", "null")
	w.attr("service_center", nullIfEmpty(m.serviceCenter))
	w.attrInt("read", int64(m.read))
	w.attrInt("status", int64(m.status))
	w.attr("locked", "0")
	w.attrInt("date_sent", msOrZero(m.dateSent))
	w.attrInt("sub_id", int64(m.subID))
	w.attr("readable_date", readableDate(m.date))
	w.attr("contact_name", m.name)
	w.WriteString(" />\n")
}

func nullIfEmpty(s string) string {
	if s == "" {
		return "null"
	}
	return s
}

func msOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}
