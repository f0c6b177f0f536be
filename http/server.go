// Package http is beifen's HTTP transport: the REST API the CLI, the web UI and phones use, and a
// Client that implements the root services over it.
package http

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/ui"
)

// ShutdownTimeout is how long Close waits for requests in flight.
const ShutdownTimeout = 10 * time.Second

// Server is the HTTP server. Set its exported fields before Open.
type Server struct {
	ln     net.Listener
	server *http.Server

	uiOnce      sync.Once
	renderer    *ui.Renderer
	latency     latencies
	uploads     sync.Map // web uploads being read: ID -> *uploadProgress
	reportLimit reportLimiter

	// Addr is the address to listen on; ":0" picks a free port (see URL after Open).
	Addr string

	AuthService   beifen.AuthService
	BackupService beifen.BackupService
	BrowseService beifen.BrowseService
	Uploader      Uploader
	Thumbnails    Thumbnailer
	Ops           Operations
	Notices       NoticeBoard
	Replies       ReplyDesk
	Remember      Rememberer
	Reports       beifen.ErrorReportService // crash and error reports from clients (clause 1.2.2b)
	// MyTransfers returns the signed-in user's transfers to third parties (clause 3.1.1).
	MyTransfers func(ctx context.Context) ([]*beifen.Transfer, error)
	// SMSWebhookToken authenticates the SMS gateway's calls to /api/v1/sms/inbound; empty: the
	// route is off.
	SMSWebhookToken string
	Sharer          Sharer
	Feed            FeedKeeper // the recommendation feed (clauses 6.1.1, 6.1.2, 3.1.2a)
	// TrustProxy takes the client's address from X-Forwarded-For, for a server behind a reverse
	// proxy that sets it (and strips what clients send).
	TrustProxy bool
	// Closing returns the platform's shutdown under way, or nil (clause 6.7).
	Closing           func(ctx context.Context) (*beifen.Closing, error)
	ThirdParties      []ThirdParty           // the published list of who receives personal data
	Retention         []beifen.RetentionRule // how long each category of personal data is kept
	LeadImportService beifen.LeadImportService
	LeadService       LeadFinder
	TaskService       TaskDialer
	Reporter          Reporter
	CallLogger        CallLogger
	Recorder          Recorder
	AuditReader       AuditReader
	AccountDeleter    AccountDeleter
	Policy            PolicyKeeper
	Consents          ConsentKeeper
	Complaints        ComplaintDesk
	Rights            RightsDesk
	ItemDeleter       ItemDeleter
	ProfileEditor     ProfileEditor
	Sessions          SessionKeeper
	Guardians         GuardianDesk
	RealNames         RealNameDesk  // real-name verification and the features it gates (clause 1.1.2)
	Emails            EmailDesk     // the account's e-mail address (clause 1.1.3); nil: the server sends no e-mail
	Unsubscriber      Unsubscriber  // marketing e-mails' unsubscribe links
	Carrier           CarrierSignIn // carrier one-click sign-in (clause 1.1.1f)
	Pushes            PushRegistry  // devices' push tokens (clause 3.1.2e)
	Plans             PlanManager   // team plans and their payment (clause 3.1.2d)
	PolicyStatus      func(ctx context.Context, lang string) (any, error)
	AuditScope        func(u *beifen.User) string
	Logger            *slog.Logger
}

// LeadFinder lists the signed-in member's leads, opened and scoped to what their role may see.
type LeadFinder interface {
	FindLeads(ctx context.Context, filter beifen.LeadFilter) ([]*beifen.Lead, int, error)

	// ExportCustomers writes the signed-in staff member's customers as vCard 3.0.
	ExportCustomers(ctx context.Context, w io.Writer) error
}

// NewServer returns a Server.
func NewServer() *Server { return &Server{} }

// Open starts listening and serving in the background.
func (s *Server) Open() (err error) {
	if s.ln, err = net.Listen("tcp", s.Addr); err != nil {
		return err
	}
	s.server = &http.Server{
		Handler:           s.routes(),
		ReadHeaderTimeout: 30 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.Logger.Handler(), slog.LevelWarn),
	}
	go s.server.Serve(s.ln)
	return nil
}

// Close stops the server, waiting a while for requests in flight.
func (s *Server) Close() error {
	if s.server == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
	defer cancel()
	return s.server.Shutdown(ctx)
}

// URL returns the server's base URL.
func (s *Server) URL() string {
	if s.ln == nil {
		return ""
	}
	return "http://" + s.ln.Addr().String()
}

// codes maps application error codes to HTTP statuses.
var codes = map[string]int{
	beifen.ECONFLICT:     http.StatusConflict,
	beifen.EINVALID:      http.StatusBadRequest,
	beifen.ENOTFOUND:     http.StatusNotFound,
	beifen.EUNAUTHORIZED: http.StatusUnauthorized,
	beifen.EFORBIDDEN:    http.StatusForbidden,
	beifen.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	beifen.ETOOMANY:      http.StatusTooManyRequests,
	beifen.EINTERNAL:     http.StatusInternalServerError,
	beifen.EREALNAME:     http.StatusForbidden,
}

// ErrorStatusCode returns the HTTP status of an application error code.
func ErrorStatusCode(code string) int {
	if v, ok := codes[code]; ok {
		return v
	}
	return http.StatusInternalServerError
}

// FromErrorStatusCode returns the application error code of an HTTP status.
// A status several codes share (403: forbidden, real name required) maps back to the general
// one; the client reads the exact code from the error body.
func FromErrorStatusCode(status int) string {
	for k, v := range codes {
		if v == status && k != beifen.EREALNAME {
			return k
		}
	}
	return beifen.EINTERNAL
}

// ErrorResponse is the JSON body of every error.
type ErrorResponse struct {
	Error string `json:"error"`
	Code  string `json:"code"`
}

// Error writes err to the client; only internal errors are logged, with their full chain, and
// the client sees "Internal error." for them.
func (s *Server) Error(w http.ResponseWriter, r *http.Request, err error) {
	code, msg := beifen.ErrorCode(err), beifen.ErrorMessage(err)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		code, msg = beifen.ETOOLARGE, "Request body too large."
	}
	if code == beifen.EINTERNAL {
		s.Logger.ErrorContext(r.Context(), "internal error", "method", r.Method, "route", r.Pattern,
			"user_id", beifen.UserIDFromContext(r.Context()), "err", err)
	}
	writeJSON(w, ErrorStatusCode(code), &ErrorResponse{Error: msg, Code: code})
}
