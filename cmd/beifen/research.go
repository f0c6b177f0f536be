package main

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/beifen/beifen"
)

// De-identified exports for analytics and research partners (clauses 3.1.3, 3.1.4): only
// accounts that consented to research sharing (a purpose of its own, apart from statistics); no number, name or ID, each account a keyed hash under
// a key made for this export alone (two exports cannot be joined); the quasi-identifiers
// coarsened (week joined, gender, decade of birth) and every group of fewer than
// ResearchMinGroup accounts left out; each exported account logged as a transfer to the partner.

// ResearchMinGroup is the smallest group of accounts an export shows.
const ResearchMinGroup = 5

type researchRow struct {
	pseudonym, week, gender, decade string
	backups                         int
	phoneHash                       []byte
}

// ResearchExport writes the de-identified CSV for partner and returns how many accounts it
// holds and how many it suppressed.
func (m *Main) ResearchExport(ctx context.Context, partner string, w io.Writer) (kept, suppressed int, err error) {
	partner = strings.TrimSpace(partner)
	if partner == "" {
		return 0, 0, beifen.Errorf(beifen.EINVALID, "Name the partner the export is for.")
	}
	key := make([]byte, 32)
	rand.Read(key)
	since := time.Now().AddDate(0, 0, -30)
	acts, err := m.Store.Users.FindActivity(ctx, since)
	if err != nil {
		return 0, 0, err
	}
	groups := map[string][]*researchRow{}
	for _, a := range acts {
		u, err := m.Store.Users.FindUserByID(ctx, a.UserID)
		if err != nil {
			return 0, 0, err
		}
		ledger, err := m.Store.Policies.FindConsents(ctx, u.ID)
		if err != nil {
			return 0, 0, err
		}
		if !beifen.ConsentsInForceFor(ledger, u.IsChild(time.Now()))[beifen.PurposeResearch] {
			continue
		}
		if err := m.Auth.OpenProfile(u); err != nil {
			return 0, 0, err
		}
		mac := hmac.New(sha256.New, key)
		fmt.Fprintf(mac, "account:%d", a.UserID)
		year, wk := a.JoinedAt.In(opsZone).ISOWeek()
		r := &researchRow{pseudonym: hex.EncodeToString(mac.Sum(nil))[:16], week: fmt.Sprintf("%d-W%02d", year, wk),
			gender: u.Profile.Gender, decade: "", backups: len(a.Backups), phoneHash: u.PhoneHash}
		if r.gender == "" {
			r.gender = "unknown"
		}
		if len(u.Profile.Birthday) >= 4 {
			if y, err := strconv.Atoi(u.Profile.Birthday[:3]); err == nil {
				r.decade = strconv.Itoa(y*10) + "s"
			}
		}
		if r.decade == "" {
			r.decade = "unknown"
		}
		k := r.week + "|" + r.gender + "|" + r.decade
		groups[k] = append(groups[k], r)
	}
	var rows []*researchRow
	for _, g := range groups {
		if len(g) < ResearchMinGroup {
			suppressed += len(g)
			continue
		}
		rows = append(rows, g...)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].pseudonym < rows[j].pseudonym })
	cw := csv.NewWriter(w)
	cw.Write([]string{"account", "week_joined", "gender", "birth_decade", "backups_30d"})
	party := "research:" + partner
	for _, r := range rows {
		if err := m.Store.Transfers.LogTransfer(ctx, &beifen.Transfer{Party: party, PhoneHash: r.phoneHash}); err != nil {
			return 0, 0, err
		}
		cw.Write([]string{r.pseudonym, r.week, r.gender, r.decade, strconv.Itoa(r.backups)})
	}
	cw.Flush()
	if err := m.Audit.AuditPlatform(ctx, "research.export", party); err != nil {
		return 0, 0, err
	}
	m.Logger.InfoContext(ctx, "research export", "accounts", len(rows), "suppressed", suppressed)
	return len(rows), suppressed, cw.Error()
}
