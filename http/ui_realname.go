package http

import (
	"net/http"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/ui"
)

func (s *Server) handleUIRealName(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	id := beifen.RealNameIdentity{Name: r.FormValue("name"), IDNumber: r.FormValue("id_number")}
	if _, err := s.RealNames.VerifyRealName(r.Context(), id); err != nil {
		return err
	}
	redirectDone(w, r, "/privacy#realname", "flash.realname_verified")
	return nil
}

func (s *Server) handleUIRealNameWithdraw(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	if err := s.RealNames.WithdrawRealName(r.Context()); err != nil {
		return err
	}
	redirectDone(w, r, "/privacy#realname", "flash.realname_withdrawn")
	return nil
}
