package main_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beifen/beifen"
	main "github.com/beifen/beifen/cmd/beifen"
	beifenhttp "github.com/beifen/beifen/http"
	"github.com/beifen/beifen/vcard"
)

// mustLeadFile writes a text file of n distinct mobile numbers and returns its path.
func mustLeadFile(tb testing.TB, n int) string {
	tb.Helper()
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "李雷 1390%07d\n", i)
	}
	path := filepath.Join(tb.TempDir(), "leads.txt")
	os.WriteFile(path, []byte(b.String()), 0o600)
	return path
}

// mustStaff creates n staff members of team directly and returns a client for each.
func mustStaff(tb testing.TB, s *Server, team int64, n int, urls ...string) []*beifenhttp.Client {
	tb.Helper()
	var clients []*beifenhttp.Client
	for i := 0; i < n; i++ {
		_, tok, err := s.Auth.CreateMember(context.Background(), fmt.Sprintf("1370000%04d", i), "", team, beifen.RoleStaff)
		if err != nil {
			tb.Fatal(err)
		}
		url := s.URL
		if len(urls) > 0 {
			url = urls[i%len(urls)]
		}
		clients = append(clients, beifenhttp.NewClient(url, tok))
	}
	return clients
}

// drain has every client take leads until none are left, logging each call as connected, and
// returns how often each lead was handed out and the latency of every hand-out.
func drain(tb testing.TB, clients []*beifenhttp.Client, task int64) (map[int64]int, []time.Duration) {
	tb.Helper()
	var mu sync.Mutex
	seen := map[int64]int{}
	var lat []time.Duration
	var wg sync.WaitGroup
	ctx := context.Background()
	for _, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				start := time.Now()
				d, err := c.NextLead(ctx, task)
				took := time.Since(start)
				if err != nil {
					tb.Error(err)
					return
				}
				if d == nil {
					return
				}
				mu.Lock()
				seen[d.LeadID]++
				lat = append(lat, took)
				mu.Unlock()
				if !strings.HasPrefix(d.Phone, "+86") {
					tb.Errorf("dispatched phone %q is not E.164", d.Phone)
				}
				if _, err := c.LogOutcome(ctx, task, d.LeadID, &beifen.CallLog{Outcome: beifen.OutcomeConnected, Intent: "B", TalkSeconds: 30}); err != nil {
					tb.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	return seen, lat
}

func wantExactlyOnce(tb testing.TB, seen map[int64]int, n int) {
	tb.Helper()
	if len(seen) != n {
		tb.Fatalf("%d leads handed out, want %d", len(seen), n)
	}
	for id, k := range seen {
		if k != 1 {
			tb.Fatalf("lead %d handed out %d times", id, k)
		}
	}
}

func percentile(lat []time.Duration, p float64) time.Duration {
	s := slices.Clone(lat)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*p))]
}

// TestPolicy_9_call_phone_DispatchExactlyOnce: fifty staff phones drain a task of imported
// numbers; every lead is handed out exactly once, only within the calling window, only to the
// task's callers.
func TestPolicy_9_call_phone_DispatchExactlyOnce(t *testing.T) {
	s := MustRunMain(t, "")
	team, admin := mustTeam(t, s, beifen.RoleAdmin, "13911110000")
	leads := loadLeads(1000)
	if sum := mustImport(t, admin, mustLeadFile(t, leads)); sum.Imported != leads {
		t.Fatalf("import %+v", sum)
	}
	clients := mustStaff(t, s, team, 50)
	out := mustCLI(t, admin, "task", "create", "--name", "三月回访", "--window", "00:00-24:00")
	task := lastInt(t, out)
	seen, lat := drain(t, clients, task)
	wantExactlyOnce(t, seen, leads)
	t.Logf("SQLite: %d hand-outs to 50 callers, p50 %v, p99 %v", len(lat), percentile(lat, 0.5), percentile(lat, 0.99))

	// Outside the calling window nothing is handed out.
	mustImport(t, admin, mustLeadFile(t, 1)) // a fresh unassigned lead... already a lead: duplicate
	now := time.Now().In(time.FixedZone("CST", 8*3600))
	closed := fmt.Sprintf("%02d:00-%02d:59", (now.Hour()+2)%22, (now.Hour()+2)%22)
	out = mustCLI(t, admin, "task", "create", "--name", "夜间", "--window", closed)
	if _, err := clients[0].NextLead(context.Background(), lastInt(t, out)); beifen.ErrorCode(err) != beifen.ECONFLICT {
		t.Fatalf("next lead outside the window: %v, want ECONFLICT", err)
	}
	// A task limited to some staff refuses the others.
	out = mustCLI(t, admin, "task", "create", "--name", "专人", "--staff", "13700000000", "--window", "00:00-24:00")
	if _, err := clients[1].NextLead(context.Background(), lastInt(t, out)); beifen.ErrorCode(err) != beifen.EFORBIDDEN {
		t.Fatalf("next lead for a non-caller: %v, want EFORBIDDEN", err)
	}
	// Another team's task reads as not found.
	_, other := mustTeam(t, s, beifen.RoleAdmin, "13911110001")
	if _, err := beifenhttp.NewClient(s.URL, other["BEIFEN_TOKEN"]).NextLead(context.Background(), task); beifen.ErrorCode(err) != beifen.ENOTFOUND {
		t.Fatalf("another team's task: %v, want ENOTFOUND", err)
	}
}

