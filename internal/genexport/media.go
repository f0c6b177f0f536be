package genexport

import (
	"bufio"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"
)

// blob is one binary file to write.
type blob struct {
	rel   string // slash-separated path in the export
	kind  kind
	size  int64
	id    uint64 // picks the random bytes: equal ids give equal content
	mtime time.Time
}

const (
	kb = 1 << 10
	mb = 1 << 20
)

// writeMedia writes the recordings, photos, videos and downloads.
func (g *gen) writeMedia() error {
	r := g.rng(streamMedia)
	used := map[string]bool{}
	var blobs []blob
	blobs = append(blobs, g.recordings(used)...)
	blobs = append(blobs, photos(r, used, g.plan.photos, idPhoto, exportTime.AddDate(-2, 0, 0), exportTime)...)
	blobs = append(blobs, videos(r, used, g.plan.videos)...)
	blobs = append(blobs, downloads(r, g.plan.docs)...)
	return g.writeBlobs(blobs)
}

// recordings makes one file per recorded call: MIUI names first, then Huawei ones.
func (g *gen) recordings(used map[string]bool) []blob {
	var out []blob
	for i, c := range g.recorded {
		rel := miuiRecording(c, c.date)
		k := kindMP3
		if i >= g.plan.miui {
			rel, k = huaweiRecording(c, c.date), kindM4A
		}
		size := min(max(int64(c.duration)*4000, 100*kb), 3*mb)
		end := c.date.Add(time.Duration(c.duration) * time.Second)
		out = append(out, blob{rel: unique(used, rel), kind: k, size: size, id: idRecording + uint64(i), mtime: end})
	}
	return out
}

// miuiRecording names a recording as MIUI does: 通话录音@name(number)_yyyyMMddHHmmss.mp3, with
// "+" written as "00". Unknown callers have their number as the name.
func miuiRecording(c *call, start time.Time) string {
	num := strings.ReplaceAll(c.number, "+", "00")
	name := c.name
	if name == unknownName {
		name = num
	}
	return fmt.Sprintf("MIUI/sound_recorder/call_rec/通话录音@%s(%s)_%s.mp3", name, num, start.Format("20060102150405"))
}

// huaweiRecording names a recording as EMUI does: the contact name or number, then the time.
func huaweiRecording(c *call, start time.Time) string {
	who := c.name
	if who == unknownName {
		who = c.number
	}
	return fmt.Sprintf("Sounds/CallRecord/%s_%s.m4a", who, start.Format("20060102150405"))
}

// photos are camera pictures of 1 to 5 MB, skewed small, named after when they were taken.
func photos(r *rand.Rand, used map[string]bool, n int, id uint64, from, to time.Time) []blob {
	var out []blob
	for i, t := range timeline(r, n, from, to) {
		t = t.Truncate(time.Second)
		rel := unique(used, "DCIM/Camera/IMG_"+t.Format("20060102_150405")+".jpg")
		size := mb + int64(math.Pow(r.Float64(), 1.5)*4*mb)
		out = append(out, blob{rel: rel, kind: kindJPEG, size: size, id: id + uint64(i), mtime: t})
	}
	return out
}

func videos(r *rand.Rand, used map[string]bool, n int) []blob {
	var out []blob
	for i, t := range timeline(r, n, exportTime.AddDate(-1, 0, 0), exportTime) {
		t = t.Truncate(time.Second)
		rel := unique(used, "DCIM/Camera/VID_"+t.Format("20060102_150405")+".mp4")
		size := 10*mb + r.Int64N(20*mb)
		out = append(out, blob{rel: rel, kind: kindMP4, size: size, id: idVideo + uint64(i), mtime: t})
	}
	return out
}

