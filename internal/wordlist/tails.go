package wordlist

// TailFilter is a prefilter in front of Index.Match: it turns away the
// tokens whose key cannot start any phrase of a list, looking only at the
// key's last bytes.
//
// It relies on how Match reads a key K: every reading it looks up is K
// less a proclitic of at most maxClitic bytes (و ف, then ب ل: K, K[2:],
// K[4:]), or such a suffix s behind an added alef (لل read as ال). A reading
// of tailLen bytes or more therefore ends with the last tailLen bytes of K
// (behind the alef, when s has that many); a shorter one, or an s shorter
// than that, is a suffix of K at least len(K)-maxClitic bytes long, behind
// proclitics only (clitics). The filter holds the last tailLen bytes of the
// longer first keys, and the shorter first keys themselves together with
// the s of the first keys "ا"+s where s is shorter than tailLen bytes. It never turns away a key at
// which Match finds a phrase (TestTailFilterKeepsEveryReading); a key it
// lets through may still find nothing. Its zero value turns every key away.
// Index.Sort builds one from the first keys, and Match asks it first.
type TailFilter struct {
	tails [tailWords]uint64 // last tailLen bytes of the longer first keys
	short [tailWords]uint64 // the first keys (and alef remainders) under tailLen bytes
	// shortLens has bit n set when short holds a string of n bytes.
	shortLens uint8
}

const (
	// tailLen is the number of last bytes compared: three Arabic letters.
	tailLen = 6
	// maxClitic is the most key bytes Match removes before a reading.
	maxClitic = 4
	tailLog   = 14 // bits in each table: 2 KiB, for a few hundred keys
	tailWords = 1 << tailLog / 64
)

// tailHash maps a packed string to a bit of a table.
func tailHash(v uint64) uint64 { return (v * 0x9E3779B97F4A7C15) >> (64 - tailLog) }

// pack packs s, of at most seven bytes, with its length: the last byte
// lowest, so that a longer suffix of a key adds bytes above a shorter one.
func pack(s string) uint64 {
	v := uint64(len(s)) << 56
	for i := 0; i < len(s); i++ {
		v |= uint64(s[len(s)-1-i]) << (8 * i)
	}
	return v
}

// packTail is pack of the last tailLen bytes of k, which has that many.
func packTail(k string) uint64 {
	n := len(k)
	_ = k[n-tailLen]
	return tailLen<<56 | uint64(k[n-1]) | uint64(k[n-2])<<8 | uint64(k[n-3])<<16 |
		uint64(k[n-4])<<24 | uint64(k[n-5])<<32 | uint64(k[n-6])<<40
}

func (f *TailFilter) set(tab *[tailWords]uint64, v uint64) {
	h := tailHash(v)
	tab[h>>6] |= 1 << (h & 63)
}

func (f *TailFilter) has(tab *[tailWords]uint64, v uint64) bool {
	h := tailHash(v)
	return tab[h>>6]&(1<<(h&63)) != 0
}

// addShort adds a string of one to tailLen-1 bytes.
func (f *TailFilter) addShort(s string) {
	f.set(&f.short, pack(s))
	f.shortLens |= 1 << len(s)
}

// Add adds the first key of a phrase.
func (f *TailFilter) Add(key string) {
	switch {
	case key == "":
	case len(key) >= tailLen:
		f.set(&f.tails, packTail(key))
	default:
		f.addShort(key)
	}
	if len(key) >= 2 && key[:2] == "ا" {
		if rest := key[2:]; rest != "" && len(rest) < tailLen {
			f.addShort(rest)
		}
	}
}

// MayStart reports whether Match could find a phrase at a token whose key
// is k: false means it finds none.
func (f *TailFilter) MayStart(k string) bool {
	n := len(k)
	if n >= tailLen && f.has(&f.tails, packTail(k)) {
		return true
	}
	// a short reading is k less at most maxClitic bytes
	lo := n - maxClitic
	if lo >= tailLen {
		return false
	}
	var v uint64 // the last l bytes of k, packed
	for l := 1; l < tailLen && l <= n; l++ {
		v |= uint64(k[n-l]) << (8 * (l - 1))
		if l >= lo && f.shortLens&(1<<l) != 0 && clitics(k[:n-l]) && f.has(&f.short, v|uint64(l)<<56) {
			return true
		}
	}
	return false
}

// clitics reports whether p is a run of proclitics that Match removes
// before a reading: nothing, و ف ب ل, or و ف then ب ل. (Behind the alef of
// لل read as ال, what is removed is ل, ول or فل.)
func clitics(p string) bool {
	switch len(p) {
	case 0:
		return true
	case 2:
		return p == "و" || p == "ف" || p == "ب" || p == "ل"
	case 4:
		return (p[:2] == "و" || p[:2] == "ف") && (p[2:] == "ب" || p[2:] == "ل")
	}
	return false
}
