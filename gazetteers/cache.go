package gazetteers

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
)

// cacheFormat changes whenever the loader's validation changes, which
// invalidates every cache file.
const cacheFormat = "hadath-gazetteer-cache-v6"

// keyProbes exercise every rule of the match key (see extractors/normalize);
// their keys are part of the cache key.
var keyProbes = []string{
	"إِسْطَنْبُولُ آستانة أ إ ٱ ى ة ی ک ـ", "U.S. Côte d’Ivoire São-Tomé ١٢٣ ۴۵", "ﻻ ﷲ \u200f\u00ad", "Al-Bab al Bab's ALEPPO",
	"للرقة وبحلب", "ΑΘΗΝΑ Москва", "İstanbul ß ﬁ",
}

// CacheOptions configures the compiled cache of a gazetteer (see
// extractors/gazetteer.LoadIndex).
type CacheOptions struct {
	// Dir holds the cache files; "" means os.UserCacheDir()/hadath.
	Dir string
	// Disable skips the cache: the sources are always parsed.
	Disable bool
}

// CacheKey returns the hex SHA-256 of the cache format and of every
// source's override flag and bytes, in order: the cache file of a set of
// sources, which changes whenever any of them does. The sources' names do
// not count: the same files given by another path (relative, absolute, from
// another folder) share the cache; the cache's user puts the current names
// back into what it stores (see extractors/gazetteer.LoadIndex).
func CacheKey(srcs []Source) string {
	h := sha256.New()
	var n [8]byte
	write := func(b []byte) {
		binary.LittleEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	write([]byte(cacheFormat))
	// the cache holds match keys: a change of the normalizer must miss it
	for _, p := range keyProbes {
		write([]byte(MatchKey(p)))
	}
	for _, s := range srcs {
		if s.Override {
			write([]byte{1})
		} else {
			write([]byte{0})
		}
		if s.Data != nil || s.Path == "" {
			write(s.Data)
		} else if err := writeFile(h, s.Path); err != nil {
			// a key no cache file has: Load reads the file again and
			// reports the error
			write([]byte("unreadable: " + err.Error()))
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// writeFile writes the file at path to h as CacheKey's write does a
// source's bytes (length, then content), streaming it.
func writeFile(h io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(fi.Size()))
	h.Write(n[:])
	copied, err := io.Copy(h, f)
	if err == nil && copied != fi.Size() {
		err = errors.New("file changed while read")
	}
	return err
}

// CacheDir returns the directory of the cache files for o.
func (o CacheOptions) CacheDir() (string, error) {
	if o.Dir != "" {
		return o.Dir, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "hadath"), nil
}
