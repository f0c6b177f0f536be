package crm

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/phonenumber"
	"github.com/beifen/beifen/sbr"
	"github.com/beifen/beifen/smsie"
)

// UploadCalls stores a staff phone's call log (SMS Backup & Restore calls XML, or SMS
// Import/Export calls JSON), matching each call to the team's lead with the same number. The
// same rows uploaded again change nothing, so a phone can send its whole log every day.
func (s *Service) UploadCalls(ctx context.Context, name string, r io.Reader) (*beifen.CallUpload, error) {
	t, err := s.teamOf(ctx)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(r, 4096)
	head, err := br.Peek(4096)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("read call log: %w", err)
	}
	sink := &callSink{ctx: ctx, s: s, t: t, staff: beifen.UserFromContext(ctx).ID}
	switch {
	case sbr.Sniff(head) == beifen.FormatSBRCalls:
		err = sbr.Decode(br, name, sink)
	case smsie.Sniff(name, head) == beifen.FormatSMSIECalls:
		err = smsie.DecodeJSON(br, name, sink)
	default:
		return nil, beifen.Errorf(beifen.EINVALID, "%s is not a call log (SMS Backup & Restore calls XML or SMS Import/Export calls JSON).", name)
	}
	if err == nil {
		err = sink.flush()
	}
	if err != nil {
		return nil, err
	}
	s.Logger.InfoContext(ctx, "call log uploaded", "team_id", t.id, "user_id", sink.staff, "calls", sink.res.Calls, "new", sink.res.New)
	return &sink.res, nil
}

// callSink turns the calls of a phone export into the team's phone calls.
type callSink struct {
	ctx   context.Context
	s     *Service
	t     *team
	staff int64
	batch []*beifen.PhoneCall
	res   beifen.CallUpload
}

func (k *callSink) Call(c *beifen.Call) error {
	k.res.Calls++
	e164, err := phonenumber.Normalize(c.Number())
	if err != nil || c.Date() == 0 {
		k.res.Skipped++
		return nil
	}
	attrs, _ := json.Marshal(c.Attrs)
	pc := &beifen.PhoneCall{StaffID: k.staff, PhoneHash: k.t.phoneHash(e164), Type: c.Attrs.Value("type"),
		Date: time.UnixMilli(c.Date()).UTC()}
	pc.Duration, _ = strconv.Atoi(c.Attrs.Value("duration"))
	pc.Sealed = k.t.keys.Seal(k.t.callAAD(pc.PhoneHash), attrs)
	k.batch = append(k.batch, pc)
	if len(k.batch) >= 1000 {
		return k.flush()
	}
	return nil
}

func (k *callSink) flush() error {
	n, err := k.s.Store.Calls.AddPhoneCalls(k.ctx, k.batch)
	k.res.New += n
	for _, c := range k.batch {
		if c.ID != 0 && c.LeadID != 0 {
			k.res.Matched++
		}
	}
	k.batch = k.batch[:0]
	return err
}

func (k *callSink) Contact(*beifen.Contact) error { k.res.Skipped++; return nil }
func (k *callSink) Message(*beifen.Message) error { k.res.Skipped++; return nil }
func (k *callSink) Skip(*beifen.ParseError)       { k.res.Skipped++ }
func (k *callSink) PutBlob(r io.Reader) (beifen.BlobRef, error) {
	_, err := io.Copy(io.Discard, r)
	return beifen.BlobRef{}, err
}

func (t *team) callAAD(phoneHash []byte) []byte {
	return append([]byte(fmt.Sprintf("beifen phone call\x00team=%d\x00", t.id)), phoneHash...)
}

// Timeline returns what happened with a lead, oldest first: the calls the team's phones logged
// with its number. Staff see only their own customers' timelines.
func (s *Service) Timeline(ctx context.Context, leadID int64) (*beifen.Timeline, error) {
	leads, _, err := s.FindLeads(ctx, beifen.LeadFilter{ID: &leadID})
	if err != nil {
		return nil, err
	} else if len(leads) == 0 {
		return nil, beifen.Errorf(beifen.ENOTFOUND, "Lead not found.")
	}
	calls, _, err := s.Store.Calls.FindPhoneCalls(ctx, beifen.PhoneCallFilter{LeadID: &leadID})
	if err != nil {
		return nil, err
	}
	tl := &beifen.Timeline{Lead: leads[0], Events: make([]beifen.TimelineEvent, 0, len(calls))}
	for _, c := range calls {
		tl.Events = append(tl.Events, beifen.TimelineEvent{Time: c.Date, Kind: "call", Type: c.Type, Duration: c.Duration, StaffID: c.StaffID})
	}
	sort.SliceStable(tl.Events, func(i, j int) bool { return tl.Events[i].Time.Before(tl.Events[j].Time) })
	return tl, nil
}
