// Package normalize builds match keys for Arabic and English text and splits
// text into tokens that carry both their original offsets and their keys.
//
// Keys are for matching only and never shown: NFKC of presentation forms,
// invisible marks, tatweel and diacritics removed, alef/hamza forms to ا,
// ى to ي, ة to ه, Persian yeh/kaf to Arabic, every decimal digit to ASCII,
// Latin letters lower-cased with accents removed. Every key rune keeps the
// offset of the original rune it came from (Token.KeyMap).
package normalize
