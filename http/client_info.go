package http

import (
	"net"
	"net/http"
	"strings"

	"github.com/beifen/beifen"
)

// clientInfo puts what the request says about its origin into the context for the services:
// the device family (never the full user agent) and the network prefix of its address.
func (s *Server) clientInfo(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		addr := r.RemoteAddr
		if s.TrustProxy { // behind a reverse proxy that sets it: the first address is the client's
			if fwd, _, _ := strings.Cut(r.Header.Get("X-Forwarded-For"), ","); strings.TrimSpace(fwd) != "" {
				addr = strings.TrimSpace(fwd)
			}
		}
		c := beifen.Client{Device: deviceOf(r.UserAgent()), Prefix: networkPrefix(addr)}
		next.ServeHTTP(w, r.WithContext(beifen.NewContextWithClient(r.Context(), c)))
	})
}

// networkPrefix is the /24 of an IPv4 address or the /48 of an IPv6 one: the network, not the
// device. Loopback and unparsable addresses give "".
func networkPrefix(remote string) string {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	ip := net.ParseIP(host)
	if ip == nil || ip.IsLoopback() {
		return ""
	}
	if v4 := ip.To4(); v4 != nil {
		return v4.Mask(net.CIDRMask(24, 32)).String() + "/24"
	}
	return ip.Mask(net.CIDRMask(48, 128)).String() + "/48"
}

// deviceOf names a user agent's family: "Chrome on Android", "beifen CLI", "unknown".
func deviceOf(ua string) string {
	if ua == "" {
		return "unknown"
	}
	if v, ok := strings.CutPrefix(ua, "beifen/"); ok { // the command line, with its version
		if v, _, _ = strings.Cut(v, " "); v != "" && len(v) <= 32 {
			return "beifen CLI " + v
		}
		return "beifen CLI"
	}
	browser := ""
	for _, b := range []struct{ token, name string }{
		{"MicroMessenger", "WeChat"}, {"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"},
		{"Chrome/", "Chrome"}, {"Safari/", "Safari"}, {"curl/", "curl"}, {"Go-http-client", "Go HTTP client"},
	} {
		if strings.Contains(ua, b.token) {
			browser = b.name
			break
		}
	}
	os := ""
	for _, o := range []struct{ token, name string }{
		{"Android", "Android"}, {"iPhone", "iPhone"}, {"iPad", "iPad"}, {"Windows", "Windows"},
		{"Mac OS X", "macOS"}, {"Linux", "Linux"},
	} {
		if strings.Contains(ua, o.token) {
			os = o.name
			break
		}
	}
	switch {
	case browser != "" && os != "":
		return browser + " on " + os
	case browser != "":
		return browser
	case os != "":
		return os
	}
	return "other"
}
