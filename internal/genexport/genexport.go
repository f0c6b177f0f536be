// Package genexport writes synthetic but realistic Android phone exports for tests and benchmarks:
// the folder a user copies off a phone, with an Android vCard 2.1 address book, an iOS vCard 3.0
// one, SMS Backup & Restore message and call logs, MIUI and Huawei call recordings, camera photos
// and videos, and downloads.
//
// The output is deterministic: the same Options write the same bytes. Media files are random bytes
// behind a real file header, so they neither compress nor deduplicate, like real photos.
package genexport

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"time"
)

// Options say how big an export to write and which one.
type Options struct {
	// Scale multiplies every count; 1 writes about 1 GB. Each kind of item still appears at
	// least once, and the empty file and the duplicated file always exist.
	Scale float64
	// Seed picks the export: the same Seed and Scale write the same bytes.
	Seed uint64
}

// Stats count what Generate or Mutate wrote.
type Stats struct {
	Contacts int   // vCards in contacts.vcf and iphone.vcf
	SMS      int   // <sms> rows
	MMS      int   // <mms> rows
	Calls    int   // <call> rows
	Files    int   // files created
	Bytes    int64 // bytes written by Generate; how much the folder grew for Mutate
}

// Counts at scale 1. Media sizes do not scale; only how many files there are.
const (
	fullContacts = 20000
	fullIPhone   = 500
	fullSMS      = 200000
	fullMMS      = 300
	fullCalls    = 50000
	fullMIUI     = 270
	fullHuawei   = 30
	fullPhotos   = 150
	fullVideos   = 2
	fullDocs     = 12
)

// plan is how many items of each kind one export holds.
type plan struct {
	contacts, iphone, sms, mms, calls  int
	miui, huawei, photos, videos, docs int
}

func newPlan(scale float64) plan {
	n := func(full int) int { return max(1, int(math.Round(float64(full)*scale))) }
	return plan{
		contacts: n(fullContacts), iphone: max(3, n(fullIPhone)),
		sms: n(fullSMS), mms: n(fullMMS), calls: n(fullCalls),
		miui: n(fullMIUI), huawei: n(fullHuawei),
		photos: n(fullPhotos), videos: n(fullVideos), docs: n(fullDocs),
	}
}

// cst is China Standard Time, fixed so the output does not depend on the machine's tzdata.
var cst = time.FixedZone("CST", 8*3600)

// exportTime is when the simulated user made the export. Everything in it happened before.
var exportTime = time.Date(2026, 5, 20, 21, 14, 36, 0, cst)

// gen carries the state of one Generate call.
type gen struct {
	dir    string
	seed   uint64
	plan   plan
	people []*person
	calls  []*call
	// recorded are the calls that have a recording, in the order the recordings are made.
	recorded []*call
	stats    Stats
}

// Generate writes a phone export into dir, creating it if needed. Existing files of the same name
// are overwritten; others are left alone.
func Generate(dir string, o Options) (Stats, error) {
	if o.Scale <= 0 || math.IsNaN(o.Scale) || math.IsInf(o.Scale, 0) {
		return Stats{}, errors.New("generate: scale must be a positive number")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Stats{}, fmt.Errorf("generate: %w", err)
	}
	g := &gen{dir: dir, seed: o.Seed, plan: newPlan(o.Scale)}
	g.people = newPeople(g.rng(streamPeople), g.plan.contacts)
	// The address books (slow: JPEG photos) are written next to the rest, with their own Stats.
	books := *g
	done := make(chan error, 1)
	go func() { done <- run(books.writeContacts, books.writeIPhone) }()
	err := run(g.writeMessages, g.writeCalls, g.writeMedia)
	if berr := <-done; err == nil {
		err = berr
	}
	g.stats.Contacts += books.stats.Contacts
	g.stats.Files += books.stats.Files
	g.stats.Bytes += books.stats.Bytes
	if err != nil {
		return g.stats, fmt.Errorf("generate: %w", err)
	}
	return g.stats, nil
}

func run(steps ...func() error) error {
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// Independent random streams, so that changing one part of the export leaves the others alone.
const (
	streamPeople = iota + 1
	streamContacts
	streamIPhone
	streamMessages
	streamCalls
	streamMedia
	streamMutate
)

func (g *gen) rng(stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(g.seed, stream))
}

// add counts one finished file.
func (g *gen) add(size int64) {
	g.stats.Files++
	g.stats.Bytes += size
}
