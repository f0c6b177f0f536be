package http

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/beifen/beifen"
)

// Client talks to a beifen server. It implements the root services over REST, for the CLI and
// for end-to-end tests.
type Client struct {
	URL   string
	Token string
	HTTP  *http.Client
}

// NewClient returns a Client for the server at u.
func NewClient(u, token string) *Client {
	return &Client{URL: strings.TrimSuffix(u, "/"), Token: token, HTTP: &http.Client{}}
}

// newRequest builds a signed-in request.
func (c *Client) newRequest(ctx context.Context, method, path string, body io.Reader) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.URL+path, body)
	if err != nil {
		return nil, err
	}
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	req.Header.Set("User-Agent", "beifen/"+beifen.Version)
	return req, nil
}

// do sends req and returns the response, or the server's error as an application error.
func (c *Client) do(req *http.Request) (*http.Response, error) {
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode < 300 || resp.StatusCode == http.StatusNotModified {
		return resp, nil
	}
	defer resp.Body.Close()
	if req.Method == http.MethodHead { // no body to carry the message
		return nil, beifen.Errorf(FromErrorStatusCode(resp.StatusCode), "%s.", http.StatusText(resp.StatusCode))
	}
	var e ErrorResponse
	if err := json.NewDecoder(resp.Body).Decode(&e); err != nil || e.Error == "" {
		return nil, fmt.Errorf("%s %s: HTTP %d", req.Method, req.URL.Path, resp.StatusCode)
	}
	code := FromErrorStatusCode(resp.StatusCode)
	if codes[e.Code] == resp.StatusCode {
		code = e.Code
	}
	return nil, beifen.Errorf(code, "%s", e.Error)
}

// call sends in (if not nil) as JSON and decodes the response into out (if not nil).
func (c *Client) call(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := c.newRequest(ctx, method, path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if out == nil {
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("decode %s response: %w", path, err)
	}
	return nil
}

// RequestCode asks the server to text a sign-in code.
func (c *Client) RequestCode(ctx context.Context, phone string) error {
	return c.call(ctx, "POST", "/api/v1/auth/code", &SignInRequest{Phone: phone}, nil)
}

// SignIn exchanges a code for a token.
func (c *Client) SignIn(ctx context.Context, phone, code, kind string) (*beifen.User, string, error) {
	var resp SignInResponse
	err := c.call(ctx, "POST", "/api/v1/auth/signin", &SignInRequest{Phone: phone, Code: code, Kind: kind}, &resp)
	return resp.User, resp.Token, err
}

// SignInWithPassword exchanges a password for a token.
func (c *Client) SignInWithPassword(ctx context.Context, phone, password, kind string) (*beifen.User, string, error) {
	var resp SignInResponse
	err := c.call(ctx, "POST", "/api/v1/auth/password", &SignInRequest{Phone: phone, Password: password, Kind: kind}, &resp)
	return resp.User, resp.Token, err
}

// MissingFiles asks which contents the server needs.
func (c *Client) MissingFiles(ctx context.Context, hashes []beifen.BlobKey) ([]beifen.BlobKey, error) {
	var resp CheckResponse
	err := c.call(ctx, "POST", "/api/v1/uploads/check", &CheckRequest{Hashes: hashes}, &resp)
	return resp.Missing, err
}

// UploadedParts asks which parts of a file have arrived.
func (c *Client) UploadedParts(ctx context.Context, hash beifen.BlobKey, size int64) ([]int, error) {
	var resp PartsResponse
	err := c.call(ctx, "GET", "/api/v1/uploads/"+string(hash)+"?size="+strconv.FormatInt(size, 10), nil, &resp)
	return resp.Parts, err
}

// UploadPart sends one part of a file.
func (c *Client) UploadPart(ctx context.Context, hash beifen.BlobKey, size int64, n int, name string, r io.Reader) (*beifen.UploadResult, error) {
	q := url.Values{"size": {strconv.FormatInt(size, 10)}, "part": {strconv.Itoa(n)}}
	length := min(beifen.UploadPartSize, size-int64(n)*beifen.UploadPartSize)
	return c.upload(ctx, "/api/v1/uploads/"+string(hash)+"?"+q.Encode(), length, name, r)
}

// UploadFragment sends one item-aligned chunk of a large export.
func (c *Client) UploadFragment(ctx context.Context, hash beifen.BlobKey, size int64, name string, line int, r io.Reader) (*beifen.UploadResult, error) {
	q := url.Values{"size": {strconv.FormatInt(size, 10)}, "line": {strconv.Itoa(line)}}
	return c.upload(ctx, "/api/v1/fragments/"+string(hash)+"?"+q.Encode(), size, name, r)
}

func (c *Client) upload(ctx context.Context, path string, length int64, name string, r io.Reader) (*beifen.UploadResult, error) {
	var res beifen.UploadResult
	return &res, c.sendFile(ctx, "PUT", path, length, name, r, &res)
}

// sendFile sends r (length bytes; -1: unknown) with the file's name, and decodes the JSON
// answer into out.
func (c *Client) sendFile(ctx context.Context, method, path string, length int64, name string, r io.Reader, out any) error {
	req, err := c.newRequest(ctx, method, path, r)
	if err != nil {
		return err
	}
	req.ContentLength = length
	if length == 0 {
		req.Body = http.NoBody
	}
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set(NameHeader, url.PathEscape(name))
	resp, err := c.do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("decode %s response: %w", path, err)
	}
	return nil
}

