// Package output writes pipeline results as JSON Lines: one record per
// document (or one per event with EmitEvents), and one error record for an
// input that could not be read.
package output
