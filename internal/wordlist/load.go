package wordlist

import (
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/internal/diag"
)

// Source is one word-list file: its name (for error positions) and its bytes.
type Source struct {
	Name string
	Data []byte
}

// Category describes one top-level key of a word-list file.
type Category[C comparable, V any] struct {
	Cat C
	// Value parses a mapping key of the category into its value and string;
	// nil for a plain list of words.
	Value func(s string) (V, string, error)
	// Article adds the ال form of Arabic words.
	Article bool
}

// Entry is one word of a list compiled to match keys.
type Entry[C comparable, V any] struct {
	Keys []string
	Cat  C
	Val  V
	Str  string
	Def  bool // made by adding the article ال
}

// Format describes the word lists of one stage.
type Format[C comparable, V any] struct {
	// Categories maps the top-level keys to their categories.
	Categories map[string]Category[C, V]
	// Keys makes the match keys of a word.
	Keys func(word string) []string
	// NoKeys says what a word without keys lacks, as in
	// `word "..." has no letters or digits`.
	NoKeys string
	// RemoveArticle makes "remove" take out the ال forms of the words too.
	RemoveArticle bool
	// Default is the embedded word lists, read before the user's files.
	Default Source
}

type entryKey[C comparable] struct {
	cat C
	key string
}

type loader[C comparable, V any] struct {
	f       *Format[C, V]
	entries map[entryKey[C]]*Entry[C, V]
	order   []entryKey[C]
	errs    diag.ErrorList
}

// Load reads f.Default then srcs, in order, and returns their entries in the
// order they were first listed. Every problem of every file is returned,
// sorted; the entries are nil when there is an error (warnings do not
// count). srcs may be of any type with the fields of Source, such as a
// stage's own Source type.
func Load[C comparable, V any, S ~struct {
	Name string
	Data []byte
}](f Format[C, V], srcs ...S) ([]*Entry[C, V], diag.ErrorList) {
	l := &loader[C, V]{f: &f, entries: map[entryKey[C]]*Entry[C, V]{}}
	l.file(f.Default)
	for _, src := range srcs {
		l.file(Source(src))
	}
	l.errs.Sort()
	if l.errs.Err() != nil {
		return nil, l.errs
	}
	var out []*Entry[C, V]
	for _, k := range l.order {
		if e := l.entries[k]; e != nil {
			out = append(out, e)
		}
	}
	return out, l.errs
}

func (l *loader[C, V]) file(src Source) {
	file, errs := src.Name, &l.errs
	var root yaml.Node
	if err := yaml.Unmarshal(src.Data, &root); err != nil {
		*errs = append(*errs, diag.YAMLError(file, err)...)
		return
	}
	if len(root.Content) == 0 {
		return
	}
	doc := root.Content[0]
	if doc.Kind == yaml.ScalarNode && doc.Tag == "!!null" {
		return
	}
	if doc.Kind != yaml.MappingNode {
		errs.Add(diag.NodePos(file, doc), "expected a mapping of word lists")
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		if seen[k.Value] {
			errs.Add(diag.NodePos(file, k), "key %q given twice", k.Value)
		}
		seen[k.Value] = true
		if k.Value == "remove" {
			for _, w := range words(file, v, errs) {
				l.remove(w.s)
			}
			continue
		}
		spec, ok := l.f.Categories[k.Value]
		if !ok {
			errs.Add(diag.NodePos(file, k), "unknown key %q (known: %s, remove)", k.Value, strings.Join(l.knownKeys(), ", "))
			continue
		}
		if spec.Value == nil {
			var zero V
			for _, w := range words(file, v, errs) {
				l.add(file, spec, w, zero, "")
			}
			continue
		}
		if v.Kind != yaml.MappingNode {
			errs.Add(diag.NodePos(file, v), "%q must be a mapping of value: [words]", k.Value)
			continue
		}
		for j := 0; j+1 < len(v.Content); j += 2 {
			vk, vv := v.Content[j], v.Content[j+1]
			val, str, err := spec.Value(vk.Value)
			if err != nil {
				errs.Add(diag.NodePos(file, vk), "%s: %v", k.Value, err)
				continue
			}
			for _, w := range words(file, vv, errs) {
				l.add(file, spec, w, val, str)
			}
		}
	}
}