// CommitBackup creates a snapshot of these files.
func (c *Client) CommitBackup(ctx context.Context, files []*beifen.File) (*beifen.Snapshot, error) {
	var sn beifen.Snapshot
	err := c.call(ctx, "POST", "/api/v1/snapshots", &CommitRequest{Files: files}, &sn)
	return &sn, err
}

// FindSnapshots lists snapshots, newest first.
func (c *Client) FindSnapshots(ctx context.Context, f beifen.SnapshotFilter) ([]*beifen.Snapshot, int, error) {
	q := url.Values{}
	if f.ID != nil {
		q.Set("id", strconv.FormatInt(*f.ID, 10))
	}
	if f.Offset != 0 {
		q.Set("offset", strconv.Itoa(f.Offset))
	}
	if f.Limit != 0 {
		q.Set("limit", strconv.Itoa(f.Limit))
	}
	path := "/api/v1/snapshots"
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	var resp SnapshotsResponse
	err := c.call(ctx, "GET", path, nil, &resp)
	return resp.Snapshots, resp.Total, err
}

// FindSnapshotByID returns one snapshot.
func (c *Client) FindSnapshotByID(ctx context.Context, id int64) (*beifen.Snapshot, error) {
	return c.FindSnapshot(ctx, strconv.FormatInt(id, 10))
}

// FindSnapshot returns a snapshot by ID or "latest".
func (c *Client) FindSnapshot(ctx context.Context, ref string) (*beifen.Snapshot, error) {
	var sn beifen.Snapshot
	err := c.call(ctx, "GET", "/api/v1/snapshots/"+url.PathEscape(ref), nil, &sn)
	return &sn, err
}

// DiffSnapshots says what changed from a to b.
func (c *Client) DiffSnapshots(ctx context.Context, a, b int64) (*beifen.SnapshotDiff, error) {
	var d beifen.SnapshotDiff
	err := c.call(ctx, "GET", fmt.Sprintf("/api/v1/snapshots/%d/diff/%d", a, b), nil, &d)
	return &d, err
}

// ExportContacts downloads the snapshot's contacts.vcf.
func (c *Client) ExportContacts(ctx context.Context, id int64, w io.Writer) error {
	return c.download(ctx, id, "contacts.vcf", w)
}

// ExportMessages downloads the snapshot's sms.xml.
func (c *Client) ExportMessages(ctx context.Context, id int64, w io.Writer) error {
	return c.download(ctx, id, "sms.xml", w)
}

// ExportCalls downloads the snapshot's calls.xml.
func (c *Client) ExportCalls(ctx context.Context, id int64, w io.Writer) error {
	return c.download(ctx, id, "calls.xml", w)
}

func (c *Client) download(ctx context.Context, id int64, name string, w io.Writer) error {
	req, err := c.newRequest(ctx, "GET", fmt.Sprintf("/api/v1/snapshots/%d/%s", id, name), nil)
	if err != nil {
		return err
	}
	resp, err := c.do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(w, resp.Body); err != nil {
		return fmt.Errorf("download %s: %w", name, err)
	}
	if resp.Trailer.Get(CompleteTrailer) != "1" {
		return fmt.Errorf("download %s: the server stopped before the end", name)
	}
	return nil
}

// SnapshotFiles lists a snapshot's files.
func (c *Client) SnapshotFiles(ctx context.Context, id int64) ([]*beifen.File, error) {
	var resp FilesResponse
	err := c.call(ctx, "GET", fmt.Sprintf("/api/v1/snapshots/%d/files", id), nil, &resp)
	return resp.Files, err
}