// downloads are documents, plus two files that every export has whatever its scale: an empty
// file, and a document downloaded twice (the same bytes under two names).
func downloads(r *rand.Rand, n int) []blob {
	var out []blob
	for i := range n {
		d := docNames[i%len(docNames)]
		name := d.name
		if i >= len(docNames) {
			ext := filepath.Ext(name)
			name = fmt.Sprintf("%s(%d)%s", strings.TrimSuffix(name, ext), i/len(docNames), ext)
		}
		t := exportTime.Add(-time.Duration(r.Int64N(int64(400 * 24 * time.Hour)))).Truncate(time.Second)
		size := 30*kb + int64(math.Pow(r.Float64(), 2)*3*mb)
		out = append(out, blob{rel: "Download/" + name, kind: d.kind, size: size, id: idDoc + uint64(i), mtime: t})
	}
	t := exportTime.AddDate(0, -2, -3)
	dup := blob{rel: DuplicatePair[0], kind: kindPDF, size: 420*kb + 17, id: idDoc + 1<<30, mtime: t}
	out = append(out, dup)
	dup.rel, dup.mtime = DuplicatePair[1], t.Add(26*time.Second)
	out = append(out, dup)
	return append(out, blob{rel: EmptyFile, kind: kindEmpty, mtime: t})
}

// DuplicatePair names two files of every export that hold the same bytes.
var DuplicatePair = [2]string{"Download/合同扫描件.pdf", "Download/合同扫描件(1).pdf"}

// EmptyFile names a file of every export that is empty.
const EmptyFile = "Download/新建文本文档.txt"

var docNames = []struct {
	name string
	kind kind
}{
	{"报价单2024.xlsx", kindZIP}, {"产品手册.pdf", kindPDF}, {"会议纪要.docx", kindZIP},
	{"电子发票.pdf", kindPDF}, {"简历-张伟.docx", kindZIP}, {"租房合同.pdf", kindPDF},
	{"客户名单.xlsx", kindZIP}, {"体检报告.pdf", kindPDF}, {"培训课件.pdf", kindPDF},
	{"年终总结.docx", kindZIP}, {"机票行程单.pdf", kindPDF}, {"工资条.xlsx", kindZIP},
}

// unique returns rel, or rel with a later second in its time stamp if rel is taken; the name
// must end in a 14-digit or yyyyMMdd_HHmmss time stamp before the extension.
func unique(used map[string]bool, rel string) string {
	for used[rel] {
		rel = bumpSecond(rel)
	}
	used[rel] = true
	return rel
}

// bumpSecond adds one to the number just before the extension ("…_101502.jpg" → "…_101503.jpg"),
// which is good enough to separate two files of the same second.
func bumpSecond(rel string) string {
	ext := filepath.Ext(rel)
	base := []byte(strings.TrimSuffix(rel, ext))
	for i := len(base) - 1; i >= 0; i-- {
		if base[i] < '9' {
			base[i]++
			break
		}
		base[i] = '0'
	}
	return string(base) + ext
}

// writeBlobs writes the blobs on all cores. Each blob's bytes depend only on its id, so the
// output does not depend on the order the workers run in.
func (g *gen) writeBlobs(blobs []blob) error {
	jobs := make(chan blob)
	errs := make(chan error, len(blobs))
	var wg sync.WaitGroup
	for range runtime.NumCPU() {
		wg.Go(func() {
			buf := make([]byte, mb)
			for b := range jobs {
				errs <- g.writeOne(b, buf)
			}
		})
	}
	for _, b := range blobs {
		jobs <- b
	}
	close(jobs)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	for _, b := range blobs {
		g.add(b.size)
	}
	return nil
}

func (g *gen) writeOne(b blob, buf []byte) error {
	path := filepath.Join(g.dir, filepath.FromSlash(b.rel))
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("write %s: %w", b.rel, err)
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write %s: %w", b.rel, err)
	}
	w := bufio.NewWriterSize(f, 256*kb)
	err = writeBlob(w, b.kind, b.size, byteSource(g.seed, b.id), buf)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chtimes(path, b.mtime, b.mtime)
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", b.rel, err)
	}
	return nil
}
