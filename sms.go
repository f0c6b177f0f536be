package beifen

import (
	"context"
	"strings"
	"time"
)

// OptOutLine ends every marketing text (clause 1.1.3): replying TD stops them.
const OptOutLine = "回复TD退订"

// SMSTemplate is a team's after-call text (挂机短信) for one call outcome. {name} (or {客户})
// stands for the customer's name and {staff} (or {员工}) for the caller's.
type SMSTemplate struct {
	TeamID    int64     `json:"-"`
	Outcome   Outcome   `json:"outcome"`
	Body      string    `json:"body"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Validate returns EINVALID for a template that cannot be sent.
func (t *SMSTemplate) Validate() error {
	switch t.Outcome {
	case OutcomeConnected, OutcomeNoAnswer, OutcomeBusy:
	default:
		return Errorf(EINVALID, "After-call texts are for connected, no_answer or busy calls.")
	}
	if strings.TrimSpace(t.Body) == "" || len([]rune(t.Body)) > 300 {
		return Errorf(EINVALID, "A text needs 1 to 300 characters.")
	}
	return nil
}

// Render fills in the names and ends the text with the opt-out line.
func (t *SMSTemplate) Render(customer, staff string) string {
	body := strings.NewReplacer("{name}", customer, "{客户}", customer, "{staff}", staff, "{员工}", staff).Replace(t.Body)
	if !strings.Contains(body, "退订") {
		body = strings.TrimRight(body, " ") + " " + OptOutLine
	}
	return body
}

// IsOptOut reports whether a reply asks for no more texts: TD, T, N or 退订, alone.
func IsOptOut(reply string) bool {
	switch strings.ToUpper(strings.TrimSpace(reply)) {
	case "TD", "T", "N", "退订":
		return true
	}
	return false
}

// SMSTemplateService stores the context team's after-call texts.
type SMSTemplateService interface {
	// PutSMSTemplate creates or replaces the team's text for an outcome.
	PutSMSTemplate(ctx context.Context, t *SMSTemplate) error

	// FindSMSTemplate returns ENOTFOUND if the team has no text for the outcome.
	FindSMSTemplate(ctx context.Context, outcome Outcome) (*SMSTemplate, error)
}