// StatFile is not needed by clients: OpenFile's response carries the size.
func (c *Client) StatFile(ctx context.Context, hash beifen.BlobKey) (int64, error) {
	req, err := c.newRequest(ctx, "HEAD", "/api/v1/files/"+string(hash), nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.ContentLength, nil
}

// OpenFile downloads a file's content, or a range of it.
func (c *Client) OpenFile(ctx context.Context, hash beifen.BlobKey, offset, length int64) (io.ReadCloser, error) {
	req, err := c.newRequest(ctx, "GET", "/api/v1/files/"+string(hash), nil)
	if err != nil {
		return nil, err
	}
	if offset > 0 || length >= 0 {
		end := ""
		if length >= 0 {
			end = strconv.FormatInt(offset+length-1, 10)
		}
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-%s", offset, end))
	}
	resp, err := c.do(req)
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

var _ beifen.BackupService = (*Client)(nil)

// ImportLeads uploads a lead file of size bytes.
func (c *Client) ImportLeads(ctx context.Context, name string, size int64, r io.Reader) (*beifen.LeadImport, error) {
	var res beifen.LeadImport
	return &res, c.sendFile(ctx, "POST", "/api/v1/leads/import", size, name, r, &res)
}

// RejectedRows downloads an import's rejected rows as CSV.
func (c *Client) RejectedRows(ctx context.Context, id string, w io.Writer) error {
	req, err := c.newRequest(ctx, "GET", "/api/v1/leads/imports/"+url.PathEscape(id)+"/rejected.csv", nil)
	if err != nil {
		return err
	}
	resp, err := c.do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(w, resp.Body)
	return err
}

// FindLeads lists the member's leads.
func (c *Client) FindLeads(ctx context.Context, f beifen.LeadFilter) ([]*beifen.Lead, int, error) {
	var resp LeadsResponse
	err := c.call(ctx, "GET", "/api/v1/leads", nil, &resp)
	return resp.Leads, resp.Total, err
}

// CreateTask creates a dial task.
func (c *Client) CreateTask(ctx context.Context, req *beifen.TaskRequest) (*beifen.Task, error) {
	var t beifen.Task
	err := c.call(ctx, "POST", "/api/v1/tasks", req, &t)
	return &t, err
}

// NextLead asks for the next lead of a task; nil when nothing is left to call.
func (c *Client) NextLead(ctx context.Context, taskID int64) (*beifen.Dispatch, error) {
	req, err := c.newRequest(ctx, "POST", fmt.Sprintf("/api/v1/tasks/%d/next", taskID), nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNoContent {
		return nil, nil
	}
	var d beifen.Dispatch
	if err := json.NewDecoder(resp.Body).Decode(&d); err != nil {
		return nil, fmt.Errorf("decode next lead: %w", err)
	}
	return &d, nil
}

// LogOutcome logs how a call went and reports whether the server sent an after-call text; with
// log.ViaPhone, log.Text is set to the text for the phone to send, if there is one.
func (c *Client) LogOutcome(ctx context.Context, taskID, leadID int64, log *beifen.CallLog) (bool, error) {
	var resp OutcomeResponse
	err := c.call(ctx, "POST", fmt.Sprintf("/api/v1/tasks/%d/leads/%d/outcome", taskID, leadID), log, &resp)
	log.Text = resp.Text
	return resp.TextSent, err
}

// PutTemplate sets the team's after-call text for an outcome.
func (c *Client) PutTemplate(ctx context.Context, t *beifen.SMSTemplate) error {
	return c.call(ctx, "PUT", "/api/v1/sms/templates/"+string(t.Outcome), t, nil)
}

// HandleReply passes on a customer's reply and reports whether it was an opt-out.
func (c *Client) HandleReply(ctx context.Context, from, body string) (bool, error) {
	var resp ReplyResponse
	err := c.call(ctx, "POST", "/api/v1/sms/replies", &ReplyRequest{From: from, Body: body}, &resp)
	return resp.OptOut, err
}

// Report downloads a task report: format is "csv" or "xlsx".
func (c *Client) Report(ctx context.Context, taskID int64, format string, w io.Writer) error {
	req, err := c.newRequest(ctx, "GET", fmt.Sprintf("/api/v1/tasks/%d/report.%s", taskID, format), nil)
	if err != nil {
		return err
	}
	resp, err := c.do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, err = io.Copy(w, resp.Body)
	return err
}

// ReportRows returns a task report as rows.
func (c *Client) ReportRows(ctx context.Context, taskID int64) ([]*beifen.ReportRow, error) {
	var resp ReportResponse
	err := c.call(ctx, "GET", fmt.Sprintf("/api/v1/tasks/%d/report", taskID), nil, &resp)
	return resp.Rows, err
}

// UploadCalls sends a phone's call log.
func (c *Client) UploadCalls(ctx context.Context, name string, r io.Reader) (*beifen.CallUpload, error) {
	var res beifen.CallUpload
	return &res, c.sendFile(ctx, "POST", "/api/v1/calls", -1, name, r, &res)
}

// Timeline returns a lead's timeline.
func (c *Client) Timeline(ctx context.Context, leadID int64) (*beifen.Timeline, error) {
	var tl beifen.Timeline
	err := c.call(ctx, "GET", fmt.Sprintf("/api/v1/leads/%d/timeline", leadID), nil, &tl)
	return &tl, err
}
