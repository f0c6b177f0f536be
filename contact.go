package beifen

import (
	"sort"
	"strings"
)

// Contact is one address-book card. Props keeps every property of the card, X- properties
// included, in the order the phone wrote them, already decoded: quoted-printable and legacy
// charsets (GBK, GB2312, Shift_JIS, ...) become UTF-8, folded lines are joined, and 2.1's bare
// parameters become TYPE= parameters. Value is in vCard 3.0 escaped form (\n, \, and \; escapes,
// ";" between the components of N and ADR), so a card can be written back as vCard 3.0 exactly.
// A PHOTO's value is its base64 with ENCODING=b, or a URI.
type Contact struct {
	Props []ContactProp `json:"p"`
	// RecordID is the stored record the card was read from (0 while being backed up), to name
	// it when the user deletes it.
	RecordID int64 `json:"record_id,omitempty"`
}

// ContactProp is one property of a card, such as item1.TEL;TYPE=CELL:+86 138 0013 8000.
type ContactProp struct {
	Group  string  `json:"g,omitempty"` // Apple's "item1" label group
	Name   string  `json:"n"`           // upper case: FN, N, TEL, EMAIL, X-QQ, ...
	Params []Param `json:"r,omitempty"`
	Value  string  `json:"v"`
}

// Param is one property parameter; a parameter with several values (TYPE=CELL,VOICE) keeps them
// comma-joined in Value.
type Param struct {
	Name  string `json:"n"`
	Value string `json:"v"`
}

// Prop returns the value of the first property called name, or "".
func (c *Contact) Prop(name string) string {
	for _, p := range c.Props {
		if p.Name == name {
			return p.Value
		}
	}
	return ""
}

// PropValues returns the values of every property called name, in order.
func (c *Contact) PropValues(name string) []string {
	var vs []string
	for _, p := range c.Props {
		if p.Name == name {
			vs = append(vs, p.Value)
		}
	}
	return vs
}

// contactVolatile lists properties that change without the person changing.
var contactVolatile = map[string]bool{"VERSION": true, "PRODID": true, "REV": true}

// Identity returns what makes two copies of a card the same contact: its UID when it has one,
// else its normalised content (every property but VERSION, PRODID and REV, sorted).
func (c *Contact) Identity() []byte {
	if uid := c.Prop("UID"); uid != "" {
		return identity("contact", "uid", uid)
	}
	return identity("contact", "content", c.normalized())
}

// Fingerprint returns the card's normalised content; two cards with the same fingerprint hold
// the same data whatever the version or order they were written in.
func (c *Contact) Fingerprint() []byte { return identity("contact-v", c.normalized()) }

func (c *Contact) normalized() string {
	lines := make([]string, 0, len(c.Props))
	for _, p := range c.Props {
		if contactVolatile[p.Name] {
			continue
		}
		var b strings.Builder
		b.WriteString(p.Name)
		params := append([]Param(nil), p.Params...)
		sort.Slice(params, func(i, j int) bool { return params[i].Name < params[j].Name })
		for _, pr := range params {
			b.WriteString(";" + strings.ToUpper(pr.Name) + "=" + strings.ToUpper(pr.Value))
		}
		b.WriteString(":" + strings.TrimSpace(p.Value))
		lines = append(lines, b.String())
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// DisplayName is the name to show: FN, else N's parts, else the first number or e-mail.
func (c *Contact) DisplayName() string {
	if fn := strings.TrimSpace(c.Prop("FN")); fn != "" {
		return fn
	}
	if n := c.Prop("N"); n != "" {
		// N is family;given;additional;prefix;suffix. Chinese names read family then given.
		parts := strings.Split(n, ";")
		var out []string
		for _, p := range parts {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
		if len(out) > 0 {
			return strings.Join(out, " ")
		}
	}
	if tel := c.Prop("TEL"); tel != "" {
		return tel
	}
	return c.Prop("EMAIL")
}

// Photo returns the contact's embedded photo and its MIME type, or ok false.
func (c *Contact) Photo() (b64, mime string, ok bool) {
	for _, p := range c.Props {
		if p.Name != "PHOTO" || p.Value == "" {
			continue
		}
		enc, typ := "", ""
		for _, q := range p.Params {
			switch strings.ToUpper(q.Name) {
			case "ENCODING":
				enc = strings.ToLower(q.Value)
			case "TYPE":
				typ = strings.ToLower(q.Value)
			}
		}
		if enc != "b" && enc != "base64" {
			continue
		}
		switch typ {
		case "png", "gif", "webp":
			return p.Value, "image/" + typ, true
		default:
			return p.Value, "image/jpeg", true
		}
	}
	return "", "", false
}
