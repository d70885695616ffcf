// Package rules holds hadath's language resources and event rules as YAML
// (embedded defaults, extended or overridden by user files) and loads them
// with file:line:col errors.
package rules
