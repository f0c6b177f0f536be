package http

import (
	"context"
	"net/http"
	"strconv"

	"github.com/beifen/beifen"
)

// TaskDialer is what the task routes need: creating tasks, handing out leads, logging calls.
type TaskDialer interface {
	CreateTask(ctx context.Context, req *beifen.TaskRequest) (*beifen.Task, error)
	FindTasks(ctx context.Context) ([]*beifen.Task, error)
	FindTask(ctx context.Context, id int64) (*beifen.Task, error)
	FindCallbacks(ctx context.Context) ([]*beifen.Callback, error)
	NextLead(ctx context.Context, taskID int64) (*beifen.Dispatch, error)
	LogOutcome(ctx context.Context, taskID, leadID int64, c *beifen.CallLog) (bool, error)
	PutTemplate(ctx context.Context, t *beifen.SMSTemplate) error
	HandleReply(ctx context.Context, from, body string) (bool, error)
}

// OutcomeResponse says whether an after-call text went out.
type OutcomeResponse struct {
	TextSent bool              `json:"text_sent"`      // the server sent the after-call text
	Text     *beifen.PhoneText `json:"text,omitempty"` // or: the text for the phone to send
}

// ReplyRequest is a text a customer sent back.
type ReplyRequest struct {
	From string `json:"from"`
	Body string `json:"body"`
}

// ReplyResponse says whether the reply was an opt-out.
type ReplyResponse struct {
	OptOut bool `json:"opt_out"`
}

func (s *Server) handleTemplatePut(w http.ResponseWriter, r *http.Request) {
	var t beifen.SMSTemplate
	if err := readJSON(w, r, &t); err != nil {
		s.Error(w, r, err)
		return
	}
	t.Outcome = beifen.Outcome(r.PathValue("outcome"))
	if err := s.TaskService.PutTemplate(r.Context(), &t); err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, &t)
}

func (s *Server) handleSMSReply(w http.ResponseWriter, r *http.Request) {
	var req ReplyRequest
	if err := readJSON(w, r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	opt, err := s.TaskService.HandleReply(r.Context(), req.From, req.Body)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, &ReplyResponse{OptOut: opt})
}

func (s *Server) handleTaskCreate(w http.ResponseWriter, r *http.Request) {
	var req beifen.TaskRequest
	if err := readJSON(w, r, &req); err != nil {
		s.Error(w, r, err)
		return
	}
	t, err := s.TaskService.CreateTask(r.Context(), &req)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, t)
}

func (s *Server) handleTaskNext(w http.ResponseWriter, r *http.Request) {
	id, err := taskPathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	d, err := s.TaskService.NextLead(r.Context(), id)
	if err != nil {
		s.Error(w, r, err)
		return
	} else if d == nil {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) handleTaskOutcome(w http.ResponseWriter, r *http.Request) {
	id, err := taskPathID(r, "id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	leadID, err := taskPathID(r, "lead_id")
	if err != nil {
		s.Error(w, r, err)
		return
	}
	var c beifen.CallLog
	if err := readJSON(w, r, &c); err != nil {
		s.Error(w, r, err)
		return
	}
	sent, err := s.TaskService.LogOutcome(r.Context(), id, leadID, &c)
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, &OutcomeResponse{TextSent: sent, Text: c.Text})
}

func taskPathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, beifen.Errorf(beifen.ENOTFOUND, "Task not found.")
	}
	return id, nil
}

func (s *Server) handleCallbackList(w http.ResponseWriter, r *http.Request) {
	list, err := s.TaskService.FindCallbacks(r.Context())
	if err != nil {
		s.Error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"callbacks": list})
}