// TestServe_PostgresDispatch: two servers sharing one PostgreSQL hand out every lead exactly
// once (skipped without BEIFEN_TEST_POSTGRES_DSN). BEIFEN_LOAD_LEADS sets the size.
func TestServe_PostgresDispatch(t *testing.T) {
	dsn := os.Getenv("BEIFEN_TEST_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("BEIFEN_TEST_POSTGRES_DSN not set")
	}
	db := withSchema(t, dsn)
	key := filepath.Join(t.TempDir(), "master.key")
	a, b := mustRunOn(t, db, key), mustRunOn(t, db, key)
	team, admin := mustTeam(t, a, beifen.RoleAdmin, "13911110000")
	leads := loadLeads(1000)
	if sum := mustImport(t, admin, mustLeadFile(t, leads)); sum.Imported != leads {
		t.Fatalf("import %+v", sum)
	}
	clients := mustStaff(t, a, team, 50, a.URL, b.URL)
	task := lastInt(t, mustCLI(t, admin, "task", "create", "--name", "双机", "--window", "00:00-24:00"))
	seen, lat := drain(t, clients, task)
	wantExactlyOnce(t, seen, leads)
	t.Logf("PostgreSQL, two servers: %d hand-outs to 50 callers, p50 %v, p99 %v", len(lat), percentile(lat, 0.5), percentile(lat, 0.99))
}

func loadLeads(def int) int {
	var n int
	if _, err := fmt.Sscan(os.Getenv("BEIFEN_LOAD_LEADS"), &n); err == nil && n > 0 {
		return n
	}
	return def
}

func lastInt(tb testing.TB, out string) int64 {
	tb.Helper()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var id int64
	if _, err := fmt.Sscan(lines[len(lines)-1], &id); err != nil {
		tb.Fatalf("no ID at the end of %q", out)
	}
	return id
}

var _ = main.LeadsSummary{}

// TestPolicy_9_contacts_write_CustomersToPhone: the leads a staff member connected with become
// their customers, published to their phone as a vCard 3.0 address book (one way); another staff
// member's book holds none of them, and the lead list shows staff only masked numbers.
func TestPolicy_9_contacts_write_CustomersToPhone(t *testing.T) {
	s := MustRunMain(t, "")
	team, admin := mustTeam(t, s, beifen.RoleAdmin, "13911110000")
	mustImport(t, admin, mustLeadFile(t, 3))
	staff := mustStaff(t, s, team, 2)
	task := lastInt(t, mustCLI(t, admin, "task", "create", "--name", "回访", "--window", "00:00-24:00"))
	ctx := context.Background()
	var connected []string
	for i := 0; i < 3; i++ {
		d, err := staff[0].NextLead(ctx, task)
		if err != nil || d == nil {
			t.Fatalf("next lead: %v %v", d, err)
		}
		outcome := beifen.OutcomeConnected
		if i == 2 {
			outcome = beifen.OutcomeRefused
		} else {
			connected = append(connected, d.Phone)
		}
		if _, err := staff[0].LogOutcome(ctx, task, d.LeadID, &beifen.CallLog{Outcome: outcome}); err != nil {
			t.Fatal(err)
		}
	}
	cards := customerCards(t, s, staff[0])
	if len(cards) != 2 {
		t.Fatalf("%d cards, want the 2 connected customers", len(cards))
	}
	for i, c := range cards {
		if c.Prop("TEL") != connected[i] || c.Prop("FN") != "李雷" || !strings.HasPrefix(c.Prop("UID"), "beifen-lead-") {
			t.Fatalf("card %d: %+v, want %s", i, c.Props, connected[i])
		}
	}
	if others := customerCards(t, s, staff[1]); len(others) != 0 {
		t.Fatalf("another staff member's book holds %d cards", len(others))
	}
	leads, _, err := staff[0].FindLeads(ctx, beifen.LeadFilter{})
	if err != nil || len(leads) != 2 || !strings.Contains(leads[0].Phone, "****") {
		t.Fatalf("staff lead list %v, %v; want their 2 customers with masked numbers", leads, err)
	}
}

