package beifen

import (
	"context"
	"strings"
	"time"
)

// Real-name verification (clause 1.1.2): a name, an ID number and a phone number checked by a
// licensed operator, asked for only where a feature needs it. Refusing it affects only those
// features; everything else keeps working.

// PurposeRealName is the consent real-name verification rests on: an ID number is sensitive
// personal information and needs a separate consent of its own (PIPL art. 29).
const PurposeRealName Purpose = "realname"

// RealNameFeature names a feature an operator may require a verified real name for.
type RealNameFeature string

// The features that may require real-name verification.
const (
	// FeatureShare is public share links: information published online, where the law expects
	// the publisher's real identity.
	FeatureShare RealNameFeature = "share"
)

// RealNameFeatures lists every feature that may require real-name verification.
var RealNameFeatures = []RealNameFeature{FeatureShare}

// ParseRealNameFeatures parses a comma- or space-separated list of features, as an operator
// sets them. Returns EINVALID for an unknown feature.
func ParseRealNameFeatures(list string) (map[RealNameFeature]bool, error) {
	out := map[RealNameFeature]bool{}
	for _, f := range strings.FieldsFunc(list, func(r rune) bool { return r == ',' || r == ' ' }) {
		known := false
		for _, k := range RealNameFeatures {
			known = known || string(k) == f
		}
		if !known {
			return nil, Errorf(EINVALID, "Unknown real-name feature %q.", f)
		}
		out[RealNameFeature(f)] = true
	}
	return out, nil
}

// RealName is a user's verification: the name and ID number sealed under the account's key,
// which provider checked them and when. The birth date the ID number holds is kept with the
// profile, as age rules read it (clause 7.1).
type RealName struct {
	UserID     int64     `json:"-"`
	Sealed     []byte    `json:"-"`
	Provider   string    `json:"provider"`
	VerifiedAt time.Time `json:"verified_at"`
}

// RealNameIdentity is what a user submits to be verified.
type RealNameIdentity struct {
	Name     string `json:"name"`
	IDNumber string `json:"id_number"`
}

// Validate returns EINVALID for a name out of shape or an ID number that fails GB 11643, and
// returns the birth date the ID number holds.
func (id *RealNameIdentity) Validate() (birthday string, err error) {
	id.Name = strings.TrimSpace(id.Name)
	id.IDNumber = strings.ToUpper(strings.TrimSpace(id.IDNumber))
	if n := len([]rune(id.Name)); n < 2 || n > 64 {
		return "", Errorf(EINVALID, "A name has 2 to 64 characters.")
	}
	return IDNumberBirthday(id.IDNumber)
}

// RealNameService stores verifications. Each user reaches only their own.
type RealNameService interface {
	// PutRealName creates or replaces the context user's verification.
	PutRealName(ctx context.Context, r *RealName) error

	// FindRealName returns the context user's verification. Returns ENOTFOUND if there is none.
	FindRealName(ctx context.Context) (*RealName, error)

	// DeleteRealName removes the context user's verification. Returns ENOTFOUND if there is none.
	DeleteRealName(ctx context.Context) error
}

// RealNameVerifier is a licensed operator's check that a name and ID number belong together and
// to the holder of a phone number.
type RealNameVerifier interface {
	// VerifyRealName returns nil when they match, EINVALID when the operator says they do not,
	// and EFORBIDDEN when no operator is configured.
	VerifyRealName(ctx context.Context, name, idNumber, phone string) error
}

// RealNameStatus is a user's verification as they see it: the name and number masked.
type RealNameStatus struct {
	Verified   bool      `json:"verified"`
	Name       string    `json:"name,omitempty"`      // masked: 张*
	IDNumber   string    `json:"id_number,omitempty"` // masked: 110105**********2X
	Provider   string    `json:"provider,omitempty"`
	VerifiedAt time.Time `json:"verified_at,omitzero"`
	// Required lists the features this server requires a verified name for.
	Required []RealNameFeature `json:"required"`
}

// MaskName keeps a name's first character: 张三 becomes 张*.
func MaskName(name string) string {
	r := []rune(name)
	if len(r) == 0 {
		return ""
	}
	return string(r[0]) + strings.Repeat("*", len(r)-1)
}

// MaskIDNumber keeps an ID number's region code and last two characters.
func MaskIDNumber(id string) string {
	if len(id) < 8 {
		return strings.Repeat("*", len(id))
	}
	return id[:6] + strings.Repeat("*", len(id)-8) + id[len(id)-2:]
}
