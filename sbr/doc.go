// Package sbr reads and writes the XML files of the Android app SMS Backup & Restore (SyncTech):
// sms-<time>.xml with a <smses> root holding <sms> and <mms> elements, and calls-<time>.xml with a
// <calls> root holding <call> elements.
//
// Decode is a hand-written streaming tokenizer for this narrow XML dialect rather than
// encoding/xml, for three reasons: it is several times faster on message-heavy files; it
// repairs what SB&R really writes (emoji as UTF-16 surrogate character references, &#0;) instead
// of losing the emoji or rejecting the file; and it streams an MMS part's base64 data attribute,
// which can hold a 100 MB video, straight into the sink without holding it in memory.
//
// Every attribute is kept in document order, so that the writers give back what was read: an
// absent attribute, an empty one and the literal "null" stay three different things. A broken
// element is reported through ExportSink.Skip and reading resumes at the next <sms>, <mms> or
// <call>; Decode returns an error only when reading the input or the sink fails.
package sbr
