// Package leadfile reads lead import files into beifen.LeadRow: plain text and pasted
// clipboard text, CSV, Word .docx and vCard. It detects the format by content (Sniff) and
// the text encoding by byte order mark or UTF-8 validity (UTF-8, UTF-16, GBK/GB18030).
//
// Spreadsheets are read by package xlsx, which shares this package's column mapping (Table,
// ParseHeader, SplitPhones) so that a CSV file and the same sheet saved as .xlsx give the
// same rows.
//
// Numbers come out as written: a row's Phones hold every number found, with the spaces and
// dashes inside it, and normalising, deduplicating and rejecting them is the caller's job.
// Every reader streams: memory stays bounded by the longest line or row, never the file.
package leadfile
