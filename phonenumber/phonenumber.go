// Package phonenumber normalises phone numbers to E.164 with nyaruka/phonenumbers (a Go port of
// Google's libphonenumber). China (+86) is the default region.
package phonenumber

import (
	"strings"

	"github.com/beifen/beifen"
	"github.com/nyaruka/phonenumbers"
)

// DefaultRegion is the region of numbers written without a country code.
const DefaultRegion = "CN"

// Normalize returns number in E.164 form (+8613800138000). It returns EINVALID if the number
// is not a valid phone number.
func Normalize(number string) (string, error) {
	s := strings.TrimSpace(number)
	if strings.HasPrefix(s, "00") {
		s = "+" + s[2:]
	}
	n, err := phonenumbers.Parse(s, DefaultRegion)
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return "", beifen.Errorf(beifen.EINVALID, "Not a valid phone number.")
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}

// Mask hides the middle of a number for logs and screens: +86138****8000.
func Mask(e164 string) string {
	if len(e164) < 8 {
		return strings.Repeat("*", len(e164))
	}
	return e164[:len(e164)-8] + "****" + e164[len(e164)-4:]
}
