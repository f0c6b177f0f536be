package crm

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/leadfile"
	"github.com/beifen/beifen/phonenumber"
	"github.com/beifen/beifen/xlsx"
)

const (
	importBatch   = 10000   // rows checked against the store and stored at once
	progressEvery = 10000   // rows between progress reports
	rejectChunk   = 4 << 20 // rejected rows kept in memory before they go to a blob
)

// ImportLeads reads a lead file into the team: each number normalised to E.164, deduplicated
// within the file and against the team's leads, and checked against the do-not-call list. The
// file is read as a stream; memory holds one batch of rows and the hashes of the file's numbers.
func (s *Service) ImportLeads(ctx context.Context, name string, r io.Reader, progress func(rows int)) (*beifen.LeadImport, error) {
	t, err := s.teamOf(ctx, beifen.RoleAdmin, beifen.RoleManager)
	if err != nil {
		return nil, err
	}
	room, err := s.customerRoom(ctx, t.id)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(r, 4096)
	head, err := br.Peek(4096)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("read lead file: %w", err)
	}
	im := newImporter(ctx, s, t, progress)
	im.room = room
	if leadfile.Sniff(head, name) == leadfile.FormatXLSX {
		err = xlsx.DecodeLeads(br, name, s.TempDir, im.row)
	} else {
		err = leadfile.Decode(br, name, im.row)
	}
	if err = im.finish(err); err != nil {
		return nil, err
	}
	if err := s.audit(ctx, "leads.import", "import:"+im.res.ID); err != nil {
		return nil, err
	}
	s.Logger.InfoContext(ctx, "leads imported", "team_id", t.id, "rows", im.res.Rows, "imported", im.res.Imported,
		"duplicates", im.res.Duplicates, "invalid", im.res.Invalid, "dnc", im.res.DNC)
	return &im.res, nil
}

// importer checks rows in batches and writes the rejected ones out. Reading the file (with
// each number's normalising and sealing) and storing the batches run side by side: the file's
// goroutine hands full batches to a writer goroutine, which owns the store, the rejected rows
// and the counts it alone decides.
type importer struct {
	ctx      context.Context
	s        *Service
	t        *team
	progress func(rows int)
	res      beifen.LeadImport // the reader's counts: rows, invalid, duplicates within the file
	seen     map[[16]byte]bool // the file's numbers so far (half of each keyed hash: ample to tell a million apart)
	batch    []*pendingRow

	batches  chan []*pendingRow
	written  chan error
	failed   atomic.Bool       // the writer stopped on an error: stop reading
	wres     beifen.LeadImport // the writer's counts: imported, DNC, already leads, rejected
	rejected rejectWriter
	room     int // customers the plan has room for (-1: no limit); numbers the team has count too
}

// pendingRow is a row waiting for its batch to be checked.
type pendingRow struct {
	row     *beifen.LeadRow
	leads   []*beifen.Lead
	reasons []string
}

func newImporter(ctx context.Context, s *Service, t *team, progress func(int)) *importer {
	id := make([]byte, 12)
	rand.Read(id)
	im := &importer{ctx: ctx, s: s, t: t, progress: progress, seen: map[[16]byte]bool{},
		batches: make(chan []*pendingRow, 2), written: make(chan error, 1)}
	im.res.ID = hex.EncodeToString(id)
	im.rejected = rejectWriter{ctx: ctx, t: t, id: im.res.ID}
	go im.writer()
	return im
}

// writer stores the batches in file order; after an error it drains the rest unread.
func (im *importer) writer() {
	var err error
	for b := range im.batches {
		if err == nil {
			if err = im.flush(b); err != nil {
				im.failed.Store(true)
			}
		}
	}
	im.written <- err
}

// errWriterFailed stops the reader once the writer has failed; finish reports the writer's error.
var errWriterFailed = errors.New("lead import: storing failed")