// remove takes the word w out of every list.
func (l *loader[C, V]) remove(w string) {
	key := strings.Join(l.f.Keys(w), " ")
	for ek := range l.entries {
		if ek.key == key || l.f.RemoveArticle && ek.key == "ال"+key {
			l.entries[ek] = nil
		}
	}
}

// add lists the word w in the category of spec, with its ال form when the
// category asks for it.
func (l *loader[C, V]) add(file string, spec Category[C, V], w word, val V, str string) {
	keys := l.f.Keys(w.s)
	if len(keys) == 0 {
		l.errs.Add(diag.NodePos(file, w.n), "word %q has no %s", w.s, l.f.NoKeys)
		return
	}
	put := func(keys []string, def bool) {
		ek := entryKey[C]{spec.Cat, strings.Join(keys, " ")}
		if _, ok := l.entries[ek]; !ok {
			l.order = append(l.order, ek)
		}
		l.entries[ek] = &Entry[C, V]{Keys: keys, Cat: spec.Cat, Val: val, Str: str, Def: def}
	}
	put(keys, false)
	if spec.Article && normalize.HasArabic(keys[0]) && !strings.HasPrefix(strings.TrimSpace(w.s), "ال") {
		put(append([]string{"ال" + keys[0]}, keys[1:]...), true)
	}
}

func (l *loader[C, V]) knownKeys() []string {
	var out []string
	for k := range l.f.Categories {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

type word struct {
	s string
	n *yaml.Node
}

// words reads a word or a list of words.
func words(file string, n *yaml.Node, errs *diag.ErrorList) []word {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return nil
		}
		if n.Tag != "!!str" {
			errs.Add(diag.NodePos(file, n), "expected a word, got %s", n.Tag)
			return nil
		}
		if strings.TrimSpace(n.Value) == "" {
			errs.Add(diag.NodePos(file, n), "empty word")
			return nil
		}
		return []word{{n.Value, n}}
	case yaml.SequenceNode:
		var out []word
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode {
				errs.Add(diag.NodePos(file, c), "expected a word")
				continue
			}
			out = append(out, words(file, c, errs)...)
		}
		return out
	}
	errs.Add(diag.NodePos(file, n), "expected a word or a list of words")
	return nil
}

// Index maps the first key of each entry to the entries, longest first.
// Sort compiles it to a keyTable of the keys at which Match finds entries:
// most tokens start none, and Match turns them away with one lookup rather
// than one for each reading of the key. The zero Index is empty and ready
// to use.
type Index[C comparable, V any] struct {
	byFirst map[string][]*Entry[C, V]
	// keys is built by Sort and dropped by Add; without it Match looks
	// every reading up in byFirst.
	keys keyTable[C, V]
}

// Add indexes e; call Sort when all are added.
func (ix *Index[C, V]) Add(e *Entry[C, V]) {
	if ix.byFirst == nil {
		ix.byFirst = map[string][]*Entry[C, V]{}
	}
	ix.byFirst[e.Keys[0]] = append(ix.byFirst[e.Keys[0]], e)
	ix.keys = keyTable[C, V]{}
}

// Sort puts the longer phrases first, keeping the order of equal lengths,
// and compiles the keyTable.
func (ix *Index[C, V]) Sort() {
	for _, es := range ix.byFirst {
		sort.SliceStable(es, func(i, j int) bool { return len(es[i].Keys) > len(es[j].Keys) })
	}
	ix.keys = compileKeys(ix.byFirst)
}

// Lookup returns the entries whose first key is key, longest first.
func (ix *Index[C, V]) Lookup(key string) []*Entry[C, V] {
	return ix.byFirst[key]
}
