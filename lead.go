package beifen

// LeadRow is one row of a lead import file (a spreadsheet row, a CSV record, a line of text, a
// paragraph or table row of a Word document, a vCard), as read, before its numbers are
// normalised, deduplicated and checked against the do-not-call list.
type LeadRow struct {
	Sheet   string   `json:"sheet,omitempty"` // spreadsheets: the sheet's name
	Row     int      `json:"row"`             // 1-based row, line or card number in the file (or sheet)
	Name    string   `json:"name,omitempty"`
	Phones  []string `json:"phones"` // every number found in the row's phone cells or text, as written
	Company string   `json:"company,omitempty"`
	Note    string   `json:"note,omitempty"`
	Raw     string   `json:"raw"` // the row as text, for the file of rejected rows
}
