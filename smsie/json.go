package smsie

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/beifen/beifen"
)

// DecodeJSON reads calls-*.json, contacts-*.json or a v1 messages-*.json with the default
// limits. See Decoder.DecodeJSON.
func DecodeJSON(r io.Reader, name string, sink beifen.ExportSink) error {
	return (&Decoder{}).DecodeJSON(r, name, sink)
}

// DecodeJSON reads calls-*.json, contacts-*.json or a v1 messages-*.json, telling them apart
// by the columns of the first object (by the file name when those say nothing), and hands
// every item to sink. An extracted messages.ndjson is read too. An element that is not an
// object is skipped; a syntax error or truncation ends the file with a Skip. Returns
// EINVALID if r holds no JSON array or object, and ETOOLARGE when a limit is hit; a sink
// error ends the read and is returned.
func (d *Decoder) DecodeJSON(r io.Reader, name string, sink beifen.ExportSink) error {
	return decodeJSON(r, name, sink, d.Limits.withDefaults())
}

func decodeJSON(r io.Reader, name string, sink beifen.ExportSink, lim Limits) error {
	ir := &itemReader{r: r, lim: lim}
	br := bufio.NewReaderSize(ir, 4096)
	if bom, _ := br.Peek(3); string(bom) == "\ufeff" {
		br.Discard(3)
	}
	head, _ := br.Peek(512)
	switch c, _ := firstByte(head); c {
	case '{':
		mr := &messageReader{sink: sink, file: name}
		return mr.lines(br, lim.MaxItem)
	case '[':
		ir.items = true
		return (&arrayReader{name: name, sink: sink, ir: ir}).read(br)
	}
	if ir.err != nil {
		return ir.err
	}
	return beifen.Errorf(beifen.EINVALID, "%s is not an SMS Import/Export JSON file.", name)
}

// firstByte returns the first byte of b after a UTF-8 BOM and white space.
func firstByte(b []byte) (byte, bool) {
	s := strings.TrimLeft(strings.TrimPrefix(string(b), "\ufeff"), " \t\r\n")
	if s == "" {
		return 0, false
	}
	return s[0], true
}

// itemReader counts the bytes read from a JSON file: all of them against MaxTotal, and, once
// items is set, those since the current array element started against MaxItem.
type itemReader struct {
	r     io.Reader
	lim   Limits
	items bool
	n     int64
	start int64
	err   error
}

// chunk bounds one read, so that the decoder's read-ahead past an element stays small.
const chunk = 64 << 10

func (ir *itemReader) Read(p []byte) (int, error) {
	if ir.err != nil {
		return 0, ir.err
	}
	if len(p) > chunk {
		p = p[:chunk]
	}
	n, err := ir.r.Read(p)
	ir.n += int64(n)
	switch {
	case ir.n > ir.lim.MaxTotal:
		ir.err = tooLarge("File is larger than the %s an export may hold.", mib(ir.lim.MaxTotal))
	case ir.items && ir.n-ir.start > ir.lim.MaxItem+chunk:
		ir.err = tooLarge("An item of the file is larger than %s.", mib(ir.lim.MaxItem))
	}
	if ir.err != nil {
		return 0, ir.err
	}
	return n, err
}

// kind is what a JSON array holds.
type kind int

const (
	kindUnknown kind = iota
	kindMessages
	kindCalls
	kindContacts
)

// Columns that only one of the exports has.
var (
	contactKeys = []string{"raw_contacts", "lookup", "has_phone_number", "contact_last_updated_timestamp", "display_name_alt"}
	callKeys    = []string{"duration", "number", "presentation", "subscription_component_name", "countryiso", "geocoded_location"}
	messageKeys = []string{"body", "thread_id", "m_type", "msg_box", "address", "__parts", "parts", "service_center"}
)

// classify tells what an object is a row of from its columns, or kindUnknown.
func classify(obj object) kind {
	switch {
	case has(obj, contactKeys...):
		return kindContacts
	case has(obj, callKeys...):
		return kindCalls
	case has(obj, messageKeys...):
		return kindMessages
	}
	return kindUnknown
}

// kindFromName tells the export from its file name (calls-…, contacts-…, messages-…).
func kindFromName(name string) kind {
	base := strings.ToLower(path.Base(strings.ReplaceAll(name, "\\", "/")))
	switch {
	case strings.HasPrefix(base, "calls"):
		return kindCalls
	case strings.HasPrefix(base, "contacts"):
		return kindContacts
	case strings.HasPrefix(base, "messages"):
		return kindMessages
	}
	return kindUnknown
}

// arrayReader reads one JSON array of rows, one element at a time.
type arrayReader struct {
	name string
	sink beifen.ExportSink
	ir   *itemReader
	kind kind
}

func (ar *arrayReader) read(r io.Reader) error {
	dec := json.NewDecoder(r)
	dec.UseNumber()
	if _, err := dec.Token(); err != nil {
		return ar.broken(err, 0)
	}
	i := 0
	for dec.More() {
		i++
		ar.ir.start = ar.ir.n
		var v any
		if err := dec.Decode(&v); err != nil {
			return ar.broken(err, i)
		}
		if err := ar.item(v, i); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil {
		return ar.broken(err, i+1)
	}
	return nil
}

// broken ends the file at an error: a refused read is returned, anything else is skipped,
// keeping what was read before it.
func (ar *arrayReader) broken(err error, i int) error {
	if isLimit(err) {
		return err
	}
	ar.sink.Skip(&beifen.ParseError{File: ar.name,
		Reason: fmt.Sprintf("item %d: %s; rest of file not read", i, jsonReason(err))})
	return nil
}

// item delivers one array element as the row of a call, a contact or a message.
func (ar *arrayReader) item(v any, i int) error {
	obj, ok := v.(object)
	if !ok {
		ar.skip(i, "not a JSON object")
		return nil
	}
	if ar.kind == kindUnknown {
		if ar.kind = classify(obj); ar.kind == kindUnknown {
			ar.kind = kindFromName(ar.name)
		}
	}
	switch ar.kind {
	case kindCalls:
		return deliver("call", ar.sink.Call(callFrom(obj)))
	case kindContacts:
		c := contactFrom(obj)
		if len(c.Props) == 0 {
			ar.skip(i, "contact without data")
			return nil
		}
		return deliver("contact", ar.sink.Contact(c))
	}
	normalizeV1(obj)
	mr := &messageReader{sink: ar.sink, file: ar.name}
	return mr.message(obj, pos{item: i})
}

func (ar *arrayReader) skip(i int, reason string) {
	ar.sink.Skip(&beifen.ParseError{File: ar.name, Reason: fmt.Sprintf("item %d: %s", i, reason)})
}

func deliver(what string, err error) error {
	if err != nil {
		return fmt.Errorf("deliver %s: %w", what, err)
	}
	return nil
}
