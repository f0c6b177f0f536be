package beifen

import (
	"context"
	"io"
	"time"
)

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

// Lead is a number a team may call. The store keeps the number only as a keyed hash under the
// team's key (PhoneHash, for dedup and the do-not-call list) and sealed with the rest (Sealed);
// the other fields are filled in once it is opened.
type Lead struct {
	ID        int64     `json:"id"`
	TeamID    int64     `json:"-"`
	PhoneHash []byte    `json:"-"`
	Sealed    []byte    `json:"-"`
	OwnerID   int64     `json:"owner_id,omitempty"` // the staff member it is assigned to, or 0
	CreatedAt time.Time `json:"created_at"`

	Phone   string `json:"phone,omitempty"` // E.164
	Name    string `json:"name,omitempty"`
	Company string `json:"company,omitempty"`
	Note    string `json:"note,omitempty"`
}

// LeadFilter selects leads of the context's team.
type LeadFilter struct {
	ID      *int64
	OwnerID *int64
	// Manager keeps what this manager may see: leads owned by nobody, by them, by their group's
	// staff, or by staff in no group.
	Manager *int64
	Offset  int
	Limit   int
}

// LeadService stores the leads of the context user's team. Another team's lead is ENOTFOUND.
type LeadService interface {
	// FindLeads returns leads in ID order, and how many match in all.
	FindLeads(ctx context.Context, filter LeadFilter) ([]*Lead, int, error)

	// CreateLeads stores leads whose number the team does not have yet, in one transaction, and
	// sets their IDs; a lead whose number the team has keeps ID 0.
	CreateLeads(ctx context.Context, leads []*Lead) error

	// FindLeadPhones returns which of these number hashes the team already has as leads.
	FindLeadPhones(ctx context.Context, hashes [][]byte) ([][]byte, error)

	// ReleaseIdle puts back in the team's public pool every customer whose owner has not
	// called it since before, and returns how many.
	ReleaseIdle(ctx context.Context, before time.Time) (int, error)
}

// DNCService stores a team's do-not-call list (numbers as keyed hashes).
type DNCService interface {
	// AddDNC puts numbers on the list; numbers already on it stay.
	AddDNC(ctx context.Context, hashes [][]byte) error

	// FindDNC returns which of these number hashes are on the list.
	FindDNC(ctx context.Context, hashes [][]byte) ([][]byte, error)
}

// LeadImport says what an import did.
type LeadImport struct {
	ID         string `json:"id"`
	Rows       int    `json:"rows"`
	Imported   int    `json:"imported"`   // new valid numbers
	Duplicates int    `json:"duplicates"` // seen earlier in the file or already a lead of the team
	Invalid    int    `json:"invalid"`    // a phone cell or line with no valid number
	DNC        int    `json:"dnc"`        // on the team's do-not-call list
	Rejected   int    `json:"rejected"`   // rows in the file of rejected rows
}

// LeadImportService imports leads from files.
type LeadImportService interface {
	// ImportLeads reads a lead file (txt, csv, docx, xlsx, vcf; detected by content) into the
	// context user's team. Returns EINVALID for an unreadable or legacy (.doc, .xls) file and
	// EFORBIDDEN for a user who may not import.
	ImportLeads(ctx context.Context, name string, r io.Reader, progress func(rows int)) (*LeadImport, error)

	// RejectedRows writes an import's rejected rows as CSV (row, reason, the row as written).
	// Returns ENOTFOUND for another team's or an unknown import.
	RejectedRows(ctx context.Context, id string, w io.Writer) error
}
