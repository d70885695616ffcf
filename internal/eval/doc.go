// Package eval scores hadath's output against labelled data for `hadath
// eval` (docs/EVALUATION.md): places and organizations against CoNLL/BIO
// gold, dates, events, ACLED rows and WikiEvents triggers. It reports the
// scores as tables and compares runs saved with --save.
package eval
