package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/hadath/hadath/scripts/benchdata"
)

func main() {
	out := flag.String("out", "bench-data", "output directory")
	n := flag.Int("names", benchdata.BigNames, "gazetteer names")
	mb := flag.Int("mb", 50, "text size in MB")
	root := flag.String("root", ".", "repository root (for the testdata fixtures)")
	longOnly := flag.Bool("long-only", false, "only write text-long.jsonl, from the text.txt of -out")
	hugeOnly := flag.Bool("huge-only", false, "only write text-huge.jsonl (documents of ~7 MB), from the text.txt of -out")
	flag.Parse()
	if *longOnly || *hugeOnly {
		write := writeLong
		if *hugeOnly {
			write = writeHuge
		}
		if err := write(*out); err != nil {
			fmt.Fprintln(os.Stderr, "benchgen:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*out, *root, *n, int64(*mb)<<20); err != nil {
		fmt.Fprintln(os.Stderr, "benchgen:", err)
		os.Exit(1)
	}
}

func create(dir, name string, write func(f *os.File) error) error {
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func run(dir, root string, n int, size int64) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	t0 := time.Now()
	names := benchdata.Names(n)
	if err := create(dir, "big.yaml", func(f *os.File) error { return benchdata.WriteYAML(f, names) }); err != nil {
		return err
	}
	if err := create(dir, "names.txt", func(f *os.File) error { return benchdata.WriteNames(f, names) }); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "benchgen: %d names in %v\n", n, time.Since(t0).Round(time.Millisecond))
	t0 = time.Now()
	src, err := benchdata.News()
	if err != nil {
		return err
	}
	from := benchdata.NewsPath
	if len(src) == 0 {
		src, _, err = benchdata.Corpus(root)
		if err != nil {
			return err
		}
		src = src[:1] // the seed article, cut into sentences
		from = "the seed article"
	}
	jf, err := os.Create(filepath.Join(dir, "text.jsonl"))
	if err != nil {
		return err
	}
	tf, err := os.Create(filepath.Join(dir, "text.txt"))
	if err != nil {
		return err
	}
	docs, bytes, err := benchdata.Text(jf, tf, src, size)
	if err != nil {
		return err
	}
	if err := jf.Close(); err != nil {
		return err
	}
	if err := tf.Close(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "benchgen: %d documents, %d text bytes from %s in %v\n", docs, bytes, from, time.Since(t0).Round(time.Millisecond))
	return writeLong(dir)
}

// writeLong writes text-long.jsonl: the texts of text.txt, LongPer to a
// document (long documents, ~400 KB, the case where the documents in
// flight hold much memory).
func writeLong(dir string) error {
	return writeJoined(dir, "text-long.jsonl", "long", benchdata.LongPer)
}

func writeHuge(dir string) error {
	return writeJoined(dir, "text-huge.jsonl", "huge", benchdata.HugePer)
}

// writeJoined writes the texts of text.txt, per in a document, to name.
func writeJoined(dir, name, what string, per int) error {
	tf, err := os.Open(filepath.Join(dir, "text.txt"))
	if err != nil {
		return err
	}
	defer tf.Close()
	return create(dir, name, func(f *os.File) error {
		docs, err := benchdata.JoinLines(f, tf, per)
		if err == nil {
			fmt.Fprintf(os.Stderr, "benchgen: %d %s documents\n", docs, what)
		}
		return err
	})
}
