package main

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/audit"
)

// Transfer on a merger, acquisition or sale of assets (clause 3.2): every user is told who the
// successor is, when, and whether it keeps this policy or will ask for their consent again;
// they have at least transferNoticeDays to download or delete their data; then the operator
// hands over one signed, verifiable archive of the platform.

const transferUsage = `Usage: beifen transfer notice --data DIR [--db URL] --to NAME --date YYYY-MM-DD (--bound | --policy-version V)
       beifen transfer export --data DIR [--db URL] --out FILE
       beifen transfer verify --key VERIFIER-KEY FILE
       beifen transfer status --data DIR [--db URL]

Transfers the platform to a successor on a merger, acquisition or sale of assets (clause 3.2).

notice  texts every user and puts a notice in their notification centre: who the successor is,
        the date (at least 30 days ahead), and either that the successor is bound by the
        privacy policy in force (--bound) or that it will ask for their consent again: policy
        version V (published with "beifen policy publish --material", in effect on the date)
        must be accepted before anything else works. Until the date users can download and
        delete their data as always.
export  once the date has come, writes one zip: every account's data as "download my data"
        gives it (account, consents, accepted policies, complaints, sessions, audit entries,
        every backup), the policy versions, the teams, the whole audit log with its signed
        checkpoint, the transfer record, and manifest.json (size and SHA-256 of every member),
        signed in manifest.sig with the audit log's key. It prints the verifier key: hand it
        to the successor separately from the file.
verify  checks an export with that key: the signature, every member's hash, no member added or
        missing, and that the audit log rebuilds the tree its checkpoint signs.
status  prints the transfer under way, if any.

EXIT STATUS: 0 on success, 1 on failure (for verify: the archive does not check), 2 on bad flags.

Options:
`

// transferNoticeDays is how long users have between the notice and the transfer.
const transferNoticeDays = 30

// transferSetting keeps the transfer under way.
const transferSetting = "transfer"

// Transfer is the transfer under way.
type Transfer struct {
	To            string    `json:"to"`
	Date          time.Time `json:"date"`
	Bound         bool      `json:"bound_by_policy"`
	PolicyVersion string    `json:"policy_version,omitempty"` // to be accepted again when not bound
	NoticeAt      time.Time `json:"notice_at"`
	Notified      int       `json:"notified"`
}

func runTransfer(ctx context.Context, args []string, getenv Env, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, transferUsage)
		return errUsage
	}
	fs := newFlagSet("transfer "+args[0], transferUsage, stderr)
	switch args[0] {
	case "verify":
		key := fs.String("key", "", "the verifier key the export command printed")
		if err := parse(fs, args[1:]); err != nil {
			return err
		}
		if *key == "" || fs.NArg() != 1 {
			fmt.Fprint(stderr, transferUsage)
			return errUsage
		}
		sum, err := verifyPlatformExport(fs.Arg(0), *key)
		if err != nil {
			return fmt.Errorf("%s does not check: %w", fs.Arg(0), err)
		}
		fmt.Fprintf(stdout, "OK: %d members, %d accounts, an audit log of %d entries that matches its signed checkpoint\n",
			sum.members, sum.accounts, sum.auditEntries)
		return nil
	case "notice", "export", "status":
	default:
		fmt.Fprint(stderr, transferUsage)
		return errUsage
	}
	cfg := serverConfig(fs, getenv)
	to := fs.String("to", "", "the successor's name")
	date := fs.String("date", "", "the transfer date, YYYY-MM-DD (China time)")
	bound := fs.Bool("bound", false, "the successor is bound by the privacy policy in force")
	version := fs.String("policy-version", "", "the successor's policy `version`, to be accepted again")
	out := fs.String("out", "", "the export `file`")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	m, err := openQuiet(cfg, stderr)
	if err != nil {
		return err
	}
	defer m.Close()
	switch args[0] {
	case "status":
		t, err := m.transferState(ctx)
		if err != nil {
			return err
		}
		if t == nil {
			fmt.Fprintln(stdout, "no transfer")
			return nil
		}
		return json.NewEncoder(stdout).Encode(t)
	case "notice":
		day, err := time.ParseInLocation("2006-01-02", *date, opsZone)
		if err != nil || strings.TrimSpace(*to) == "" || *bound == (*version != "") {
			fmt.Fprint(stderr, transferUsage)
			return errUsage
		}
		t, err := m.NoticeTransfer(ctx, &Transfer{To: strings.TrimSpace(*to), Date: day.UTC(), Bound: *bound, PolicyVersion: *version})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "transfer to %s on %s: %d users notified\n", t.To, t.Date.In(opsZone).Format("2006-01-02"), t.Notified)
		return nil
	default:
		if *out == "" {
			fmt.Fprint(stderr, transferUsage)
			return errUsage
		}
		sum, err := m.ExportPlatform(ctx, *out, stderr)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s: %d accounts, %d members, SHA-256 %s\nverifier key: %s\n",
			*out, sum.accounts, sum.members, sum.sha256, m.Audit.VerifierKey())
		return nil
	}
}