// row normalises a row's numbers and queues it.
func (im *importer) row(row *beifen.LeadRow) error {
	im.res.Rows++
	if im.progress != nil && im.res.Rows%progressEvery == 0 {
		im.progress(im.res.Rows)
	}
	p := &pendingRow{row: row}
	valid := 0
	for _, raw := range row.Phones {
		e164, err := phonenumber.Normalize(raw)
		if err != nil {
			p.reasons = append(p.reasons, "not a valid phone number: "+raw)
			continue
		}
		valid++
		l := &beifen.Lead{Phone: e164, Name: row.Name, Company: row.Company, Note: row.Note}
		im.t.sealLead(l)
		key := [16]byte(l.PhoneHash)
		if im.seen[key] {
			im.res.Duplicates++
			p.reasons = append(p.reasons, "duplicate in this file: "+e164)
			continue
		}
		im.seen[key] = true
		p.leads = append(p.leads, l)
	}
	if valid == 0 { // a phone cell or line with no valid number
		im.res.Invalid++
		if len(row.Phones) == 0 {
			p.reasons = append(p.reasons, "no phone number")
		}
	}
	im.batch = append(im.batch, p)
	if len(im.batch) >= importBatch {
		if im.failed.Load() {
			return errWriterFailed
		}
		im.batches <- im.batch
		im.batch = make([]*pendingRow, 0, importBatch)
	}
	return nil
}

// flush checks a batch's numbers against the do-not-call list and the team's leads, stores the
// new ones and writes the rows that imported nothing to the rejected file.
func (im *importer) flush(batch []*pendingRow) error {
	var hashes [][]byte
	for _, p := range batch {
		for _, l := range p.leads {
			hashes = append(hashes, l.PhoneHash)
		}
	}
	dnc, err := im.hashSet(im.s.Store.DNC.FindDNC, hashes)
	if err != nil {
		return err
	}
	// Numbers the team already has are found by the insert itself (their ID stays 0), which
	// saves a look-up per number; only a plan's customer limit needs them first, since they
	// take no room.
	var have map[string]bool
	if im.room >= 0 {
		if have, err = im.hashSet(im.s.Store.Leads.FindLeadPhones, hashes); err != nil {
			return err
		}
	}
	var fresh []*beifen.Lead
	for _, p := range batch {
		p.leads = im.sortOut(p, dnc, have)
		fresh = append(fresh, p.leads...)
	}
	if err := im.s.Store.Leads.CreateLeads(im.ctx, fresh); err != nil {
		return err
	}
	for _, p := range batch {
		if err := im.settle(p); err != nil {
			return err
		}
	}
	return nil
}

func (im *importer) hashSet(find func(context.Context, [][]byte) ([][]byte, error), hashes [][]byte) (map[string]bool, error) {
	found, err := find(im.ctx, hashes)
	set := make(map[string]bool, len(found))
	for _, h := range found {
		set[string(h)] = true
	}
	return set, err
}

// sortOut drops a row's numbers that are on the do-not-call list, and new numbers beyond the
// plan's room (have: the numbers the team already has, which take none).
func (im *importer) sortOut(p *pendingRow, dnc, have map[string]bool) []*beifen.Lead {
	var keep []*beifen.Lead
	for _, l := range p.leads {
		if dnc[string(l.PhoneHash)] {
			im.wres.DNC++
			p.reasons = append(p.reasons, "on the do-not-call list: "+l.Phone)
			continue
		}
		if !have[string(l.PhoneHash)] {
			if im.room == 0 {
				p.reasons = append(p.reasons, "over the plan's customer limit: "+l.Phone)
				continue
			}
			im.room--
		}
		keep = append(keep, l)
	}
	return keep
}

// settle counts a row's stored numbers and rejects the row if it brought nothing new.
func (im *importer) settle(p *pendingRow) error {
	stored := 0
	for _, l := range p.leads {
		if l.ID != 0 {
			stored++
		} else { // the team had it already
			im.wres.Duplicates++
			p.reasons = append(p.reasons, "already a lead: "+l.Phone)
		}
	}
	im.wres.Imported += stored
	if stored > 0 || len(p.reasons) == 0 {
		return nil
	}
	im.wres.Rejected++
	return im.rejected.write(p.row, strings.Join(p.reasons, "; "))
}

// finish hands over the last batch, waits for the writer and adds up the counts. readErr is
// how reading the file ended; the writer's error wins, as it is why reading stopped.
func (im *importer) finish(readErr error) error {
	if readErr == nil && len(im.batch) > 0 {
		im.batches <- im.batch
	}
	close(im.batches)
	if err := <-im.written; err != nil {
		return err
	}
	if readErr != nil {
		return readErr
	}
	im.res.Imported, im.res.DNC, im.res.Rejected = im.wres.Imported, im.wres.DNC, im.wres.Rejected
	im.res.Duplicates += im.wres.Duplicates
	if im.progress != nil {
		im.progress(im.res.Rows)
	}
	return im.rejected.close()
}
