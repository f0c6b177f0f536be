package xlsx_test

import (
	"io"
	"runtime"
	"testing"
	"time"

	"github.com/beifen/beifen/xlsx"
	"github.com/xuri/excelize/v2"
)

// callRow is one row of a report's sheet of calls: time, staff, lead, outcome, intent, talk.
func callRow(i int) []any {
	return []any{"2026-03-01 09:30:15", "王芳", 100000 + i, "connected", "B", i % 600}
}

// BenchmarkWriteReport1M writes 1,000,000 call rows through WriteReport, as a task report's
// sheet of calls is written. Compare with BenchmarkStreamWriter1M (excelize alone).
func BenchmarkWriteReport1M(b *testing.B) {
	for i := 0; i < b.N; i++ {
		err := xlsx.WriteReport(io.Discard, "", xlsx.Sheet{Name: "明细 Detail",
			Header: []string{"时间 Time", "员工 Staff", "线索 Lead", "结果 Outcome", "意向 Intent", "通话(秒) Talk s"},
			Rows: func(add func([]any) error) error {
				for r := 0; r < benchRows; r++ {
					if err := add(callRow(r)); err != nil {
						return err
					}
				}
				return nil
			}})
		if err != nil {
			b.Fatal(err)
		}
	}
	reportHeap(b)
}

// BenchmarkStreamWriter1M writes the same rows with excelize's StreamWriter directly.
func BenchmarkStreamWriter1M(b *testing.B) {
	for i := 0; i < b.N; i++ {
		f := excelize.NewFile()
		sw, err := f.NewStreamWriter("Sheet1")
		if err != nil {
			b.Fatal(err)
		}
		sw.SetRow("A1", []any{"时间 Time", "员工 Staff", "线索 Lead", "结果 Outcome", "意向 Intent", "通话(秒) Talk s"})
		for r := 0; r < benchRows; r++ {
			cell, _ := excelize.CoordinatesToCellName(1, r+2)
			if err := sw.SetRow(cell, callRow(r)); err != nil {
				b.Fatal(err)
			}
		}
		if err := sw.Flush(); err != nil {
			b.Fatal(err)
		}
		if _, err := f.WriteTo(io.Discard); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
	reportHeap(b)
}

// reportHeap reports the peak of the Go heap seen at the end, as MiB.
func reportHeap(b *testing.B) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapSys)/(1<<20), "heap-sys-MiB")
	_ = time.Now
}
