// Package wordlist holds what the word-list stages (dates, quantities) share:
// loading their YAML word lists into match keys with positioned errors
// (Load), looking the phrases up at a token with the Arabic proclitics
// removed (Index.Match, on a table of the keys that read as a first key,
// compiled by Index.Sort), a Bloom filter of keys (Filter, which the events
// and orgs stages use), and the plumbing of a stage's Process (Process,
// Span).
//
// A word-list file is a mapping of category names to either a word, a list
// of words, or (for categories with values) a mapping of value: [words].
// The top-level key "remove" takes words out of every list. A later file
// overrides the value of a word already listed in the same category.
package wordlist
