package smsie

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/beifen/beifen"
)

// pos says where an item is: its line in an NDJSON file, or its index in a JSON array.
type pos struct {
	line int // 1-based, or 0
	item int // 1-based, or 0
}

// messageReader turns message rows into Messages for a sink.
type messageReader struct {
	sink  beifen.ExportSink
	file  string   // the file ParseErrors name
	files *archive // the zip holding data/, or nil
}

// skip reports an unreadable item or part.
func (mr *messageReader) skip(p pos, reason string) {
	if p.item > 0 {
		reason = fmt.Sprintf("item %d: %s", p.item, reason)
	}
	mr.sink.Skip(&beifen.ParseError{File: mr.file, Line: p.line, Reason: reason})
}

// line decodes one NDJSON line and delivers its message; a bad line is skipped.
func (mr *messageReader) line(b []byte, p pos) error {
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	obj, reason := parseObject(b)
	if reason != "" {
		mr.skip(p, reason)
		return nil
	}
	return mr.message(obj, p)
}

// message maps one SMS or MMS row and delivers it.
func (mr *messageReader) message(obj object, p pos) error {
	m := smsMessage(obj)
	if isMMS(obj) {
		var err error
		if m, err = mr.mms(obj, p); err != nil {
			return err
		}
	}
	if err := mr.sink.Message(m); err != nil {
		return fmt.Errorf("deliver message: %w", err)
	}
	return nil
}

func (mr *messageReader) mms(obj object, p pos) (*beifen.Message, error) {
	m := &beifen.Message{Kind: beifen.MessageMMS}
	m.Attrs, m.Addrs = mmsHeader(obj)
	for i, po := range objects(obj["__parts"]) {
		part, err := mr.part(po, i, p)
		if err != nil {
			return nil, err
		}
		m.Parts = append(m.Parts, part)
	}
	return m, nil
}

// parseObject decodes one JSON object, or says briefly why it cannot.
func parseObject(b []byte) (object, string) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, jsonReason(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, "trailing data after JSON value"
	}
	obj, ok := v.(object)
	if !ok {
		return nil, "not a JSON object"
	}
	return obj, ""
}

// jsonReason describes a JSON error without quoting the input.
func jsonReason(err error) string {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("invalid JSON at byte %d", se.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "truncated JSON"
	}
	return "unreadable JSON"
}
