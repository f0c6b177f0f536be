package beifen

import (
	"strings"
	"time"
)

// Profile is what an account tells about itself (clause 1.1.1a): a nickname and avatar, and
// optionally gender, birthday, region and a short bio. Every field may stay empty.
type Profile struct {
	Nickname string `json:"nickname,omitempty"`
	Avatar   string `json:"avatar,omitempty"`   // a data: URL of a small image
	Gender   string `json:"gender,omitempty"`   // "", female, male or other
	Birthday string `json:"birthday,omitempty"` // YYYY-MM-DD
	Region   string `json:"region,omitempty"`
	Bio      string `json:"bio,omitempty"`
}

// Validate returns EINVALID for a field out of shape.
func (p *Profile) Validate() error {
	switch {
	case len([]rune(p.Nickname)) > 32:
		return Errorf(EINVALID, "A nickname has at most 32 characters.")
	case p.Avatar != "" && (!strings.HasPrefix(p.Avatar, "data:image/") || len(p.Avatar) > 200<<10):
		return Errorf(EINVALID, "An avatar must be an image of at most 150 KB.")
	case p.Gender != "" && p.Gender != "female" && p.Gender != "male" && p.Gender != "other":
		return Errorf(EINVALID, "Gender must be female, male, other or left empty.")
	case len([]rune(p.Region)) > 64 || len([]rune(p.Bio)) > 500:
		return Errorf(EINVALID, "Region has at most 64 characters and bio at most 500.")
	}
	if p.Birthday != "" {
		if t, err := time.Parse("2006-01-02", p.Birthday); err != nil || t.After(time.Now()) || t.Year() < 1900 {
			return Errorf(EINVALID, "Birthday must be a past date, YYYY-MM-DD.")
		}
	}
	return nil
}
