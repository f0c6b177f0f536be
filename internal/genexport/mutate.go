package genexport

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Mutate simulates one more day on the phone of an export that Generate wrote into dir: it
// appends about ten SMS to the message file (rewriting it with the same bytes, the new rows at
// the end and an updated count), and adds three photos and one call recording. Nothing else
// changes. Each call adds the next day, with new content. Stats count what was added; Bytes is
// how much the folder grew.
func Mutate(dir string, seed uint64) (Stats, error) {
	used := existing(dir)
	k := mutatedDays(used)
	g := &gen{dir: dir, seed: seed}
	r := rand.New(rand.NewPCG(seed, streamMutate<<32|uint64(k)))
	day := time.Date(exportTime.Year(), exportTime.Month(), exportTime.Day()+1+k, 8, 0, 0, 0, cst)
	g.people = newPeople(r, 20)
	if err := g.appendSMS(r, day); err != nil {
		return g.stats, fmt.Errorf("mutate: %w", err)
	}
	ids := idMutate + uint64(k)<<24
	blobs := photos(r, used, 3, ids, day, day.Add(14*time.Hour))
	c := &call{party: g.party(r, false), typ: 2, presentation: 1, date: day.Add(3 * time.Hour)}
	c.number, c.duration = c.address, 60+r.IntN(600)
	g.recorded, g.plan.miui = []*call{c}, 1
	for i, b := range g.recordings(used) {
		b.id = ids + 1<<20 + uint64(i)
		blobs = append(blobs, b)
	}
	if err := g.writeBlobs(blobs); err != nil {
		return g.stats, fmt.Errorf("mutate: %w", err)
	}
	return g.stats, nil
}

// mutatedDays counts the days earlier Mutate calls added: days of camera photos after the export.
func mutatedDays(used map[string]bool) int {
	const prefix = "DCIM/Camera/IMG_"
	exported := exportTime.Format("20060102")
	days := map[string]bool{}
	for rel := range used {
		if day, ok := strings.CutPrefix(rel, prefix); ok && len(day) >= 8 && day[:8] > exported {
			days[day[:8]] = true
		}
	}
	return len(days)
}

// existing marks the media names already in dir as taken, so a second Mutate adds new files
// rather than overwriting the first one's.
func existing(dir string) map[string]bool {
	used := map[string]bool{}
	for _, sub := range []string{"DCIM/Camera", "MIUI/sound_recorder/call_rec"} {
		entries, _ := os.ReadDir(filepath.Join(dir, filepath.FromSlash(sub)))
		for _, e := range entries {
			used[sub+"/"+e.Name()] = true
		}
	}
	return used
}

// appendSMS rewrites the message file through a temporary file: the old bytes with the root's
// count raised, the new rows, then the old closing tag.
func (g *gen) appendSMS(r *rand.Rand, day time.Time) error {
	path := filepath.Join(g.dir, smsFileName)
	src, err := os.Open(path)
	if err != nil {
		return err
	}
	defer src.Close()
	info, err := src.Stat()
	if err != nil {
		return err
	}
	layout, err := readLayout(src, info.Size())
	if err != nil {
		return fmt.Errorf("%s: %w", smsFileName, err)
	}
	tmp, err := os.CreateTemp(g.dir, ".sms-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename
	n := 8 + r.IntN(5)
	if err := writeAppended(tmp, src, layout, g.newDaySMS(r, n, day)); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	size, err := stamp(path, day.Add(14*time.Hour))
	if err != nil {
		return err
	}
	g.stats.SMS += n
	g.stats.Bytes += size - info.Size()
	return nil
}

// layout locates the parts of a message file that appending changes.
type layout struct {
	countStart, countEnd int64 // the digits of the root's count attribute
	count                int
	closeAt              int64 // offset of "</smses>"
}

func readLayout(f *os.File, size int64) (layout, error) {
	var l layout
	head := make([]byte, min(size, 4096))
	if _, err := f.ReadAt(head, 0); err != nil {
		return l, err
	}
	i := bytes.Index(head, []byte(`<smses count="`))
	j := bytes.IndexByte(head[max(i, 0)+14:], '"')
	if i < 0 || j < 0 {
		return l, errors.New("no <smses count=…> in the first 4 KB")
	}
	l.countStart, l.countEnd = int64(i+14), int64(i+14+j)
	count, err := strconv.Atoi(string(head[l.countStart:l.countEnd]))
	if err != nil {
		return l, fmt.Errorf("root count: %w", err)
	}
	l.count = count
	tail := make([]byte, min(size, 256))
	if _, err := f.ReadAt(tail, size-int64(len(tail))); err != nil {
		return l, err
	}
	k := bytes.LastIndex(tail, []byte("</smses>"))
	if k < 0 {
		return l, errors.New("no </smses> at the end")
	}
	l.closeAt = size - int64(len(tail)) + int64(k)
	return l, nil
}

func writeAppended(dst io.Writer, src io.ReaderAt, l layout, rows []*sms) error {
	w := xmlw{bufio.NewWriterSize(dst, mb)}
	copyRange := func(from, to int64) error {
		_, err := w.ReadFrom(io.NewSectionReader(src, from, to-from))
		return err
	}
	if err := copyRange(0, l.countStart); err != nil {
		return err
	}
	w.WriteString(strconv.Itoa(l.count + len(rows)))
	if err := copyRange(l.countEnd, l.closeAt); err != nil {
		return err
	}
	for _, m := range rows {
		m.write(w)
	}
	if err := copyRange(l.closeAt, 1<<62); err != nil { // the closing tag and what follows it
		return err
	}
	return w.Flush()
}

// newDaySMS makes n messages spread over one day from 08:00.
func (g *gen) newDaySMS(r *rand.Rand, n int, day time.Time) []*sms {
	rows := make([]*sms, n)
	for i, t := range timeline(r, n, day, day.Add(14*time.Hour)) {
		rows[i] = newSMS(r, g.party(r, false), i+9, t) // from index 9 on, the first one carries an emoji
	}
	return rows
}
