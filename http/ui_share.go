package http

import (
	"context"
	"mime"
	"net/http"
	"strconv"
	"time"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/ui"
)

// Sharer makes and resolves share links (clause 1.6).
type Sharer interface {
	ShareContact(ctx context.Context, snapshotID int64, pos, days int) (string, *beifen.Share, error)
	ShareFile(ctx context.Context, hash beifen.BlobKey, name string, days int) (string, *beifen.Share, error)
	Shares(ctx context.Context) ([]*beifen.Share, error)
	RevokeShare(ctx context.Context, id int64) error
	ShareAccesses(ctx context.Context, id int64) ([]time.Time, error)
	OpenShare(ctx context.Context, token string) (*beifen.SharedItem, error)
}

type uiShareData struct {
	URL   string
	Share *beifen.Share
}

// shareURL is the link's address on this server, as the browser reached it.
func shareURL(r *http.Request, token string) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/s/" + token
}

func (s *Server) handleUIShareContact(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	id, err := pathID(r, "id", "Snapshot not found.")
	if err != nil {
		return err
	}
	token, sh, err := s.Sharer.ShareContact(r.Context(), id, formInt(r, "pos"), formInt(r, "days"))
	if err != nil {
		return err
	}
	v.Data = &uiShareData{URL: shareURL(r, token), Share: sh}
	return s.render(w, r, http.StatusCreated, "share", v)
}

func (s *Server) handleUIShareFile(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	token, sh, err := s.Sharer.ShareFile(r.Context(), beifen.BlobKey(r.PathValue("hash")), r.FormValue("name"), formInt(r, "days"))
	if err != nil {
		return err
	}
	v.Data = &uiShareData{URL: shareURL(r, token), Share: sh}
	return s.render(w, r, http.StatusCreated, "share", v)
}

func (s *Server) handleUIShareRevoke(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return beifen.Errorf(beifen.ENOTFOUND, "Share link not found.")
	}
	if err := s.Sharer.RevokeShare(r.Context(), id); err != nil {
		return err
	}
	redirectDone(w, r, "/privacy#shares", "flash.revoked_share")
	return nil
}

// handleUIShared serves a shared item to whoever holds the link: no sign-in, nothing else of
// the owner's, and the page of an expired or revoked link says only that.
func (s *Server) handleUIShared(w http.ResponseWriter, r *http.Request, v *ui.View) error {
	item, err := s.Sharer.OpenShare(r.Context(), r.PathValue("token"))
	if beifen.ErrorCode(err) == beifen.ENOTFOUND {
		v.Title, v.Error = "share.gone", v.T("share.gone")
		return s.render(w, r, http.StatusGone, "error", v)
	} else if err != nil {
		return err
	}
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("X-Robots-Tag", "noindex")
	ct, inline := mediaType(fileType(item.Name))
	if item.Kind == "contact" {
		ct, inline = "text/vcard; charset=utf-8", false
	}
	disposition := "inline"
	if !inline {
		disposition = "attachment"
	}
	w.Header().Set("Content-Disposition", mime.FormatMediaType(disposition, map[string]string{"filename": item.Name}))
	w.Header().Set("Content-Type", ct)
	rr := &rangeReader{size: item.Size, open: item.Open}
	defer func() {
		if rr.rc != nil {
			rr.rc.Close()
		}
	}()
	http.ServeContent(w, r, "", zeroTime, rr)
	return nil
}

type uiShareRow struct {
	*beifen.Share
	Live bool
	Log  []time.Time // when it was opened
}

// shareRows lists the user's links with their access logs for the privacy centre.
func (s *Server) shareRows(ctx context.Context) ([]*uiShareRow, error) {
	if s.Sharer == nil {
		return nil, nil
	}
	list, err := s.Sharer.Shares(ctx)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	out := make([]*uiShareRow, 0, len(list))
	for _, sh := range list {
		row := &uiShareRow{Share: sh, Live: sh.Live(now)}
		if sh.Accesses > 0 {
			if row.Log, err = s.Sharer.ShareAccesses(ctx, sh.ID); err != nil {
				return nil, err
			}
		}
		out = append(out, row)
	}
	return out, nil
}
