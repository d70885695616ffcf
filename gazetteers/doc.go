// Package gazetteers loads place and organization gazetteers from YAML and
// embeds hadath's default gazetteers (the *.yaml files of this folder).
//
// A file has a top-level "entries:" list; each entry has id, type (place or
// organization), names (language code to list of names) and optional
// attributes. Every problem is reported as file:line:col: message, all at
// once (see Load).
package gazetteers
