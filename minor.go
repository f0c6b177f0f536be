package beifen

import (
	"strconv"
	"time"
)

// Ages the law sets (clause 7.1): under 18 needs a guardian's consent before data is kept.
const AdultAge = 18

// ChildAge is the age under which personal information is sensitive (PIPL art. 28, 31): a child
// under 14 cannot consent to optional purposes; only a guardian can turn them on.
const ChildAge = 14

// MinorGrace is how long a minor's account may wait for a guardian's consent before it is
// erased.
const MinorGrace = 30 * 24 * time.Hour

// AgeOn returns the age on now of someone born on birthday (YYYY-MM-DD); ok is false when the
// birthday is unknown or malformed.
func AgeOn(birthday string, now time.Time) (age int, ok bool) {
	b, err := time.Parse("2006-01-02", birthday)
	if err != nil {
		return 0, false
	}
	age = now.Year() - b.Year()
	if now.Month() < b.Month() || (now.Month() == b.Month() && now.Day() < b.Day()) {
		age--
	}
	return age, true
}

// AgeOn returns the user's age on now: by the birth date of a verified ID number, else by the
// birthday in the profile; ok is false when neither is known.
func (u *User) AgeOn(now time.Time) (age int, ok bool) {
	if u.IDBirthday != "" {
		return AgeOn(u.IDBirthday, now)
	}
	return AgeOn(u.Profile.Birthday, now)
}

// IsChild reports whether the user is known to be under ChildAge on now.
func (u *User) IsChild(now time.Time) bool {
	age, ok := u.AgeOn(now)
	return ok && age < ChildAge
}

// idWeights and idCheck are the GB 11643-1999 check digit rule.
var (
	idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	idCheck   = "10X98765432"
)

// IDNumberBirthday checks a mainland resident ID number (GB 11643: 17 digits and a check
// character, the birth date in digits 7-14) and returns its birth date as YYYY-MM-DD.
// Returns EINVALID for a malformed number, a wrong check digit or an impossible date.
func IDNumberBirthday(id string) (string, error) {
	if len(id) != 18 {
		return "", Errorf(EINVALID, "An ID number has 18 characters.")
	}
	sum := 0
	for i := 0; i < 17; i++ {
		if id[i] < '0' || id[i] > '9' {
			return "", Errorf(EINVALID, "An ID number has 17 digits before its check character.")
		}
		sum += int(id[i]-'0') * idWeights[i]
	}
	last := id[17]
	if last == 'x' {
		last = 'X'
	}
	if idCheck[sum%11] != last {
		return "", Errorf(EINVALID, "The ID number's check character is wrong.")
	}
	b, err := time.Parse("20060102", id[6:14])
	if err != nil || b.Year() < 1900 || b.After(time.Now()) {
		return "", Errorf(EINVALID, "The ID number holds no valid birth date.")
	}
	if _, err := strconv.Atoi(id[:6]); err != nil || id[0] == '0' {
		return "", Errorf(EINVALID, "The ID number's region code is not valid.")
	}
	return b.Format("2006-01-02"), nil
}