func customerCards(tb testing.TB, s *Server, c *beifenhttp.Client) []*beifen.Contact {
	tb.Helper()
	req, _ := http.NewRequest("GET", s.URL+"/api/v1/customers.vcf", nil)
	req.Header.Set("Authorization", "Bearer "+c.Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		tb.Fatalf("customers.vcf: %v %v", resp, err)
	}
	defer resp.Body.Close()
	var cards []*beifen.Contact
	r := vcard.NewReader(resp.Body, "customers.vcf")
	for {
		c, err := r.Read()
		if err == io.EOF {
			return cards
		} else if err != nil {
			tb.Fatal(err)
		}
		cards = append(cards, c)
	}
}

// smsRecorder keeps the texts the server sends.
type smsRecorder struct {
	mu   sync.Mutex
	sent []string // "to|body"
}

func (r *smsRecorder) SendSMS(ctx context.Context, to, body string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, to+"|"+body)
	return nil
}

func (r *smsRecorder) texts() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.sent)
}

// TestPolicy_9_SMS_AfterCallTextsHonourOptOut: after a call the team's text for its outcome goes
// to the customer with their name, the caller's name and an opt-out line; a TD reply puts the
// number on the do-not-call list at once, so no more texts and no more dialing.
func TestPolicy_9_SMS_AfterCallTextsHonourOptOut(t *testing.T) {
	s := MustRunMain(t, "")
	sms := &smsRecorder{}
	s.CRM.SMS = sms
	clock := time.Now()
	s.CRM.Now = func() time.Time { return clock }
	team, admin := mustTeam(t, s, beifen.RoleAdmin, "13911110000")
	mustImport(t, admin, mustLeadFile(t, 2))
	ctx := context.Background()
	_, tok, err := s.Auth.CreateMember(ctx, "13700000001", "王芳", team, beifen.RoleStaff)
	if err != nil {
		t.Fatal(err)
	}
	staff := beifenhttp.NewClient(s.URL, tok)
	boss := beifenhttp.NewClient(s.URL, admin["BEIFEN_TOKEN"])
	for outcome, body := range map[beifen.Outcome]string{
		beifen.OutcomeConnected: "{name}您好，我是{staff}，感谢您的接听",
		beifen.OutcomeNoAnswer:  "{客户}您好，刚才未能接通，如不需要请回复退订",
	} {
		if err := boss.PutTemplate(ctx, &beifen.SMSTemplate{Outcome: outcome, Body: body}); err != nil {
			t.Fatal(err)
		}
	}
	if err := staff.PutTemplate(ctx, &beifen.SMSTemplate{Outcome: beifen.OutcomeBusy, Body: "x"}); beifen.ErrorCode(err) != beifen.EFORBIDDEN {
		t.Fatalf("staff set a template: %v", err)
	}
	task := lastInt(t, mustCLI(t, admin, "task", "create", "--name", "回访", "--window", "00:00-24:00"))

	a, _ := staff.NextLead(ctx, task)
	if sent, err := staff.LogOutcome(ctx, task, a.LeadID, &beifen.CallLog{Outcome: beifen.OutcomeConnected}); err != nil || !sent {
		t.Fatalf("connected: sent=%v, %v", sent, err)
	}
	if got, want := sms.texts(), []string{a.Phone + "|李雷您好，我是王芳，感谢您的接听 回复TD退订"}; !slices.Equal(got, want) {
		t.Fatalf("texts %q, want %q", got, want)
	}
	b, _ := staff.NextLead(ctx, task)
	if sent, _ := staff.LogOutcome(ctx, task, b.LeadID, &beifen.CallLog{Outcome: beifen.OutcomeNoAnswer}); !sent {
		t.Fatal("no after-call text for no answer")
	}
	if last := sms.texts()[1]; strings.Count(last, "退订") != 1 || !strings.HasPrefix(last, b.Phone+"|李雷您好") {
		t.Fatalf("no-answer text %q: want the name and exactly one opt-out", last)
	}
	// B replies 退订: on the do-not-call list at once.
	if opt, err := staff.HandleReply(ctx, b.Phone, " 退订 "); err != nil || !opt {
		t.Fatalf("reply: opt-out=%v, %v", opt, err)
	}
	if opt, _ := staff.HandleReply(ctx, a.Phone, "好的，谢谢"); opt {
		t.Fatal("an ordinary reply counted as an opt-out")
	}
	// After the retry delay B would be due again: it is never handed out, and never texted.
	clock = clock.Add(beifen.DefaultRetryDelay + time.Minute)
	if d, err := staff.NextLead(ctx, task); err != nil || d != nil {
		t.Fatalf("after opting out, next lead=%v, %v; want none", d, err)
	}
	if n := len(sms.texts()); n != 2 {
		t.Fatalf("%d texts, want 2", n)
	}
}

