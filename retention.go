package beifen

import "time"

// RetentionRule says how long one category of personal data is kept and what then happens to
// it (clause 4.2). The hourly job applies the rules and records in the platform's audit log
// what each run removed.
type RetentionRule struct {
	Category string        `json:"category"` // a key: "signins", "recordings", ...
	Keep     time.Duration `json:"-"`
	Days     int           `json:"days"`     // Keep in days; 0 when it depends on a setting or an event
	PerTeam  bool          `json:"per_team"` // each team sets Days (0: kept until deleted)
	Action   string        `json:"action"`   // "delete", "erase" (the account's key destroyed too) or "keep"
}

// NewRetentionRule returns a rule keeping a category for keep.
func NewRetentionRule(category string, keep time.Duration, action string) RetentionRule {
	return RetentionRule{Category: category, Keep: keep, Days: int(keep / (24 * time.Hour)), Action: action}
}
