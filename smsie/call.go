package smsie

import "github.com/beifen/beifen"

// callOrder is SB&R's attribute order for <call>; other CallLog columns follow, sorted.
var callOrder = []string{"number", "duration", "date", "type", "presentation", "subscription_id",
	"post_dial_digits", "subscription_component_name", "readable_date", "contact_name"}

// callRename maps sms-ie's added display name to SB&R's contact_name (the README spells it
// display-name, the code display_name).
var callRename = map[string]string{"display_name": "contact_name", "display-name": "contact_name"}

// callFrom maps one CallLog row; every column is kept.
func callFrom(obj object) *beifen.Call {
	return &beifen.Call{Attrs: ordered(columns(obj, callRename, nil), callOrder)}
}
