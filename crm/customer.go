package crm

import (
	"bufio"
	"context"
	"io"
	"strings"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/vcard"
)

// ExportCustomers writes the calling staff member's customers (the leads they own) as vCard 3.0,
// for the phone's address book: one way, from the workspace to the phone. Numbers are written
// in full: the phone needs them to show who is calling.
func (s *Service) ExportCustomers(ctx context.Context, w io.Writer) error {
	t, err := s.teamOf(ctx)
	if err != nil {
		return err
	}
	me := beifen.UserFromContext(ctx).ID
	if err := s.audit(ctx, "customers.export", "user:"+itoa(me)); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	vw := vcard.NewWriter(bw)
	for off := 0; ; off += 1000 {
		leads, _, err := s.Store.Leads.FindLeads(ctx, beifen.LeadFilter{OwnerID: &me, Offset: off, Limit: 1000})
		if err != nil {
			return err
		}
		for _, l := range leads {
			if err := t.openLead(l); err != nil {
				return err
			}
			if err := vw.Write(customerCard(l)); err != nil {
				return err
			}
		}
		if len(leads) < 1000 {
			break
		}
	}
	s.Logger.InfoContext(ctx, "customers exported", "team_id", t.id, "user_id", me)
	return bw.Flush()
}

// customerCard makes a lead a vCard with a stable UID, so re-importing updates the card.
func customerCard(l *beifen.Lead) *beifen.Contact {
	name := l.Name
	if name == "" {
		name = l.Phone
	}
	c := &beifen.Contact{Props: []beifen.ContactProp{
		{Name: "UID", Value: "beifen-lead-" + itoa(l.ID)},
		{Name: "FN", Value: escape(name)},
		{Name: "N", Value: escape(name) + ";;;;"},
		{Name: "TEL", Params: []beifen.Param{{Name: "TYPE", Value: "CELL"}}, Value: l.Phone},
	}}
	if l.Company != "" {
		c.Props = append(c.Props, beifen.ContactProp{Name: "ORG", Value: escape(l.Company)})
	}
	if l.Note != "" {
		c.Props = append(c.Props, beifen.ContactProp{Name: "NOTE", Value: escape(l.Note)})
	}
	return c
}

// escape writes text in vCard 3.0 escaped form.
func escape(s string) string {
	return strings.NewReplacer(`\`, `\\`, ",", `\,`, ";", `\;`, "\n", `\n`).Replace(s)
}
