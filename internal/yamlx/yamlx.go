package yamlx

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/hadath/hadath/internal/diag"
)

// MaxBytes bounds a configuration file; larger files are refused.
const MaxBytes = 32 << 20

// Decode parses data (named file) into v, a pointer to a struct, and
// returns every problem found.
func Decode(file string, data []byte, v any) diag.ErrorList {
	var errs diag.ErrorList
	if len(data) > MaxBytes {
		errs.Add(diag.Position{Filename: file}, "file larger than %d bytes", MaxBytes)
		return errs
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil {
		if errors.Is(err, io.EOF) {
			return nil
		}
		return diag.YAMLError(file, err)
	}
	if len(root.Content) == 0 {
		return nil
	}
	CheckKeys(file, root.Content[0], reflect.TypeOf(v), &errs)
	if len(errs) > 0 {
		return errs
	}
	if err := root.Decode(v); err != nil {
		return diag.YAMLError(file, err)
	}
	return nil
}

// CheckKeys reports mapping keys of n that have no field in t.
func CheckKeys(file string, n *yaml.Node, t reflect.Type, errs *diag.ErrorList) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if n.Kind == yaml.AliasNode {
		n = n.Alias
		if n == nil {
			return
		}
	}
	switch t.Kind() {
	case reflect.Struct:
		if n.Kind != yaml.MappingNode {
			if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
				return
			}
			errs.Add(diag.NodePos(file, n), "expected a mapping")
			return
		}
		fields := map[string]reflect.Type{}
		var names []string
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name := strings.Split(f.Tag.Get("yaml"), ",")[0]
			if name == "-" {
				continue
			}
			if name == "" {
				name = strings.ToLower(f.Name)
			}
			fields[name] = f.Type
			names = append(names, name)
		}
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			ft, ok := fields[k.Value]
			if !ok {
				errs.Add(diag.NodePos(file, k), "unknown key %q (known: %s)", k.Value, strings.Join(names, ", "))
				continue
			}
			if seen[k.Value] {
				errs.Add(diag.NodePos(file, k), "key %q given twice", k.Value)
			}
			seen[k.Value] = true
			CheckKeys(file, v, ft, errs)
		}
	case reflect.Slice:
		if n.Kind == yaml.SequenceNode {
			for _, c := range n.Content {
				CheckKeys(file, c, t.Elem(), errs)
			}
		}
	case reflect.Map:
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				CheckKeys(file, n.Content[i+1], t.Elem(), errs)
			}
		}
	}
}
