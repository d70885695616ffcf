package yamlx

import (
	"strings"
	"testing"
	"time"
)

type cfg struct {
	Name  string   `yaml:"name"`
	Items []string `yaml:"items"`
	Sub   struct {
		N int `yaml:"n"`
	} `yaml:"sub"`
}

func TestUnknownKeysAllReported(t *testing.T) {
	src := "name: x\ncolour: red\nsub:\n  n: 1\n  m: 2\n"
	var c cfg
	errs := Decode("c.yaml", []byte(src), &c)
	got := errs.Error()
	for _, w := range []string{`c.yaml:2:1: unknown key "colour"`, `c.yaml:5:3: unknown key "m"`} {
		if !strings.Contains(got, w) {
			t.Errorf("missing %q in %q", w, got)
		}
	}
}

func TestTypeError(t *testing.T) {
	var c cfg
	errs := Decode("c.yaml", []byte("sub:\n  n: many\n"), &c)
	if len(errs) == 0 || !strings.HasPrefix(errs.Error(), "c.yaml:2") {
		t.Errorf("got %v", errs)
	}
}

// TestHostileYAML checks that alias bombs and deep nesting are refused or
// handled quickly, never hang or crash.
func TestHostileYAML(t *testing.T) {
	bomb := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for i := 0; i < 9; i++ {
		name := string(rune('b' + i))
		bomb += name + ": &" + name + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n"
		prev = name
	}
	bomb += "items: *" + prev + "\n"
	deep := strings.Repeat("[", 20000) + strings.Repeat("]", 20000)
	huge := strings.Repeat("x", MaxBytes+1)
	for name, src := range map[string]string{"alias bomb": bomb, "deep nesting": "items: " + deep, "too large": huge} {
		start := time.Now()
		var c cfg
		errs := Decode("h.yaml", []byte(src), &c)
		if len(errs) == 0 {
			t.Errorf("%s: accepted", name)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: took %v", name, d)
		}
	}
}
