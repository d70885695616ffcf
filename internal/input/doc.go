// Package input reads documents from JSON Lines files, text files,
// directories, gzip files and standard input, and turns each into a
// pipeline.Item in a deterministic order. A document that cannot be read
// becomes an Item with an error, so that nothing is lost silently.
package input
