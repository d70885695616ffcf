// Package suggest finds near misses: the words of a list that are one edit
// (an insertion, deletion, substitution or transposition of one letter)
// away from a query. It backs "did you mean" messages and the near misses of
// `hadath gazetteer explain`.
//
// The index is a deletion neighbourhood (as in SymSpell): every word is
// stored under itself and under each form with one letter removed; a query
// looks up itself and its own one-letter deletions, then checks the true
// distance. A lookup costs O(length) map probes whatever the list's size.
package suggest
