package beifen

// MessageKind tells an SMS from an MMS.
type MessageKind string

// Message kinds.
const (
	MessageSMS MessageKind = "sms"
	MessageMMS MessageKind = "mms"
)

// Message is one SMS or MMS as backed up from a phone. Attrs keeps every attribute of the
// export (SMS Backup & Restore names: address, date, type, body, msg_box, m_id, ...) so that a
// restore loses nothing; the helpers below read the few that beifen itself needs.
type Message struct {
	Kind  MessageKind   `json:"k"`
	Attrs Attrs         `json:"a"`
	Parts []MessagePart `json:"p,omitempty"` // MMS only
	Addrs []Attrs       `json:"d,omitempty"` // MMS only: <addr> rows (address, type, charset)
	// RecordID is the stored record (0 while being backed up), to name it when the user
	// deletes it.
	RecordID int64 `json:"record_id,omitempty"`
}

// MessagePart is one part of an MMS: text, SMIL or media. Attrs never holds "data": the binary
// of a media part is stored as a blob and referenced by Blob.
type MessagePart struct {
	Attrs Attrs    `json:"a"`
	Blob  *BlobRef `json:"b,omitempty"`
}

// Address returns the message's address (a number, a "~"-joined group, or a sender name).
func (m *Message) Address() string { return m.Attrs.Value("address") }

// Date returns the message time in epoch milliseconds (seconds are scaled up).
func (m *Message) Date() int64 { return EpochMillis(m.Attrs.Value("date")) }

// Body returns the SMS body, or the text of an MMS's text parts.
func (m *Message) Body() string {
	if m.Kind == MessageSMS {
		return m.Attrs.Value("body")
	}
	var s string
	for _, p := range m.Parts {
		if p.Attrs.Value("ct") == "text/plain" {
			s += p.Attrs.Value("text")
		}
	}
	return s
}

// Identity returns the fields that make two copies of a message the same message: for an SMS the
// address, type, date and body; for an MMS its m_id, else its date and box.
func (m *Message) Identity() []byte {
	if m.Kind == MessageSMS {
		return identity("sms", NormalizeAddress(m.Address()), m.Attrs.Value("type"),
			itoa(m.Date()), m.Attrs.Value("body"))
	}
	if id := m.Attrs.Value("m_id"); id != "" {
		return identity("mms", "m_id", id)
	}
	return identity("mms", "date", itoa(m.Date()), m.Attrs.Value("msg_box"))
}
