package storetest

import (
	"context"
	"testing"

	"github.com/beifen/beifen"
)

func testSMSTemplate(t *testing.T, open func(tb testing.TB) Services) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		s := open(t)
		_, mctx := MustCreateMember(t, ctx, s, nil, beifen.RoleManager)
		for _, body := range []string{"您好{name}", "{客户}您好，我是{员工}"} {
			if err := s.Templates.PutSMSTemplate(mctx, &beifen.SMSTemplate{Outcome: beifen.OutcomeConnected, Body: body}); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.Templates.FindSMSTemplate(mctx, beifen.OutcomeConnected)
		if err != nil || got.Body != "{客户}您好，我是{员工}" {
			t.Fatalf("FindSMSTemplate=%+v, %v", got, err)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		_, a := MustCreateMember(t, ctx, s, nil, beifen.RoleManager)
		_, b := MustCreateMember(t, ctx, s, nil, beifen.RoleManager)
		if err := s.Templates.PutSMSTemplate(a, &beifen.SMSTemplate{Outcome: beifen.OutcomeBusy, Body: "x"}); err != nil {
			t.Fatal(err)
		}
		_, err := s.Templates.FindSMSTemplate(b, beifen.OutcomeBusy)
		wantError(t, err, beifen.ENOTFOUND, "No after-call text for this outcome.")
		err = s.Templates.PutSMSTemplate(a, &beifen.SMSTemplate{Outcome: beifen.OutcomeRefused, Body: "x"})
		wantError(t, err, beifen.EINVALID, "After-call texts are for connected, no_answer or busy calls.")
	})
}