func (m *Main) transferState(ctx context.Context) (*Transfer, error) {
	b, err := m.Store.Settings.GetSetting(ctx, transferSetting)
	if beifen.ErrorCode(err) == beifen.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	var t Transfer
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, fmt.Errorf("transfer setting: %w", err)
	}
	return &t, nil
}

// NoticeTransfer records the transfer and notifies every user (in the app and by text).
func (m *Main) NoticeTransfer(ctx context.Context, t *Transfer) (*Transfer, error) {
	if t.Date.Before(time.Now().Add(transferNoticeDays * 24 * time.Hour).Add(-24 * time.Hour)) {
		return nil, beifen.Errorf(beifen.EINVALID, "The transfer must be at least %d days after the notice, so users can download or delete their data first.", transferNoticeDays)
	}
	if len([]rune(t.To)) > 100 {
		return nil, beifen.Errorf(beifen.EINVALID, "The successor's name is too long (at most 100 characters).")
	}
	title := "业务转让通知"
	day := t.Date.In(opsZone).Format("2006年1月2日")
	body := fmt.Sprintf("因合并、收购或资产转让，手机备份将于%s转由「%s」运营，您的个人信息将随之转移。", day, t.To)
	if t.Bound {
		body += "「" + t.To + "」将继续受本隐私政策约束，以不低于本政策的标准保护您的个人信息。"
	} else {
		docs, err := m.Store.Policies.FindPolicies(ctx)
		if err != nil {
			return nil, err
		}
		ok := false
		for _, d := range docs {
			if d.Version == t.PolicyVersion && d.Material && !d.EffectiveAt.After(t.Date) {
				ok = true
			}
		}
		if !ok {
			return nil, beifen.Errorf(beifen.EINVALID, "Policy version %q is not published as a material version in effect by the transfer date: publish it with \"beifen policy publish --material\" first.", t.PolicyVersion)
		}
		body += "「" + t.To + "」将请您重新阅读并同意其隐私政策（版本 " + t.PolicyVersion + "），同意前不会继续处理您的数据。"
	}
	body += "如不同意，您可在此之前在“隐私中心”下载并删除您的数据。"
	n, err := m.Support.SendNotice(ctx, "service", title, body)
	if err != nil {
		return nil, err
	}
	t.NoticeAt, t.Notified = time.Now().UTC(), n
	b, _ := json.Marshal(t)
	if err := m.Store.Settings.PutSetting(ctx, transferSetting, b); err != nil {
		return nil, err
	}
	if err := m.Audit.AuditPlatform(ctx, "transfer.notice", "accounts:"+strconv.Itoa(n)); err != nil {
		return nil, err
	}
	m.Logger.InfoContext(ctx, "transfer notice sent", "notified", n)
	return t, nil
}

// exportSummary says what an export holds.
type exportSummary struct {
	accounts, members int
	auditEntries      int64
	sha256            string
}

// manifestEntry is one member of a platform export.
type manifestEntry struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// exportManifest lists a platform export.
type exportManifest struct {
	Format      string          `json:"format"`
	CreatedAt   time.Time       `json:"created_at"`
	Transfer    *Transfer       `json:"transfer"`
	Accounts    int             `json:"accounts"`
	AuditKey    string          `json:"audit_verifier_key"`
	Members     []manifestEntry `json:"members"`
	AuditLog    string          `json:"audit_log"`
	AuditSigned string          `json:"audit_checkpoint"`
}

const exportFormat = "beifen-platform-export-1"

// auditCopy is an audit entry as the export holds it: every field the tree hashes.
type auditCopy struct {
	ID      int64     `json:"id"`
	Leaf    int64     `json:"leaf"`
	Scope   string    `json:"scope"`
	ActorID int64     `json:"actor_id"`
	Action  string    `json:"action"`
	Object  string    `json:"object"`
	At      time.Time `json:"at"`
	Prev    string    `json:"prev"`
	Hash    string    `json:"hash"`
}

