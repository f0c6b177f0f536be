package beifen

import "time"

// File is one file of a phone export kept byte for byte: a photo, a video, a call recording, a
// document. Path is its slash-separated path relative to the export's root and is personal
// data too (MIUI names recordings after the contact and number).
type File struct {
	Path    string    `json:"p"`
	Size    int64     `json:"s"`
	Hash    BlobKey   `json:"h"`
	ModTime time.Time `json:"m,omitzero"`

	// Chunks, in a backup manifest, lists the fragments a large export was uploaded as (see
	// BackupService.UploadFragment); empty for a file uploaded whole.
	Chunks []BlobRef `json:"c,omitempty"`

	// RecordID is the stored record (0 in a manifest), to name it when the user deletes it.
	RecordID int64 `json:"record_id,omitempty"`
}

// Identity returns what makes two entries the same file: its path. The same content under two
// names is two files sharing one blob.
func (f *File) Identity() []byte { return identity("file", f.Path) }