// callsXML writes an SMS Backup & Restore calls file.
func callsXML(rows [][4]string) string {
	var b strings.Builder
	b.WriteString("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<calls count=\"" + strconv.Itoa(len(rows)) + "\">\n")
	for _, r := range rows { // number, type, date ms, duration
		fmt.Fprintf(&b, "  <call number=\"%s\" duration=\"%s\" date=\"%s\" type=\"%s\" presentation=\"1\" contact_name=\"(Unknown)\" />\n", r[0], r[3], r[2], r[1])
	}
	return b.String() + "</calls>\n"
}

// TestPolicy_9_call_log_MatchesCustomers: staff phones upload their call logs; each call is
// matched to the lead with its number (whatever way the phone wrote it), re-uploads change
// nothing, the server keeps more than a phone's 500 rows, and a customer's timeline shows them.
func TestPolicy_9_call_log_MatchesCustomers(t *testing.T) {
	s := MustRunMain(t, "")
	team, admin := mustTeam(t, s, beifen.RoleAdmin, "13911110000")
	mustImport(t, admin, mustLeadFile(t, 2)) // +8613900000000, +8613900000001
	ctx := context.Background()
	_, tok, _ := s.Auth.CreateMember(ctx, "13700000001", "王芳", team, beifen.RoleStaff)
	staff := beifenhttp.NewClient(s.URL, tok)
	base := int64(1772400000000)
	rows := [][4]string{
		{"+86 139 0000 0000", "2", strconv.FormatInt(base, 10), "75"},
		{"139-0000-0001", "1", strconv.FormatInt(base+60_000, 10), "12"},
		{"008613900000000", "3", strconv.FormatInt(base+120_000, 10), "0"},
		{"-2", "1", strconv.FormatInt(base+180_000, 10), "0"}, // a private number
	}
	for i := 0; i < 600; i++ { // more than a phone keeps
		rows = append(rows, [4]string{"1360000" + fmt.Sprintf("%04d", i), "2", strconv.FormatInt(base+int64(i+10)*60_000, 10), "30"})
	}
	res, err := staff.UploadCalls(ctx, "calls-20260302.xml", strings.NewReader(callsXML(rows)))
	if err != nil || res.Calls != 604 || res.New != 603 || res.Matched != 3 || res.Skipped != 1 {
		t.Fatalf("upload %+v, %v; want 604 read, 603 new, 3 matched, 1 skipped", res, err)
	}
	if res, _ := staff.UploadCalls(ctx, "calls-20260303.xml", strings.NewReader(callsXML(rows))); res.New != 0 {
		t.Fatalf("re-upload added %d calls", res.New)
	}
	boss := beifenhttp.NewClient(s.URL, admin["BEIFEN_TOKEN"])
	leads, _, _ := boss.FindLeads(ctx, beifen.LeadFilter{})
	var first int64
	for _, l := range leads {
		if l.Phone == "+8613900000000" {
			first = l.ID
		}
	}
	tl, err := boss.Timeline(ctx, first)
	if err != nil || len(tl.Events) != 2 || tl.Events[0].Duration != 75 || tl.Events[1].Type != "3" || tl.Lead.Phone != "+8613900000000" {
		t.Fatalf("timeline %+v, %v", tl, err)
	}
	// Staff see only their own customers' timelines; another team sees nothing.
	if _, err := staff.Timeline(ctx, first); beifen.ErrorCode(err) != beifen.ENOTFOUND {
		t.Fatalf("staff read a lead that is not theirs: %v", err)
	}
	_, other := mustTeam(t, s, beifen.RoleAdmin, "13911110001")
	if _, err := beifenhttp.NewClient(s.URL, other["BEIFEN_TOKEN"]).Timeline(ctx, first); beifen.ErrorCode(err) != beifen.ENOTFOUND {
		t.Fatalf("another team read the timeline: %v", err)
	}
}

