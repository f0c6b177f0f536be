package genexport

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"path"
	"strings"
	"time"
)

// Blob id ranges: the random bytes of every binary depend only on the seed and the blob's id.
const (
	idMMS uint64 = (iota + 1) << 40
	idRecording
	idPhoto
	idVideo
	idDoc
	idMutate
)

// mms is one <mms> row with its parts and addresses.
type mms struct {
	date     time.Time
	incoming bool
	members  []party // the other people: the sender first when incoming
	text     string
	image    []byte
	imageCT  string
	imageNm  string
	subID    int
	mID      string
	trID     string
	ctL      string
}

// newMMS makes the j-th MMS of a file: a picture and usually a caption. Every fourth is a group
// message (tilde-joined address), and the first is an incoming group message, so that even a
// small file has FROM (137), TO (151) and CC (130) addresses.
func (g *gen) newMMS(r *rand.Rand, j int, date time.Time) *mms {
	m := &mms{date: date, incoming: j%3 != 1, subID: 1 + r.IntN(2)}
	n := 1
	if j%4 == 0 {
		n = 2 + r.IntN(3)
	}
	for len(m.members) < n {
		if p := g.party(r, false); !p.service {
			m.members = append(m.members, p)
		}
	}
	if j == 0 || r.IntN(10) < 7 {
		m.text = pick(r, chatTexts)
	}
	m.imageCT, m.imageNm = "image/jpeg", "IMG_"+date.Format("20060102_150405")+".jpg"
	k := kindJPEG
	if j%2 == 1 {
		m.imageCT, m.imageNm, k = "image/png", "Screenshot_"+date.Format("2006-01-02-15-04-05")+".png", kindPNG
	}
	m.image = blobBytes(k, int64(20<<10+r.IntN(60<<10)), byteSource(g.seed, idMMS+uint64(j)))
	m.mID = digits(r, 25)
	m.trID = "T" + fmt.Sprintf("%x", r.Uint64())
	m.ctL = "http://211.136.112.84/" + fmt.Sprintf("%x", r.Uint32())
	return m
}

func (m *mms) write(w xmlw) {
	w.WriteString("  <mms")
	w.attrInt("date", m.date.UnixMilli())
	w.attr("rr", "129")
	w.attr("sub", "null")
	w.attr("ct_t", "application/vnd.wap.multipart.related")
	w.attr("read_status", "null")
	w.attr("seen", "1")
	w.attrInt("msg_box", int64(pickInt(m.incoming, 1, 2)))
	w.attr("address", m.address())
	w.attr("sub_cs", "null")
	w.attr("resp_st", pickStr(m.incoming, "null", "128"))
	w.attr("retr_st", pickStr(m.incoming, "128", "null"))
	w.attr("d_tm", "null")
	w.attr("text_only", "0")
	w.attr("exp", pickStr(m.incoming, "604800", "null"))
	w.attr("locked", "0")
	w.attr("m_id", m.mID)
	w.attr("st", "null")
	w.attr("retr_txt_cs", "null")
	w.attr("retr_txt", "null")
	w.attr("creator", "com.android.mms")
	w.attrInt("date_sent", m.dateSent())
	w.attr("read", "1")
	w.attrInt("m_size", int64(len(m.image)+len(m.text)+len(m.smil())))
	w.attr("rpt_a", "null")
	w.attr("ct_cls", "null")
	w.attr("pri", "129")
	w.attrInt("sub_id", int64(m.subID))
	w.attr("tr_id", m.trID)
	w.attr("resp_txt", "null")
	w.attr("ct_l", pickStr(m.incoming, m.ctL, "null"))
	w.attr("m_cls", "personal")
	w.attr("d_rpt", "129")
	w.attrInt("v", 18)
	w.attrInt("m_type", int64(pickInt(m.incoming, 132, 128)))
	w.attr("readable_date", readableDate(m.date))
	w.attr("contact_name", m.contactName())
	w.WriteString(">\n    <parts>\n")
	m.writeParts(w)
	w.WriteString("    </parts>\n    <addrs>\n")
	m.writeAddrs(w)
	w.WriteString("    </addrs>\n  </mms>\n")
}

// dateSent is in seconds, as real MMS exports have it, and 0 on sent messages.
func (m *mms) dateSent() int64 {
	if !m.incoming {
		return 0
	}
	return m.date.Add(-9 * time.Second).Unix()
}

func (m *mms) address() string {
	nums := make([]string, len(m.members))
	for i, p := range m.members {
		nums[i] = p.address
	}
	return strings.Join(nums, "~")
}

func (m *mms) contactName() string {
	names := make([]string, len(m.members))
	for i, p := range m.members {
		names[i] = p.name
	}
	return strings.Join(names, ", ")
}

func (m *mms) smil() string {
	s := `<smil><head><layout><root-layout/><region id="Image" fit="meet" top="0" left="0" height="80%" width="100%"/>` +
		`<region id="Text" top="80%" left="0" height="20%" width="100%"/></layout></head><body><par dur="5000ms">` +
		`<img src="` + m.imageNm + `" region="Image"/>`
	if m.text != "" {
		s += `<text src="text_0.txt" region="Text"/>`
	}
	return s + `</par></body></smil>`
}

func (m *mms) writeParts(w xmlw) {
	part(w, -1, "application/smil", "null", "<smil>", "smil.xml", m.smil())
	part(w, 0, m.imageCT, "null", "<"+strings.TrimSuffix(m.imageNm, path.Ext(m.imageNm))+">", m.imageNm, "null")
	w.WriteString(` data="`)
	enc := base64.NewEncoder(base64.StdEncoding, w.Writer)
	enc.Write(m.image)
	enc.Close()
	w.WriteString("\" />\n")
	if m.text != "" {
		part(w, 0, "text/plain", "106", "<text_0>", "text_0.txt", m.text)
		w.WriteString(" />\n")
	}
}

// part writes a <part> start without its end, so that the caller can add data. The SMIL part
// ends itself.
func part(w xmlw, seq int, ct, chset, cid, cl, text string) {
	w.WriteString("      <part")
	w.attrInt("seq", int64(seq))
	w.attr("ct", ct)
	w.attr("name", pickStr(strings.HasPrefix(ct, "image/"), cl, "null"))
	w.attr("chset", chset)
	w.attr("cd", "null")
	w.attr("fn", "null")
	w.attr("cid", cid)
	w.attr("cl", cl)
	w.attr("ctt_s", "null")
	w.attr("ctt_t", "null")
	w.attr("text", text)
	if seq < 0 {
		w.WriteString(" />\n")
	}
}

// writeAddrs lists the sender as FROM (137) and the others as TO (151); on an incoming group
// message the owner is CC (130).
func (m *mms) writeAddrs(w xmlw) {
	owner := e164(ownerNumber)
	if !m.incoming {
		addr(w, owner, 137)
		for _, p := range m.members {
			addr(w, p.address, 151)
		}
		return
	}
	addr(w, m.members[0].address, 137)
	if len(m.members) == 1 {
		addr(w, owner, 151)
		return
	}
	for _, p := range m.members[1:] {
		addr(w, p.address, 151)
	}
	addr(w, owner, 130)
}

func addr(w xmlw, address string, typ int) {
	w.WriteString("      <addr")
	w.attr("address", address)
	w.attrInt("type", int64(typ))
	w.attr("charset", "106")
	w.WriteString(" />\n")
}

func pickStr(cond bool, a, b string) string {
	if cond {
		return a
	}
	return b
}

func pickInt(cond bool, a, b int) int {
	if cond {
		return a
	}
	return b
}
