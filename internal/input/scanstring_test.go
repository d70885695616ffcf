package input

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// scanPieces are the bytes and characters that matter to scanString:
// plain ASCII, quotes and escapes, control characters, two-byte leads and
// continuations (also alone or misplaced), C0 and C1 (invalid leads),
// three- and four-byte characters and invalid bytes.
var scanPieces = []string{
	"a", " ", "~", "\x7f", `\"`, `\\`, `\n`, `\u0628`, `\ud83d\ude00`, `\ud83d`, "\"", "\\", "\n", "\t", "\x00", "\x1f",
	"ب", "é", "\u0080", "\u07ff", "\xc2", "\xdf", "\x80", "\xbf", "\xc0\x80", "\xc1\xbf",
	"\u2028", "€", "😀", "\xe2\x80", "\xf0\x9f\x98", "\xff", "\xfe",
}

// TestScanStringPieces compares the one-pass reader with the map-based
// one on lines whose text is built from scanPieces at every position of
// the eight-byte words scanString reads.
func TestScanStringPieces(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	fm := diffFieldMaps[0]
	for n := 0; n <= 40; n++ {
		for range 200 {
			var sb strings.Builder
			plain := rnd.IntN(2) == 0 // mostly plain, with one odd piece
			for sb.Len() < n {
				if plain && rnd.IntN(n+1) != 0 {
					sb.WriteString([]string{"a", "ب", " ", "7"}[rnd.IntN(4)])
				} else {
					sb.WriteString(scanPieces[rnd.IntN(len(scanPieces))])
				}
			}
			s := sb.String()
			for _, tail := range []string{`"}`, `", "x": "بب"}`, `","title":"abcdefghبببب"}`} {
				compareParse(t, fm, []byte(`{"`+fm.Text+`": "`+s+tail))
				compareParse(t, fm, []byte(`{"`+fm.Text+`":"`+s+tail))
			}
		}
	}
}
