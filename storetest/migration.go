package storetest

// SpansBeforeRuns is the data both dialects' tests of migration 0026 (one span per record
// becomes runs of records) put in a schema migrated up to 0025, and the runs they must find
// after it: records 1-8 are user 1's SMS 1-3, call 4, SMS 5-6, user 2's SMS 7 and user 1's SMS
// 8; user 1's snapshot 1 holds 1-6 and 8, snapshot 2 drops 2; user 2's snapshot 3 holds 7.
var SpansBeforeRuns = struct {
	Kinds []string // of records 1-8, by ID
	Owner []int64  // of records 1-8, by ID
	Spans [][4]any // user_id, record_id, from_snapshot, to_snapshot (nil while open)
	Runs  [][6]any // user_id, kind, first_id, last_id, from_snapshot, to_snapshot (0 while open), sorted
}{
	Kinds: []string{"", "sms", "sms", "sms", "call", "sms", "sms", "sms", "sms"},
	Owner: []int64{0, 1, 1, 1, 1, 1, 1, 2, 1},
	Spans: [][4]any{
		{1, 1, 1, nil}, {1, 2, 1, 2}, {1, 3, 1, nil}, {1, 4, 1, nil}, {1, 5, 1, nil}, {1, 6, 1, nil}, {1, 8, 1, nil}, {2, 7, 3, nil},
	},
	Runs: [][6]any{
		{int64(1), "sms", int64(1), int64(1), int64(1), int64(0)},
		{int64(1), "sms", int64(2), int64(2), int64(1), int64(2)},
		{int64(1), "sms", int64(3), int64(3), int64(1), int64(0)},
		{int64(1), "call", int64(4), int64(4), int64(1), int64(0)},
		{int64(1), "sms", int64(5), int64(6), int64(1), int64(0)},
		{int64(1), "sms", int64(8), int64(8), int64(1), int64(0)},
		{int64(2), "sms", int64(7), int64(7), int64(3), int64(0)},
	},
}
