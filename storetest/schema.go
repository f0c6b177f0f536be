package storetest

import (
	"context"
	"slices"
	"testing"
)

// WantSchema is the logical schema every dialect must reach: each table and its sorted columns.
var WantSchema = map[string][]string{
	"audit":              {"action", "actor_id", "at", "hash", "id", "leaf", "object", "prev", "scope"},
	"audit_tree":         {"hash", "idx"},
	"rights_requests":    {"closed_at", "created_at", "due_at", "id", "kind", "reminded_at", "sealed", "status", "user_id"},
	"audit_checkpoint":   {"id", "note", "size"},
	"blobs":              {"created_at", "name", "size", "snapshot_id", "user_id"},
	"consents":           {"at", "by_guardian", "channel", "granted", "id", "policy_version", "purpose", "user_id"},
	"complaints":         {"answered_at", "created_at", "due_at", "id", "reminded_at", "reply", "sealed", "user_id"},
	"incidents":          {"body", "created_at", "detected_at", "id", "notified", "notified_at", "reported_at", "scope", "severity", "title"},
	"shares":             {"created_at", "expires_at", "id", "kind", "revoked_at", "sealed", "token_hash", "user_id"},
	"share_access":       {"at", "share_id"},
	"settings":           {"name", "updated_at", "value"},
	"sign_ins":           {"at", "device", "id", "method", "network", "new_network", "user_id"},
	"holds":              {"id", "lifted_at", "placed_at", "reason", "user_id"},
	"notices":            {"body", "created_at", "id", "kind", "title", "user_id"},
	"announcements":      {"created_at", "id", "public_name", "text", "user_id"},
	"user_state":         {"name", "sealed", "updated_at", "user_id"},
	"realnames":          {"provider", "sealed", "user_id", "verified_at"},
	"transfers":          {"at", "id", "party", "phone_hash"},
	"activities":         {"created_at", "description", "ends_at", "id", "partner", "title"},
	"activity_signups":   {"activity_id", "consented_at", "user_id"},
	"error_reports":      {"app", "count", "first_seen", "kind", "last_seen", "location", "message", "signature"},
	"dnc":                {"created_at", "phone_hash", "team_id"},
	"leads":              {"created_at", "followed_at", "id", "owner_id", "phone_hash", "sealed", "team_id"},
	"teams":              {"created_at", "id", "key_version", "max_customers", "name", "pool_days", "recording_days", "time_zone", "wrapped_key"},
	"phone_calls":        {"date", "duration", "id", "lead_id", "phone_hash", "sealed", "staff_id", "team_id", "type"},
	"policies":           {"body", "effective_at", "lang", "material", "published_at", "title", "version"},
	"policy_acceptances": {"accepted_at", "user_id", "version"},
	"recordings":         {"blob_name", "call_id", "created_at", "id", "lead_id", "phone_hash", "sealed", "size", "staff_id", "started_at", "team_id"},
	"recording_access":   {"at", "kind", "recording_id", "user_id"},
	"reviews":            {"comments", "created_at", "items", "passed", "recording_id", "reviewer_id", "score"},
	"sms_templates":      {"body", "outcome", "team_id", "updated_at"},
	"tasks":              {"created_at", "id", "lease", "max_attempts", "name", "retry_delay", "team_id", "window_end", "window_start"},
	"task_staff":         {"task_id", "user_id"},
	"task_leads":         {"attempts", "due_at", "lead_id", "outcome", "staff_id", "state", "task_id"},
	"task_calls":         {"created_at", "id", "intent", "lead_id", "next_follow", "note", "outcome", "staff_id", "talk_seconds", "task_id", "text_sent"},
	"migrations":         {"name"},
	"otps":               {"attempts", "code_hash", "expires_at", "locked_until", "phone_hash", "sent_at"},
	"record_packs":       {"created_at", "first_id", "heads", "last_id", "payloads", "user_id"},
	"record_users":       {"epoch", "user_id"},
	"record_ids":         {"next"},
	"snapshots":          {"bytes", "calls", "contacts", "created_at", "files", "id", "messages", "new_blobs", "new_bytes", "revision", "skipped", "user_id"},
	"sources":            {"created_at", "hash", "records", "skipped", "user_id"},
	"spans":              {"first_id", "from_snapshot", "kind", "last_id", "to_snapshot", "user_id"},
	"push_devices":       {"created_at", "id", "maker", "sealed", "session_id", "token_hash", "user_id"},
	"team_plans":         {"paid_until", "plan", "team_id"},
	"payments":           {"amount_fen", "created_at", "id", "paid_at", "plan", "provider_ref", "status", "team_id", "user_id"},
	"tokens":             {"created_at", "expires_at", "hash", "id", "kind", "user_id"},
	"feed_channels":      {"created_at", "id", "name", "team_id"},
	"feed_posts":         {"author_id", "channel_id", "created_at", "id", "team_id", "text"},
	"feed_follows":       {"channel_id", "created_at", "id", "member_id", "user_id"},
	"feed_marks":         {"created_at", "id", "item", "label", "topic", "user_id"},
	"feed_engagement":    {"opens", "topic", "user_id"},
	"users":              {"created_at", "erase_after", "id", "key_version", "manager_id", "password_hash", "phone_hash", "role", "sealed", "team_id", "updated_at", "wrapped_key"},
}

func testSchema(t *testing.T, open func(tb testing.TB) Services) {
	s := open(t)
	got, err := s.Schema(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for table, cols := range WantSchema {
		if !slices.Equal(got[table], cols) {
			t.Errorf("table %s: columns=%v, want %v", table, got[table], cols)
		}
	}
	for table := range got {
		if _, ok := WantSchema[table]; !ok {
			t.Errorf("table %s is not in the logical schema", table)
		}
	}
}
