// Package yamlx decodes YAML strictly into Go structs: unknown keys are
// errors with file:line:col, and every problem in a file is reported at
// once, not only the first.
package yamlx
