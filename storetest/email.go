package storetest

import (
	"context"
	"testing"

	"github.com/beifen/beifen"
)

// testConsentChannel: the consent ledger keeps the channel an entry came by (clause 1.1.3), so a
// withdrawal by an e-mail's unsubscribe link reads as such.
func testConsentChannel(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	s := open(t)
	u, _ := MustCreateUser(t, ctx, s)
	for _, c := range []*beifen.Consent{
		{UserID: u.ID, Purpose: beifen.PurposeMarketing, Granted: true},
		{UserID: u.ID, Purpose: beifen.PurposeMarketing, Granted: false, Channel: beifen.ConsentByEmail},
		{UserID: u.ID, Purpose: beifen.PurposeMarketing, Granted: false, Channel: beifen.ConsentBySMS},
	} {
		if err := s.Policies.AddConsent(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	ledger, err := s.Policies.FindConsents(ctx, u.ID)
	if err != nil || len(ledger) != 3 {
		t.Fatalf("FindConsents=%+v, %v", ledger, err)
	}
	for i, want := range []string{"", beifen.ConsentByEmail, beifen.ConsentBySMS} {
		if ledger[i].Channel != want {
			t.Errorf("ledger[%d].Channel=%q, want %q", i, ledger[i].Channel, want)
		}
	}
}
