// Package app assembles the pipeline from the configuration: it loads the
// gazetteers and rules (every problem at once, as file:line:col), compiles
// the stages once, and orders them as config.yaml lists them.
package app