// ExportPlatform writes the platform export to path: first every member into a temporary zip,
// then the members copied as they are (not compressed again) into the final one with the
// manifest of their hashes and its signature.
// Progress (accounts written) goes to progress when it is a terminal.
func (m *Main) ExportPlatform(ctx context.Context, path string, progress io.Writer) (*exportSummary, error) {
	t, err := m.transferState(ctx)
	if err != nil {
		return nil, err
	}
	if t == nil {
		return nil, beifen.Errorf(beifen.ECONFLICT, "No transfer was announced: run \"beifen transfer notice\" first.")
	}
	if time.Now().Before(t.Date) {
		return nil, beifen.Errorf(beifen.ECONFLICT, "The transfer date %s has not come: until then users may still download or delete their data.",
			t.Date.In(opsZone).Format("2006-01-02"))
	}
	sum := &exportSummary{}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".platform-export-*.zip")
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	zw := zip.NewWriter(tmp)
	writeJSON := func(name string, v any) error {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: time.Now()})
		if err != nil {
			return err
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(v)
	}
	h := m.newHTTPServer()
	// The bar counts the accounts the export walks: erased ones (tombstones) are not among them.
	total := 0
	if err := beifen.EachAccount(ctx, m.Store.Users, func(*beifen.User) error { total++; return nil }); err != nil {
		return nil, err
	}
	bar := newCountProgress(progress, "accounts", int64(total))
	defer bar.Finish()
	err = beifen.EachAccount(ctx, m.Store.Users, func(u *beifen.User) error {
		if err := m.Auth.OpenProfile(u); err != nil {
			return err
		}
		sum.accounts++
		bar.Add(1)
		return h.WriteAccountExport(beifen.NewContextWithUser(ctx, u), zw, fmt.Sprintf("accounts/%d/", u.ID))
	})
	if err != nil {
		return nil, fmt.Errorf("export accounts: %w", err)
	}
	policies, err := m.Store.Policies.FindPolicies(ctx)
	if err != nil {
		return nil, err
	}
	teams, err := m.Store.Teams.FindTeams(ctx)
	if err != nil {
		return nil, err
	}
	type teamCopy struct {
		ID        int64     `json:"id"`
		Name      string    `json:"name"`
		CreatedAt time.Time `json:"created_at"`
	}
	var teamList []teamCopy
	for _, tm := range teams {
		teamList = append(teamList, teamCopy{ID: tm.ID, Name: tm.Name, CreatedAt: tm.CreatedAt})
	}
	if err := writeJSON("policies.json", policies); err != nil {
		return nil, err
	}
	if err := writeJSON("teams.json", teamList); err != nil {
		return nil, err
	}
	if err := writeJSON("transfer.json", t); err != nil {
		return nil, err
	}
	// The audit log, then its newest checkpoint: read after the log, it covers at least
	// every entry written (an append in between is in the file with a larger checkpoint,
	// so the check below reads the checkpoint first and the entries after).
	checkpoint, err := m.Audit.Checkpoint(ctx)
	if err != nil {
		return nil, err
	}
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "audit/entries.ndjson", Method: zip.Deflate, Modified: time.Now()})
	if err != nil {
		return nil, err
	}
	enc := json.NewEncoder(w)
	err = m.Store.Audit.ScanAuditLog(ctx, func(e *beifen.AuditEvent) error {
		sum.auditEntries++
		return enc.Encode(auditCopy{ID: e.ID, Leaf: e.Leaf, Scope: e.Scope, ActorID: e.ActorID, Action: e.Action,
			Object: e.Object, At: e.At, Prev: hex.EncodeToString(e.Prev), Hash: hex.EncodeToString(e.Hash)})
	})
	if err != nil {
		return nil, err
	}
	if w, err = zw.Create("audit/checkpoint"); err != nil {
		return nil, err
	}
	if _, err := w.Write(checkpoint); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}

	// Second pass: hash each member and copy it into the final archive.
	zr, err := zip.OpenReader(tmp.Name())
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	final, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, err
	}
	defer final.Close()
	hw := sha256.New()
	fw := zip.NewWriter(io.MultiWriter(final, hw))
	man := &exportManifest{Format: exportFormat, CreatedAt: time.Now().UTC(), Transfer: t, Accounts: sum.accounts,
		AuditKey: m.Audit.VerifierKey(), AuditLog: "audit/entries.ndjson", AuditSigned: "audit/checkpoint"}
	for _, f := range zr.File {
		sha, size, err := hashMember(f)
		if err != nil {
			return nil, err
		}
		if err := fw.Copy(f); err != nil {
			return nil, err
		}
		man.Members = append(man.Members, manifestEntry{Name: f.Name, Size: size, SHA256: sha})
	}
	manifest, err := json.MarshalIndent(man, "", "  ")
	if err != nil {
		return nil, err
	}
	digest := sha256.Sum256(manifest)
	sig, err := m.Audit.SignStatement(exportFormat + " " + hex.EncodeToString(digest[:]))
	if err != nil {
		return nil, err
	}
	for _, part := range []struct {
		name string
		b    []byte
	}{{"manifest.json", manifest}, {"manifest.sig", sig}} {
		w, err := fw.CreateHeader(&zip.FileHeader{Name: part.name, Method: zip.Deflate, Modified: time.Now()})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(part.b); err != nil {
			return nil, err
		}
	}
	if err := fw.Close(); err != nil {
		return nil, err
	}
	if err := final.Sync(); err != nil {
		return nil, err
	}
	sum.members = len(man.Members)
	sum.sha256 = hex.EncodeToString(hw.Sum(nil))
	if err := m.Audit.AuditPlatform(ctx, "transfer.export", "accounts:"+strconv.Itoa(sum.accounts)); err != nil {
		return nil, err
	}
	m.Logger.InfoContext(ctx, "platform export written", "accounts", sum.accounts, "members", sum.members)
	return sum, nil
}

