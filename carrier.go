package beifen

import "context"

// CarrierVerifier exchanges a carrier one-click sign-in token (本机号码一键登录, clause 1.1.1f)
// for the number of the SIM that asked for it. China Mobile, Unicom and Telecom, usually through
// an aggregator's SDK, give the app a short-lived token; only the server may exchange it, over the
// carrier's API. It is off by default, and refusing it leaves the SMS code and the password.
type CarrierVerifier interface {
	// VerifyToken returns the verified number in E.164 form. Returns EFORBIDDEN if one-click
	// sign-in is not configured, and EUNAUTHORIZED if the carrier refuses the token.
	VerifyToken(ctx context.Context, token string) (string, error)
}
