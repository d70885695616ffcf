// Package diag reports problems in user files (config, gazetteers, rules) as
// positions "file:line:col: message", gathered in an ErrorList so that every
// problem is shown at once, in the manner of go/scanner.
package diag
