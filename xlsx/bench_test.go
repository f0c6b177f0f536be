package xlsx_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/beifen/beifen"
	"github.com/beifen/beifen/xlsx"
	"github.com/xuri/excelize/v2"
)

const benchRows = 1_000_000

var (
	benchOnce sync.Once
	benchDir  string
	benchPath string
	benchErr  error
)

// TestMain removes the benchmark workbook, which is generated once for both benchmarks.
func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// mustBenchFile returns a workbook of benchRows leads (name, numeric mobile, company, note)
// under a header row, written with excelize's StreamWriter. With BEIFEN_BENCH_XLSX set to a
// path, the workbook is kept there and reused, so that each benchmark can be run alone (under
// /usr/bin/time -v, say) without writing it again.
func mustBenchFile(b *testing.B) string {
	b.Helper()
	benchOnce.Do(func() {
		if benchPath = os.Getenv("BEIFEN_BENCH_XLSX"); benchPath != "" {
			if _, benchErr = os.Stat(benchPath); benchErr == nil {
				return
			}
			benchErr = writeBenchFile(benchPath)
			return
		}
		if benchDir, benchErr = os.MkdirTemp("", "beifen-xlsx-bench-"); benchErr == nil {
			benchPath = filepath.Join(benchDir, "leads-1m.xlsx")
			benchErr = writeBenchFile(benchPath)
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchPath
}

func writeBenchFile(path string) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	if err := sw.SetRow("A1", []any{"姓名", "手机号", "公司", "备注"}); err != nil {
		return err
	}
	for i := range benchRows {
		row := []any{fmt.Sprintf("客户%d", i), 13800000000 + i, fmt.Sprintf("星辰科技%d部", i%100), "意向客户"}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.SaveAs(path)
}

// peakHeap samples HeapInuse while fn runs and returns its peak, in MiB.
func peakHeap(fn func()) float64 {
	runtime.GC()
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	})
	fn()
	close(done)
	wg.Wait()
	return float64(peak) / (1 << 20)
}

// reportMem adds the peak heap in use and the heap obtained from the OS to b's results.
func reportMem(b *testing.B, peak float64) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(peak, "peak-heap-MiB")
	b.ReportMetric(float64(ms.HeapSys)/(1<<20), "heap-sys-MiB")
}

func BenchmarkDecodeLeads1M(b *testing.B) {
	path := mustBenchFile(b)
	runtime.GC()
	b.ResetTimer()
	var peak float64
	for b.Loop() {
		peak = max(peak, peakHeap(func() {
			f, err := os.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			defer f.Close()
			n := 0
			err = xlsx.DecodeLeads(f, "leads-1m.xlsx", "", func(r *beifen.LeadRow) error {
				n += len(r.Phones)
				return nil
			})
			if err != nil || n != benchRows {
				b.Fatalf("DecodeLeads: %d phones, err %v, want %d", n, err, benchRows)
			}
		}))
	}
	reportMem(b, peak)
}

func BenchmarkExcelizeRows1M(b *testing.B) {
	path := mustBenchFile(b)
	runtime.GC()
	b.ResetTimer()
	var peak float64
	for b.Loop() {
		peak = max(peak, peakHeap(func() {
			if n := excelizeCells(b, path); n != 4*(benchRows+1) {
				b.Fatalf("read %d cells, want %d", n, 4*(benchRows+1))
			}
		}))
	}
	reportMem(b, peak)
}

// excelizeCells reads every cell of every sheet with excelize's Rows iterator alone.
func excelizeCells(b *testing.B, path string) int {
	f, err := excelize.OpenFile(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	n := 0
	for _, sheet := range f.GetSheetList() {
		rows, err := f.Rows(sheet)
		if err != nil {
			b.Fatal(err)
		}
		for rows.Next() {
			cells, err := rows.Columns(excelize.Options{RawCellValue: true})
			if err != nil {
				b.Fatal(err)
			}
			n += len(cells)
		}
		rows.Close()
	}
	return n
}
