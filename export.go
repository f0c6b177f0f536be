package beifen

import (
	"fmt"
	"io"
)

// ExportFormat names a phone export format, detected by content.
type ExportFormat string

// Export formats beifen reads. FormatFile is anything else: kept byte for byte.
const (
	FormatVCard        ExportFormat = "vcard"         // .vcf, vCard 2.1/3.0/4.0
	FormatSBRMessages  ExportFormat = "sbr-messages"  // SMS Backup & Restore <smses>
	FormatSBRCalls     ExportFormat = "sbr-calls"     // SMS Backup & Restore <calls>
	FormatSMSIEArchive ExportFormat = "smsie-zip"     // SMS Import/Export messages-*.zip / calls-*.zip
	FormatSMSIECalls   ExportFormat = "smsie-calls"   // SMS Import/Export calls-*.json
	FormatSMSIEContact ExportFormat = "smsie-contact" // SMS Import/Export contacts-*.json
	FormatFile         ExportFormat = "file"
)

// ExportSink receives what a reader finds in a phone export. A reader calls it for each item, in
// file order, and goes on after an item it cannot read (after calling Skip).
type ExportSink interface {
	Contact(c *Contact) error
	Message(m *Message) error
	Call(c *Call) error

	// PutBlob stores binary content found inside an export (an MMS picture) and returns a
	// reference to it. The reader streams r and never holds a whole attachment in memory.
	PutBlob(r io.Reader) (BlobRef, error)

	// Skip reports an item that could not be read. Reading goes on with the next item.
	Skip(err *ParseError)
}

// ParseError says where and why part of an export could not be read. Line is 1-based, or 0
// when the format has no lines (a zip member, a JSON array).
type ParseError struct {
	File   string
	Line   int
	Reason string
}

// Error returns "file:line: reason".
func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Reason)
}
