// Package phonenumber normalises phone numbers to E.164 with nyaruka/phonenumbers (a Go port of
// Google's libphonenumber). China (+86) is the default region.
package phonenumber

import (
	"strings"
	"sync"

	"github.com/beifen/beifen"
	"github.com/nyaruka/phonenumbers"
)

// DefaultRegion is the region of numbers written without a country code.
const DefaultRegion = "CN"

// Normalize returns number in E.164 form (+8613800138000). It returns EINVALID if the number
// is not a valid phone number.
//
// Mainland mobile numbers, most of any lead list, take a fast path: their validity depends only
// on their 7-digit block (号段), so each block is checked with libphonenumber once and
// remembered.
func Normalize(number string) (string, error) {
	if digits, ok := mainlandMobile(number); ok {
		if valid, known := blocks.Load(digits[:7]); known {
			if valid.(bool) {
				return "+86" + digits, nil
			}
			return "", beifen.Errorf(beifen.EINVALID, "Not a valid phone number.")
		}
		e164, err := parse(number)
		blocks.Store(digits[:7], err == nil)
		return e164, err
	}
	return parse(number)
}

var blocks sync.Map // 7-digit mobile block -> valid

// mainlandMobile reduces "+86 138-0013-8000" and the like to its 11 digits when the number
// looks like a mainland mobile number.
func mainlandMobile(number string) (string, bool) {
	var b [16]byte
	n, plus := 0, false
	for i := 0; i < len(number); i++ {
		c := number[i]
		switch {
		case c >= '0' && c <= '9':
			if n == len(b) {
				return "", false
			}
			b[n] = c
			n++
		case c == '+' && n == 0:
			plus = true
		case c == ' ' || c == '-':
		default:
			return "", false
		}
	}
	d := string(b[:n])
	if plus && !strings.HasPrefix(d, "86") {
		return "", false // another country's number
	}
	switch {
	case len(d) == 15 && strings.HasPrefix(d, "0086"):
		d = d[4:]
	case len(d) == 13 && strings.HasPrefix(d, "86"):
		d = d[2:]
	}
	if len(d) != 11 || d[0] != '1' || d[1] < '3' {
		return "", false
	}
	return d, true
}

func parse(number string) (string, error) {
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
