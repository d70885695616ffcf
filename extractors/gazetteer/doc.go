// Package gazetteer is the stage that finds gazetteer names (places and
// organizations) in tokenized text.
//
// Names are compiled once into a hash index over token-window keys: the key
// of a window of k tokens is their normalized keys joined by a space, so a
// lookup costs the same with 5k or 500k names. Arabic proclitics (و ف ب ك ل,
// and لل for ل+ال) are removed from the window's first token only when the
// exact form does not match; the longest match wins, then the exact form.
package gazetteer
