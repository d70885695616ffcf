// Package pipeline holds hadath's document model (documents, tokens,
// sentences, entity, date, quantity and event mentions), the Stage interface
// that every processor implements, and the Pipeline that runs stages in order
// over a stream of documents.
//
// Offsets everywhere are Unicode code points into the original field text, so
// that Python's text[start:end] returns the mention.
package pipeline
