// Package sentences is the stage that splits tokenized text into sentences.
//
// It ends a sentence at . ! ? ؟ … and at line breaks (headlines have no final
// punctuation), never at the Arabic comma ، or semicolon ؛. A full stop after
// a known abbreviation (English "Dec.", "Gen."; Arabic "د." and "م.") or a
// single letter does not end a sentence; decimal points never do, since
// numbers are single tokens. Closing quotes and brackets after the mark stay
// in the sentence. Each sentence gets a script-based language.
package sentences
