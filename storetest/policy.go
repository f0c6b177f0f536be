package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

func testPolicy(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	s := open(t)
	u, _ := MustCreateUser(t, ctx, s)
	eff := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	d := &beifen.PolicyDocument{Version: "1", Lang: "zh-CN", Title: "隐私政策", Body: "正文", EffectiveAt: eff, Material: true}
	if err := s.Policies.PublishPolicy(ctx, d); err != nil {
		t.Fatal(err)
	}
	wantError(t, s.Policies.PublishPolicy(ctx, d), beifen.ECONFLICT, "This policy version is already published.")
	wantError(t, s.Policies.PublishPolicy(ctx, &beifen.PolicyDocument{Version: "2", Lang: "fr", Title: "x", Body: "x", EffectiveAt: eff}),
		beifen.EINVALID, "Policy language must be zh-CN or en.")
	docs, err := s.Policies.FindPolicies(ctx)
	if err != nil || len(docs) != 1 || !docs[0].Material || !docs[0].EffectiveAt.Equal(eff) || docs[0].Body != "正文" {
		t.Fatalf("FindPolicies=%+v, %v", docs, err)
	}
	for i := 0; i < 2; i++ {
		if err := s.Policies.AcceptPolicy(ctx, u.ID, "1", eff); err != nil {
			t.Fatal(err)
		}
	}
	if got, err := s.Policies.AcceptedPolicies(ctx, u.ID); err != nil || len(got) != 1 || got[0] != "1" {
		t.Fatalf("AcceptedPolicies=%v, %v", got, err)
	}

	wantError(t, s.Policies.AddConsent(ctx, &beifen.Consent{UserID: u.ID, Purpose: "dating"}), beifen.EINVALID, `Unknown purpose "dating".`)
	wantError(t, s.Policies.AddConsent(ctx, &beifen.Consent{UserID: u.ID, Purpose: beifen.PurposeService}), beifen.EINVALID,
		"The service purpose is needed to provide the service; delete the account to end it.")
	if got, err := s.Policies.FindConsents(ctx, u.ID); err != nil || len(got) != 0 {
		t.Fatalf("FindConsents before any=%v, %v", got, err)
	}
	at := eff.Add(time.Hour)
	for _, c := range []*beifen.Consent{
		{UserID: u.ID, Purpose: beifen.PurposeMarketing, Granted: true, PolicyVersion: "1", At: at},
		{UserID: u.ID, Purpose: beifen.PurposeStatistics, Granted: true, PolicyVersion: "1", At: at},
		{UserID: u.ID, Purpose: beifen.PurposeMarketing, Granted: false, PolicyVersion: "1", At: at.Add(time.Minute)},
	} {
		if err := s.Policies.AddConsent(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	other, _ := MustCreateUser(t, ctx, s)
	if got, err := s.Policies.FindConsents(ctx, other.ID); err != nil || len(got) != 0 {
		t.Fatalf("another user's ledger=%v, %v", got, err)
	}
	ledger, err := s.Policies.FindConsents(ctx, u.ID)
	if err != nil || len(ledger) != 3 || ledger[0].Purpose != beifen.PurposeMarketing || !ledger[0].Granted ||
		ledger[2].Granted || !ledger[2].At.Equal(at.Add(time.Minute)) || ledger[1].PolicyVersion != "1" {
		t.Fatalf("FindConsents=%+v, %v", ledger, err)
	}
	inForce := beifen.ConsentsInForce(ledger)
	if !inForce[beifen.PurposeService] || inForce[beifen.PurposeMarketing] || !inForce[beifen.PurposeStatistics] || inForce[beifen.PurposeLocation] {
		t.Fatalf("ConsentsInForce=%v", inForce)
	}
	// A guardian's grant is marked as such: for a child, only it counts.
	s.Policies.AddConsent(ctx, &beifen.Consent{UserID: u.ID, Purpose: beifen.PurposeLocation, Granted: true, ByGuardian: true, At: at})
	ledger, _ = s.Policies.FindConsents(ctx, u.ID)
	if len(ledger) != 4 || !ledger[3].ByGuardian || ledger[0].ByGuardian {
		t.Fatalf("FindConsents=%+v, want the last entry by a guardian", ledger)
	}
	if child := beifen.ConsentsInForceFor(ledger, true); child[beifen.PurposeStatistics] || !child[beifen.PurposeLocation] {
		t.Fatalf("ConsentsInForceFor(child)=%v, want only the guardian's grant", child)
	}
}
