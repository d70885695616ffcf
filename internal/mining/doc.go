// Package mining finds names a gazetteer lacks: it counts the words written
// right after (or before) place and organization cues in a dump — مدينة
// الفوعة, "the town of Tell Abyad", "the Islamic State group" — leaving out
// the words the gazetteer stage already matched, and turns the frequent ones
// into gazetteer entry stubs for review (`hadath gazetteer suggest`).
//
// Documents must have gone through the normalize, sentences and gazetteer
// stages. Counting is deterministic: the same documents in the same order
// give the same candidates, examples and output.
package mining