// TestPublicPool_IdleCustomersGoBack: a customer nobody followed up for the team's pool days goes
// back to the public pool (公海) and leaves the staff member's phone book.
func TestPublicPool_IdleCustomersGoBack(t *testing.T) {
	s := MustRunMain(t, "")
	team, admin := mustTeam(t, s, beifen.RoleAdmin, "13911110000")
	mustImport(t, admin, mustLeadFile(t, 1))
	staff := mustStaff(t, s, team, 1)[0]
	task := lastInt(t, mustCLI(t, admin, "task", "create", "--name", "回访", "--window", "00:00-24:00"))
	ctx := context.Background()
	d, _ := staff.NextLead(ctx, task)
	if _, err := staff.LogOutcome(ctx, task, d.LeadID, &beifen.CallLog{Outcome: beifen.OutcomeConnected}); err != nil {
		t.Fatal(err)
	}
	if n, err := s.CRM.ReleaseIdle(ctx); err != nil || n != 0 {
		t.Fatalf("a fresh customer was released: %d, %v", n, err)
	}
	s.CRM.Now = func() time.Time { return time.Now().Add(31 * 24 * time.Hour) }
	if n, err := s.CRM.ReleaseIdle(ctx); err != nil || n != 1 {
		t.Fatalf("ReleaseIdle=%d, %v; want the idle customer", n, err)
	}
	if cards := customerCards(t, s, staff); len(cards) != 0 {
		t.Fatalf("the released customer is still in the phone book: %d cards", len(cards))
	}
}

// TestAfterCallTextHandedToThePhone: a staff member who sends texts from their own phone gets
// the after-call text back with the outcome (number and rendered body, opt-out line included);
// the server sends nothing, the report still counts the text, and an opted-out number gets
// none.
func TestAfterCallTextHandedToThePhone(t *testing.T) {
	s := MustRunMain(t, "")
	sms := &smsRecorder{}
	s.CRM.SMS = sms
	team, admin := mustTeam(t, s, beifen.RoleAdmin, "13911110000")
	mustImport(t, admin, mustLeadFile(t, 2))
	ctx := context.Background()
	_, tok, err := s.Auth.CreateMember(ctx, "13700000001", "王芳", team, beifen.RoleStaff)
	if err != nil {
		t.Fatal(err)
	}
	staff, boss := beifenhttp.NewClient(s.URL, tok), beifenhttp.NewClient(s.URL, admin["BEIFEN_TOKEN"])
	if err := boss.PutTemplate(ctx, &beifen.SMSTemplate{Outcome: beifen.OutcomeConnected, Body: "{name}您好，我是{staff}"}); err != nil {
		t.Fatal(err)
	}
	task := lastInt(t, mustCLI(t, admin, "task", "create", "--name", "回访", "--window", "00:00-24:00"))
	a, _ := staff.NextLead(ctx, task)
	log := &beifen.CallLog{Outcome: beifen.OutcomeConnected, ViaPhone: true}
	sent, err := staff.LogOutcome(ctx, task, a.LeadID, log)
	if err != nil || sent || log.Text == nil || log.Text.To != a.Phone || log.Text.Body != "李雷您好，我是王芳 回复TD退订" {
		t.Fatalf("via phone: sent=%v text=%+v, %v", sent, log.Text, err)
	}
	if n := len(sms.texts()); n != 0 {
		t.Fatalf("the server sent %d texts", n)
	}
	rows, err := boss.ReportRows(ctx, task)
	if err != nil || rows[len(rows)-1].Texts != 1 {
		t.Fatalf("report texts: %+v, %v", rows[len(rows)-1], err)
	}
	b, _ := staff.NextLead(ctx, task)
	staff.HandleReply(ctx, b.Phone, "TD")
	log = &beifen.CallLog{Outcome: beifen.OutcomeConnected, ViaPhone: true}
	if _, err := staff.LogOutcome(ctx, task, b.LeadID, log); err != nil || log.Text != nil {
		t.Fatalf("an opted-out number got a text: %+v, %v", log.Text, err)
	}
}
