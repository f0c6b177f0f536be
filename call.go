package beifen

// Call is one row of a phone's call log, with every attribute of the export kept (SMS Backup &
// Restore names: number, duration, date, type, presentation, ...).
type Call struct {
	Attrs Attrs `json:"a"`
	// RecordID is the stored record (0 while being backed up), to name it when the user
	// deletes it.
	RecordID int64 `json:"record_id,omitempty"`
}

// Call types as Android's CallLog writes them. Unknown codes are kept as they are.
const (
	CallIncoming  = "1"
	CallOutgoing  = "2"
	CallMissed    = "3"
	CallVoicemail = "4"
	CallRejected  = "5"
	CallBlocked   = "6"
)

// Number returns the number as dialled or received.
func (c *Call) Number() string { return c.Attrs.Value("number") }

// Date returns the call time in epoch milliseconds.
func (c *Call) Date() int64 { return EpochMillis(c.Attrs.Value("date")) }

// Identity returns the fields that make two copies of a call the same call: number, type, date.
func (c *Call) Identity() []byte {
	return identity("call", NormalizeAddress(c.Number()), c.Attrs.Value("type"), itoa(c.Date()))
}
