package beifen

import "time"

// Purpose is one registered reason beifen processes personal data (clause 1.8). Processing for a
// purpose needs its lawful basis: the contract for what the service cannot work without, the
// user's own consent for everything else.
type Purpose string

// The registered purposes. A new purpose is added here, with its notice, and asks every user
// afresh: nobody is opted in.
const (
	PurposeService    Purpose = "service"    // account, backup and restore: needed to provide the service
	PurposeMarketing  Purpose = "marketing"  // marketing texts and activities (clauses 1.1.3, 3.1.5)
	PurposeStatistics Purpose = "statistics" // counted in usage statistics (clause 1.7)
	PurposeLocation   Purpose = "location"   // location, for location features only (clause 3.1.2c)
	// PurposeResearch shares the account, de-identified, with analytics and research partners
	// (clauses 3.1.3, 3.1.4): a consent of its own, apart from being counted in statistics.
	PurposeResearch Purpose = "research"
	// PurposeCamera takes photos with the phone's camera or from its album for feedback
	// (section 9 "camera"); off until the user allows it, like the phone's own permission.
	PurposeCamera Purpose = "camera"
	// PurposeRealName (realname.go): real-name verification, for the features that need it.
	// PurposePersonalisation ranks the recommendation feed by what the user follows, opens and
	// marks "not interested" (clauses 3.1.2a, 6.1.1). Never by backup content.
	PurposePersonalisation Purpose = "personalisation"
)

// The device permissions of the policy's section 9 that a sales team's workspace uses, one
// purpose each. They rest on the member's work for the team (the team's contract), not on a
// personal consent, and apply only to team members: the phone asks for the permission itself,
// and beifen processes what it yields only for the feature named.
const (
	PurposeContactsRead  Purpose = "contacts_read"  // import a phone's contacts as leads
	PurposeContactsWrite Purpose = "contacts_write" // publish customers to the phone's contacts, never read back
	PurposeMicrophone    Purpose = "microphone"     // call recordings for quality review
	PurposeCallPhone     Purpose = "call_phone"     // dial the numbers a task hands out
	PurposeCallLog       Purpose = "call_log"       // match the phone's call log to customers
	PurposeSMS           Purpose = "sms"            // after-call texts
	PurposeStorageWrite  Purpose = "storage_write"  // save task reports (.xlsx) to the phone
	PurposeStorageRead   Purpose = "storage_read"   // import leads from files on the phone
)

// PurposeInfo describes a purpose for the consent screen.
type PurposeInfo struct {
	Purpose Purpose `json:"purpose"`
	// Required purposes rest on the contract, not consent: they are shown, not asked, and end
	// only with the account.
	Required bool `json:"required"`
	// Basis is the lawful basis the processing rests on (PIPL art. 13): "contract" or
	// "consent". (A legal hold keeps data on a third, "legal-obligation"; see LegalHold.)
	Basis string `json:"basis"`
	// Team purposes apply only to members of a sales team.
	Team bool `json:"team,omitempty"`
}

// Purposes lists every registered purpose, in the order the consent screen shows them.
var Purposes = []PurposeInfo{
	{PurposeService, true, "contract", false},
	{PurposeMarketing, false, "consent", false},
	{PurposeStatistics, false, "consent", false},
	{PurposeLocation, false, "consent", false},
	{PurposeResearch, false, "consent", false},
	{PurposeCamera, false, "consent", false},
	{PurposeRealName, false, "consent", false},
	{PurposePersonalisation, false, "consent", false},
	{PurposeContactsRead, true, "contract", true},
	{PurposeContactsWrite, true, "contract", true},
	{PurposeMicrophone, true, "contract", true},
	{PurposeCallPhone, true, "contract", true},
	{PurposeCallLog, true, "contract", true},
	{PurposeSMS, true, "contract", true},
	{PurposeStorageWrite, true, "contract", true},
	{PurposeStorageRead, true, "contract", true},
}

// PurposeByName returns the registered purpose named p, or false.
func PurposeByName(p string) (PurposeInfo, bool) {
	for _, info := range Purposes {
		if string(info.Purpose) == p {
			return info, true
		}
	}
	return PurposeInfo{}, false
}

// ConsentState is one purpose as a user sees it: on or off now.
type ConsentState struct {
	PurposeInfo
	Granted bool `json:"granted"`
}

// Consent is one entry of a user's consent ledger: a purpose granted or withdrawn, when, and
// under which policy version. The ledger is only appended to; the newest entry per purpose
// is in force (clause 6.2: a withdrawal stops processing from then on and leaves what was
// done before it lawful).
type Consent struct {
	UserID        int64     `json:"-"`
	Purpose       Purpose   `json:"purpose"`
	Granted       bool      `json:"granted"`
	PolicyVersion string    `json:"policy_version,omitempty"`
	At            time.Time `json:"at"`
	// ByGuardian marks an entry a guardian made, confirmed by the code texted to them: the only
	// grant that counts for a child under 14 (ChildAge).
	ByGuardian bool `json:"by_guardian,omitempty"`
	// Channel is how the entry was made: "" in the app or on the web pages, ConsentBySMS by a TD
	// reply, ConsentByEmail by the unsubscribe link of a marketing e-mail (clause 1.1.3).
	Channel string `json:"channel,omitempty"`
}

// The channels a consent entry may come by besides the app.
const (
	ConsentBySMS   = "sms"
	ConsentByEmail = "email"
)

// Validate returns EINVALID for an entry of no registered, optional purpose.
func (c *Consent) Validate() error {
	info, ok := PurposeByName(string(c.Purpose))
	switch {
	case !ok:
		return Errorf(EINVALID, "Unknown purpose %q.", c.Purpose)
	case info.Required:
		return Errorf(EINVALID, "The %s purpose is needed to provide the service; delete the account to end it.", c.Purpose)
	}
	return nil
}

// ConsentsInForce folds a ledger (oldest first) into the state of each purpose: required purposes
// true, the others as their newest entry says, false when never asked.
func ConsentsInForce(ledger []*Consent) map[Purpose]bool {
	return ConsentsInForceFor(ledger, false)
}

// ConsentsInForceFor is ConsentsInForce for a user who may be a child under 14: for a child, only
// a guardian's grant turns a purpose on; a withdrawal by either turns it off.
func ConsentsInForceFor(ledger []*Consent, child bool) map[Purpose]bool {
	m := map[Purpose]bool{}
	for _, info := range Purposes {
		m[info.Purpose] = info.Required
	}
	for _, c := range ledger {
		if info, ok := PurposeByName(string(c.Purpose)); ok && !info.Required {
			m[c.Purpose] = c.Granted && (!child || c.ByGuardian)
		}
	}
	return m
}
