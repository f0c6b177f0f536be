// Command genexport writes a synthetic Android phone export for benchmarks, or simulates a day
// of use on one.
//
//	genexport -out DIR [-scale F] [-seed N]   write an export (scale 1 is about 1 GB)
//	genexport -mutate DIR [-seed N]           add a day of SMS, photos and a recording
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/beifen/beifen/internal/genexport"
)

func main() {
	out := flag.String("out", "", "write an export into `DIR`")
	mutate := flag.String("mutate", "", "simulate a day of use on the export in `DIR`")
	scale := flag.Float64("scale", 1, "size of the export; 1 is about 1 GB")
	seed := flag.Uint64("seed", 1, "random seed; the same seed and scale give the same bytes")
	flag.Parse()
	if err := run(*out, *mutate, *scale, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "genexport:", err)
		os.Exit(1)
	}
}

func run(out, mutate string, scale float64, seed uint64) error {
	start := time.Now()
	var st genexport.Stats
	var err error
	switch {
	case out != "" && mutate == "":
		st, err = genexport.Generate(out, genexport.Options{Scale: scale, Seed: seed})
	case mutate != "" && out == "":
		st, err = genexport.Mutate(mutate, seed)
	default:
		flag.Usage()
		return fmt.Errorf("give exactly one of -out and -mutate")
	}
	if err != nil {
		return err
	}
	fmt.Printf("contacts=%d sms=%d mms=%d calls=%d files=%d bytes=%d seconds=%.2f\n",
		st.Contacts, st.SMS, st.MMS, st.Calls, st.Files, st.Bytes, time.Since(start).Seconds())
	return nil
}
