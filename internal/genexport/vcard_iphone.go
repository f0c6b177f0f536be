package genexport

import (
	"bufio"
	"encoding/base64"
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode/utf8"
)

// writeIPhone writes iphone.vcf, an address book exported from an iPhone: vCard 3.0, raw UTF-8,
// Apple itemN. label groups and 75-octet folding. Its people are not those of contacts.vcf.
func (g *gen) writeIPhone() error {
	t, err := g.create("iphone.vcf")
	if err != nil {
		return err
	}
	r := g.rng(streamIPhone)
	people := newPeople(r, g.plan.iphone)
	for _, p := range people {
		writeIOSCard(t.Writer, r, p)
	}
	g.stats.Contacts += len(people)
	return g.finish(t, exportTime)
}

func writeIOSCard(w *bufio.Writer, r *rand.Rand, p *person) {
	w.WriteString("BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iPhone OS 17.5.1//EN\r\n")
	fold(w, "N:"+esc3(p.family)+";"+esc3(p.given)+";;;")
	fold(w, "FN:"+esc3(p.name()))
	if p.nick != "" {
		fold(w, "NICKNAME:"+esc3(p.nick))
	}
	if p.org != "" {
		fold(w, "ORG:"+esc3(p.org)+";")
		fold(w, "TITLE:"+esc3(p.title))
	}
	item := 0
	if p.email != "" {
		item++
		fold(w, itemN(item)+"EMAIL;type=INTERNET;type=pref:"+p.email)
	}
	iosPhones(w, p, &item)
	if r.IntN(3) == 0 {
		item++
		fold(w, itemN(item)+"ADR;type=HOME;type=pref:;;科技园南区A座1203;深圳市;广东省;518057;中国")
		fold(w, itemN(item)+"X-ABADR:cn")
	}
	if p.note != "" {
		fold(w, "NOTE:"+esc3(p.note))
	}
	if p.birthday != "" {
		fold(w, "BDAY;value=date:"+p.birthday)
	}
	fold(w, "X-PHONETIC-FIRST-NAME:"+p.givenPY)
	fold(w, "X-PHONETIC-LAST-NAME:"+p.familyPY)
	if p.photo {
		fold(w, "PHOTO;ENCODING=b;TYPE=JPEG:"+base64.StdEncoding.EncodeToString(smallJPEG(r)))
	}
	w.WriteString("END:VCARD\r\n")
}

// iosPhones writes the first mobile as the preferred cell, the others under Apple labels.
func iosPhones(w *bufio.Writer, p *person, item *int) {
	for i, ph := range p.phones {
		switch {
		case i == 0:
			fold(w, "TEL;type=CELL;type=VOICE;type=pref:"+ph.typed)
		case ph.kind == "WORK":
			fold(w, "TEL;type=WORK;type=VOICE:"+ph.typed)
		default:
			*item++
			fold(w, itemN(*item)+"TEL:"+ph.typed)
			fold(w, itemN(*item)+"X-ABLabel:_$!<Mobile>!$_")
		}
	}
}

func itemN(n int) string { return "item" + strconv.Itoa(n) + "." }

// esc3 escapes a vCard 3.0 text value.
var esc3 = strings.NewReplacer(`\`, `\\`, "\n", `\n`, ",", `\,`, ";", `\;`).Replace

// fold writes one content line folded at 75 octets, never inside a UTF-8 sequence; continuation
// lines start with one space.
func fold(w *bufio.Writer, line string) {
	limit := 75
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		w.WriteString(line[:cut])
		w.WriteString("\r\n ")
		line = line[cut:]
		limit = 74
	}
	w.WriteString(line)
	w.WriteString("\r\n")
}
