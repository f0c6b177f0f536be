package http

import (
	"context"
	"crypto/subtle"
	"net/http"

	"github.com/beifen/beifen"
)

// ReplyDesk takes the texts users send back to the platform's number.
type ReplyDesk interface {
	HandleUserReply(ctx context.Context, from, body string) (bool, error)
}

// WebhookTokenHeader carries the SMS gateway's shared secret.
const WebhookTokenHeader = "X-Beifen-Webhook-Token"

// handleSMSInbound is the SMS gateway's webhook for texts users send to the platform's number:
// an opt-out (TD, 退订, ...) withdraws their marketing consent before the next send.
func (s *Server) handleSMSInbound(w http.ResponseWriter, r *http.Request) {
	if s.SMSWebhookToken == "" || s.Replies == nil {
		http.NotFound(w, r)
		return
	}
	if subtle.ConstantTimeCompare([]byte(r.Header.Get(WebhookTokenHeader)), []byte(s.SMSWebhookToken)) != 1 {
		s.Error(w, r, beifen.Errorf(beifen.EUNAUTHORIZED, "Wrong webhook token."))
		return
	}
	var req ReplyRequest
	if err := readJSON(w, r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	opt, err := s.Replies.HandleUserReply(r.Context(), req.From, req.Body)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, &ReplyResponse{OptOut: opt})
}

func (s *Server) handleInbox(w http.ResponseWriter, r *http.Request) {
	list, err := s.Notices.Inbox(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"notices": list})
}
