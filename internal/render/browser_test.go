package render

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/hadath/hadath/internal/app"
	"github.com/hadath/hadath/internal/input"
	"github.com/hadath/hadath/pipeline"
)

const chromium = "/usr/bin/chromium"

var updateScreenshot = flag.Bool("update-screenshot", false, "write docs/render-seed.png")

// renderSeed runs the pipeline on the seed article and renders it.
func renderSeed(t *testing.T) (string, *pipeline.Document) {
	t.Helper()
	p, err := app.Default(zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	seed := filepath.Join("..", "..", "testdata", "seed-aleppo-2016-12-07.txt")
	rd := input.New(input.Options{DocDate: time.Date(2016, 12, 7, 0, 0, 0, 0, time.UTC)})
	items := make(chan pipeline.Item, 1)
	go rd.Read(context.Background(), []string{seed}, items)
	var buf bytes.Buffer
	r := New(&buf, Options{Title: "hadath: seed-aleppo-2016-12-07.txt"})
	var doc *pipeline.Document
	err = p.Run(context.Background(), items, 1, func(res pipeline.Result) error {
		doc = res.Doc
		if doc != nil {
			doc.ID = "testdata/seed-aleppo-2016-12-07.txt" // as run from the repository root
		}
		return r.Document(res)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	if doc == nil || len(doc.Events) == 0 {
		t.Fatal("the seed gave no events")
	}
	return buf.String(), doc
}

func chromiumArgs(t *testing.T, extra ...string) []string {
	return append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir()}, extra...)
}

func TestSeedInHeadlessBrowser(t *testing.T) {
	if _, err := os.Stat(chromium); err != nil {
		t.Skipf("%s not found: skipping the headless-browser test (apt-get install chromium)", chromium)
	}
	page, doc := renderSeed(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "seed.html")
	if err := os.WriteFile(file, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out, errb bytes.Buffer
	cmd := exec.CommandContext(ctx, chromium, chromiumArgs(t, "--dump-dom", "file://"+file)...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium --dump-dom: %v\n%s", err, errb.String())
	}
	dom := out.String()
	// the browser parsed the page into the expected elements
	for _, ev := range doc.Events {
		id := EventAnchor("d1", &ev)
		if !strings.Contains(dom, `<mark id="`+id+`" class="trigger"`) {
			t.Errorf("DOM lacks the trigger mark %s (%s)", id, ev.Trigger.Text)
		}
		if !strings.Contains(dom, `href="#`+id+`"`) {
			t.Errorf("DOM lacks the row link to %s", id)
		}
	}
	for _, cls := range []string{"place", "organization", "date", "quantity"} {
		if !strings.Contains(dom, `<mark class="`+cls+`"`) {
			t.Errorf("DOM has no %s mark", cls)
		}
	}
	for _, want := range []string{`dir="rtl" lang="ar"`, `>هدنة إنسانية</mark>`, `>شرق حلب</mark>`, `<table class="events">`} {
		if !strings.Contains(dom, want) {
			t.Errorf("DOM lacks %s", want)
		}
	}
	if strings.Count(dom, "<mark") != strings.Count(dom, "</mark>") {
		t.Error("unbalanced marks in the DOM")
	}

	shot := filepath.Join(dir, "render-seed.png")
	if *updateScreenshot {
		shot, _ = filepath.Abs(filepath.Join("..", "..", "docs", "render-seed.png"))
	}
	cmd = exec.CommandContext(ctx, chromium, chromiumArgs(t, "--screenshot="+shot, "--window-size=1400,1000", "file://"+file)...)
	cmd.Stderr = &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium --screenshot: %v\n%s", err, errb.String())
	}
	b, err := os.ReadFile(shot)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 10000 || !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("screenshot is not a PNG of a rendered page (%d bytes)", len(b))
	}
	t.Logf("screenshot: %s (%d bytes)", shot, len(b))
}
