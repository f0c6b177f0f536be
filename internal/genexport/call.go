package genexport

import (
	"math"
	"math/rand/v2"
	"time"
)

// call is one call-log row.
type call struct {
	party
	number       string // as the call log stores it; "" when the caller hid it
	date         time.Time
	duration     int // seconds
	typ          int // 1 incoming … 6 blocked
	presentation int // 1 allowed, 2 restricted, 3 unknown, 4 payphone
	subID        string
	postDial     string
}

// Two SIM cards, identified by ICCID as some phones write subscription_id.
var iccids = []string{"89860018190839041532", "89860118802104732611"}

const telecomComponent = "com.android.phone/com.android.services.telephony.TelephonyConnectionService"

// writeCalls writes the SB&R call log. It first picks the calls that were recorded, and gives
// them a duration that matches the size of their recording.
func (g *gen) writeCalls() error {
	r := g.rng(streamCalls)
	g.calls = make([]*call, g.plan.calls)
	for i, date := range timeline(r, g.plan.calls, exportTime.AddDate(-2, 0, 0), exportTime) {
		g.calls[i] = g.newCall(r, i, date)
	}
	g.pickRecorded(r)
	t, err := g.create("calls-" + exportTime.Format("20060102150405") + ".xml")
	if err != nil {
		return err
	}
	w := xmlw{t.Writer}
	writeHeader(w, r, "calls", "calls.xsl", len(g.calls))
	for _, c := range g.calls {
		c.write(w)
	}
	w.WriteString("</calls>\n")
	g.stats.Calls += len(g.calls)
	return g.finish(t, exportTime)
}

// newCall makes the i-th call. The first nine cover every type and presentation.
func (g *gen) newCall(r *rand.Rand, i int, date time.Time) *call {
	c := &call{party: g.party(r, true), date: date, typ: callType(r), presentation: 1, subID: pick(r, iccids)}
	if i < 6 {
		c.typ = i + 1
	}
	if i >= 6 && i < 9 {
		c.presentation = i - 4
	} else if r.IntN(300) == 0 {
		c.presentation = 2
	}
	c.number = c.address
	if c.presentation != 1 {
		c.number, c.name = "", unknownName
	} else if c.typ == 2 && len(c.number) == 14 && r.IntN(2) == 0 {
		c.number = c.number[3:] // dialled without +86
	}
	if c.typ == 2 && c.number != "" && c.number[0] == '0' && r.IntN(3) == 0 {
		c.postDial = ",,8" + digits(r, 2)
	}
	c.duration = callDuration(r, c.typ)
	return c
}

func callType(r *rand.Rand) int {
	switch n := r.IntN(100); {
	case n < 45:
		return 1
	case n < 85:
		return 2
	case n < 95:
		return 3
	case n < 98:
		return 5
	case n < 99:
		return 4
	default:
		return 6
	}
}

func callDuration(r *rand.Rand, typ int) int {
	switch typ {
	case 1, 2:
		if typ == 2 && r.IntN(7) == 0 {
			return 0 // not answered
		}
		return 1 + int(r.ExpFloat64()*90)
	case 4:
		return 10 + r.IntN(50)
	}
	return 0
}

// pickRecorded marks answered calls as recorded and sets a duration between 25 s and 12.5 min,
// skewed short (mean about 5 min); a 32 kbit/s recording of it is 100 KB to 3 MB.
func (g *gen) pickRecorded(r *rand.Rand) {
	var answered []*call
	for _, c := range g.calls {
		if (c.typ == 1 || c.typ == 2) && c.presentation == 1 {
			answered = append(answered, c)
		}
	}
	if len(answered) == 0 {
		answered = g.calls[:1] // only at the tiniest scales; the first call is incoming
	}
	r.Shuffle(len(answered), func(i, j int) { answered[i], answered[j] = answered[j], answered[i] })
	for i := range g.plan.miui + g.plan.huawei {
		c := answered[i%len(answered)]
		c.duration = 25 + int(math.Pow(r.Float64(), 1.5)*725)
		g.recorded = append(g.recorded, c)
	}
}

func (c *call) write(w xmlw) {
	w.WriteString("  <call")
	w.attr("number", c.number)
	w.attrInt("duration", int64(c.duration))
	w.attrInt("date", c.date.UnixMilli())
	w.attrInt("type", int64(c.typ))
	w.attrInt("presentation", int64(c.presentation))
	w.attr("subscription_id", c.subID)
	w.attr("post_dial_digits", c.postDial)
	w.attr("subscription_component_name", telecomComponent)
	w.attr("readable_date", readableDate(c.date))
	w.attr("contact_name", c.name)
	w.WriteString(" />\n")
}
