package gazetteers_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/hadath/hadath/extractors/gazetteer"
	"github.com/hadath/hadath/gazetteers"
)

// genGazetteer writes n synthetic place entries (two Arabic and two English
// names each, coordinates, population, a parent) in the format of
// `hadath gazetteer import geonames`, and returns the file's bytes.
func genGazetteer(n int) []byte {
	ar := []rune("ابتثجحخدذرزسشصضطظعغفقكلمنهوي")
	en := "bcdfghjklmnprstvz"
	vow := "aeiou"
	var b strings.Builder
	b.Grow(n * 260)
	b.WriteString("entries:\n")
	word := func(i int, arabic bool) string {
		var w []rune
		for k := 0; k < 4 || i > 0; k++ {
			if arabic {
				w = append(w, ar[i%len(ar)])
				i /= len(ar)
			} else {
				w = append(w, rune(en[i%len(en)]), rune(vow[(i/len(en))%len(vow)]))
				i /= len(en) * len(vow)
			}
		}
		return string(w)
	}
	countries := []string{"SY", "IQ", "LB", "JO", "YE", "LY", "EG", "SD", "TR", "SO"}
	for i := 0; i < n; i++ {
		c := countries[i%len(countries)]
		fmt.Fprintf(&b, "  - id: gn-%d\n    type: place\n    kind: town\n    country: %q\n    admin1: \"%02d\"\n", i+1, c, i%14)
		fmt.Fprintf(&b, "    lat: %.5f\n    lon: %.5f\n    population: %d\n    geonames: %d\n", float64(i%180)-89.5, float64(i%360)-179.5, 1000+i%50000, i+1)
		if i%100 != 0 {
			fmt.Fprintf(&b, "    parent: gn-%d\n", i-i%100+1)
		}
		fmt.Fprintf(&b, "    names:\n      ar: [\"%s\", \"%s %s\"]\n      en: [\"%s\", \"%s %s\"]\n",
			word(i, true), word(i, true), word(i%997, true), strings.Title(word(i, false)), strings.Title(word(i, false)), word(i%991, false))
	}
	return []byte(b.String())
}

func heapMB() float64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc) / (1 << 20)
}

// BenchmarkLoad500k compares, in one run, loading the default gazetteers
// and a generated 500k-entry gazetteer: cold (YAML parsed and the match
// index compiled, as on a first run or with --no-cache) and warm (the
// compiled index read from the cache, as on every later run). heapMB is the
// heap in use after the load (the index alive, the garbage collected).
//
//	go test ./gazetteers -run '^$' -bench Load500k -benchtime 3x
func BenchmarkLoad500k(b *testing.B) {
	defaults, err := gazetteers.DefaultSources()
	if err != nil {
		b.Fatal(err)
	}
	big := genGazetteer(500_000)
	sets := []struct {
		name string
		srcs []gazetteers.Source
	}{
		{"defaults", defaults},
		{"500k", []gazetteers.Source{{Name: filepath.Join(b.TempDir(), "gn-500k.yaml"), Data: big}}},
	}
	lx, _ := gazetteers.DefaultLexicon()
	for _, set := range sets {
		dir := b.TempDir()
		for _, mode := range []string{"cold", "warm"} {
			b.Run(set.name+"/"+mode, func(b *testing.B) {
				o := gazetteers.CacheOptions{Dir: dir, Disable: mode == "cold"}
				if mode == "warm" {
					if _, errs, _ := gazetteer.LoadIndex(set.srcs, lx, o); errs.Err() != nil {
						b.Fatal(errs.Err())
					}
				}
				base := heapMB()
				var heap float64
				cpu0 := cpuTime()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					ix, errs, hit := gazetteer.LoadIndex(set.srcs, lx, o)
					if errs.Err() != nil || hit != (mode == "warm") {
						b.Fatalf("hit %v: %v", hit, errs.Err())
					}
					if i == 0 {
						b.StopTimer()
						heap = heapMB() - base
						b.ReportMetric(float64(ix.Bytes())/(1<<20), "indexMB")
						b.StartTimer()
					}
					runtime.KeepAlive(ix)
				}
				b.StopTimer()
				b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
				b.ReportMetric(heap, "heapMB")
				size := 0
				for _, s := range set.srcs {
					size += len(s.Data)
				}
				b.ReportMetric(float64(size)/(1<<20), "srcMB")
			})
		}
		if fs, _ := filepath.Glob(filepath.Join(dir, "index-*.bin")); len(fs) == 1 {
			if fi, err := os.Stat(fs[0]); err == nil {
				b.Logf("%s: cache file %.1f MB", set.name, float64(fi.Size())/(1<<20))
			}
		}
	}
}

// cpuTime is the process's user+system CPU time: on a busy machine it
// measures the work better than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestGenGazetteerLoads keeps the generator honest on a small size.
func TestGenGazetteerLoads(t *testing.T) {
	g, errs := gazetteers.Load([]gazetteers.Source{{Name: "gen.yaml", Data: genGazetteer(2000)}})
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	if len(g.Entries) != 2000 || len(g.Entries[5].Names.In("ar")) != 2 {
		t.Fatalf("%d entries", len(g.Entries))
	}
}
