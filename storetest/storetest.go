// Package storetest is the conformance suite every implementation of beifen's storage services
// runs: sqlite and postgres today. Each backend's test opens a fresh store and calls Run.
package storetest

import (
	"context"
	"crypto/rand"
	"testing"
	"time"

	"github.com/beifen/beifen"
)

// Services is one fresh store, as its services.
type Services struct {
	beifen.Store

	// Schema returns every table's sorted column names.
	Schema func(ctx context.Context) (map[string][]string, error)
}

// Run runs the whole suite; open must return services on a new, empty store.
func Run(t *testing.T, open func(tb testing.TB) Services) {
	t.Run("User", func(t *testing.T) { testUser(t, open) })
	t.Run("UserErase", func(t *testing.T) { testUserErase(t, open) })
	t.Run("Activity", func(t *testing.T) { testActivity(t, open) })
	t.Run("Token", func(t *testing.T) { testToken(t, open) })
	t.Run("OTP", func(t *testing.T) { testOTP(t, open) })
	t.Run("Record", func(t *testing.T) { testRecord(t, open) })
	t.Run("Snapshot", func(t *testing.T) { testSnapshot(t, open) })
	t.Run("SnapshotRuns", func(t *testing.T) { testSnapshotRuns(t, open) })
	t.Run("Source", func(t *testing.T) { testSource(t, open) })
	t.Run("Blob", func(t *testing.T) { testBlob(t, open) })
	t.Run("Team", func(t *testing.T) { testTeam(t, open) })
	t.Run("Lead", func(t *testing.T) { testLead(t, open) })
	t.Run("Group", func(t *testing.T) { testGroup(t, open) })
	t.Run("Task", func(t *testing.T) { testTask(t, open) })
	t.Run("TaskDNC", func(t *testing.T) { testTaskDNC(t, open) })
	t.Run("PublicPool", func(t *testing.T) { testPublicPool(t, open) })
	t.Run("SMSTemplate", func(t *testing.T) { testSMSTemplate(t, open) })
	t.Run("PhoneCall", func(t *testing.T) { testPhoneCall(t, open) })
	t.Run("Recording", func(t *testing.T) { testRecording(t, open) })
	t.Run("RecordingRetention", func(t *testing.T) { testRecordingRetention(t, open) })
	t.Run("Audit", func(t *testing.T) { testAudit(t, open) })
	t.Run("Policy", func(t *testing.T) { testPolicy(t, open) })
	t.Run("ConsentChannel", func(t *testing.T) { testConsentChannel(t, open) })
	t.Run("Complaint", func(t *testing.T) { testComplaint(t, open) })
	t.Run("Rights", func(t *testing.T) { testRights(t, open) })
	t.Run("Incident", func(t *testing.T) { testIncident(t, open) })
	t.Run("Share", func(t *testing.T) { testShare(t, open) })
	t.Run("Setting", func(t *testing.T) { testSetting(t, open) })
	t.Run("SignIn", func(t *testing.T) { testSignIn(t, open) })
	t.Run("Hold", func(t *testing.T) { testHold(t, open) })
	t.Run("Notice", func(t *testing.T) { testNotice(t, open) })
	t.Run("Announcement", func(t *testing.T) { testAnnouncement(t, open) })
	t.Run("UserState", func(t *testing.T) { testUserState(t, open) })
	t.Run("Transfer", func(t *testing.T) { testTransfer(t, open) })
	t.Run("MarketingActivity", func(t *testing.T) { testMarketingActivity(t, open) })
	t.Run("ErrorReport", func(t *testing.T) { testErrorReport(t, open) })
	t.Run("Key", func(t *testing.T) { testKey(t, open) })
	t.Run("RealName", func(t *testing.T) { testRealName(t, open) })
	t.Run("Feed", func(t *testing.T) { testFeed(t, open) })
	t.Run("PushDevice", func(t *testing.T) { testPushDevice(t, open) })
	t.Run("Plan", func(t *testing.T) { testPlan(t, open) })
	t.Run("Schema", func(t *testing.T) { testSchema(t, open) })
}

// MustCreateUser creates a user with a random phone hash and returns it with a context signed in
// as it.
func MustCreateUser(tb testing.TB, ctx context.Context, s Services) (*beifen.User, context.Context) {
	tb.Helper()
	u := &beifen.User{PhoneHash: randBytes(32), Sealed: []byte("sealed"), WrappedKey: randBytes(60)}
	if err := s.Users.CreateUser(ctx, u); err != nil {
		tb.Fatal(err)
	}
	return u, beifen.NewContextWithUser(ctx, u)
}

// MustCreateMember creates a team (if team is nil) and a member of it with role, and returns the
// team and a context signed in as the member.
func MustCreateMember(tb testing.TB, ctx context.Context, s Services, team *beifen.Team, role beifen.Role) (*beifen.Team, context.Context) {
	tb.Helper()
	if team == nil {
		team = &beifen.Team{Name: "销售一部", TimeZone: "Asia/Shanghai", PoolDays: 30, WrappedKey: randBytes(60)}
		if err := s.Teams.CreateTeam(ctx, team); err != nil {
			tb.Fatal(err)
		}
	}
	u := &beifen.User{PhoneHash: randBytes(32), Sealed: []byte("sealed"), TeamID: team.ID, Role: role}
	if err := s.Users.CreateUser(ctx, u); err != nil {
		tb.Fatal(err)
	}
	return team, beifen.NewContextWithUser(ctx, u)
}

func randBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// wantError fails unless err has the code and message.
func wantError(tb testing.TB, err error, code, msg string) {
	tb.Helper()
	if got := beifen.ErrorCode(err); got != code {
		tb.Fatalf("ErrorCode=%q, want %q (err=%v)", got, code, err)
	}
	if msg != "" {
		if got := beifen.ErrorMessage(err); got != msg {
			tb.Fatalf("ErrorMessage=%q, want %q", got, msg)
		}
	}
}

func near(a, b time.Time) bool {
	d := a.Sub(b)
	return d < time.Minute && d > -time.Minute
}