// hashMember returns the SHA-256 and size of a zip member's content.
func hashMember(f *zip.File) (string, int64, error) {
	rc, err := f.Open()
	if err != nil {
		return "", 0, err
	}
	defer rc.Close()
	h := sha256.New()
	n, err := io.Copy(h, rc)
	if err != nil {
		return "", 0, fmt.Errorf("%s: %w", f.Name, err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// verifyPlatformExport checks a platform export against the verifier key.
func verifyPlatformExport(path, key string) (*exportSummary, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	members := map[string]*zip.File{}
	for _, f := range zr.File {
		if members[f.Name] != nil {
			return nil, fmt.Errorf("member %s appears twice", f.Name)
		}
		members[f.Name] = f
	}
	read := func(name string, limit int64) ([]byte, error) {
		f := members[name]
		if f == nil {
			return nil, fmt.Errorf("%s is missing", name)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		defer rc.Close()
		b, err := io.ReadAll(io.LimitReader(rc, limit+1))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if int64(len(b)) > limit {
			return nil, fmt.Errorf("%s is larger than %d bytes", name, limit)
		}
		return b, nil
	}
	manifest, err := read("manifest.json", 256<<20)
	if err != nil {
		return nil, err
	}
	sig, err := read("manifest.sig", 64<<10)
	if err != nil {
		return nil, err
	}
	text, err := audit.OpenStatement(sig, key)
	if err != nil {
		return nil, fmt.Errorf("manifest.sig: %w", err)
	}
	digest := sha256.Sum256(manifest)
	if text != exportFormat+" "+hex.EncodeToString(digest[:]) {
		return nil, errors.New("manifest.json is not the manifest manifest.sig signs")
	}
	var man exportManifest
	if err := json.Unmarshal(manifest, &man); err != nil {
		return nil, fmt.Errorf("manifest.json: %w", err)
	}
	listed := map[string]bool{"manifest.json": true, "manifest.sig": true}
	for _, e := range man.Members {
		listed[e.Name] = true
		f := members[e.Name]
		if f == nil {
			return nil, fmt.Errorf("member %s is missing", e.Name)
		}
		sha, size, err := hashMember(f)
		if err != nil {
			return nil, err
		}
		if sha != e.SHA256 || size != e.Size {
			return nil, fmt.Errorf("member %s was changed: its SHA-256 is not the manifest's", e.Name)
		}
	}
	for name := range members {
		if !listed[name] {
			return nil, fmt.Errorf("member %s is not in the manifest", name)
		}
	}
	// The audit log rebuilds the tree its checkpoint signs.
	checkpoint, err := read(man.AuditSigned, 64<<10)
	if err != nil {
		return nil, err
	}
	raw, err := read(man.AuditLog, 4<<30)
	if err != nil {
		return nil, err
	}
	var entries []*beifen.AuditEvent
	dec := json.NewDecoder(bytes.NewReader(raw))
	for dec.More() {
		var c auditCopy
		if err := dec.Decode(&c); err != nil {
			return nil, fmt.Errorf("%s: %w", man.AuditLog, err)
		}
		e := &beifen.AuditEvent{ID: c.ID, Leaf: c.Leaf, Scope: c.Scope, ActorID: c.ActorID, Action: c.Action, Object: c.Object, At: c.At}
		if e.Prev, err = hex.DecodeString(c.Prev); err == nil {
			e.Hash, err = hex.DecodeString(c.Hash)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: entry %d: %w", man.AuditLog, c.ID, err)
		}
		entries = append(entries, e)
	}
	if _, err := audit.CheckCopy(entries, checkpoint, key); err != nil {
		return nil, fmt.Errorf("%s: %w", man.AuditLog, err)
	}
	return &exportSummary{accounts: man.Accounts, members: len(man.Members), auditEntries: int64(len(entries))}, nil
}
