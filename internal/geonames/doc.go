// Package geonames converts public place lists into hadath gazetteer YAML:
// the GeoNames main table (allCountries.txt, cities15000.txt, XX.txt, or
// the .zip of any of them) with, optionally, its alternate names, and TSV
// lists of ISO 3166-1 countries with Arabic names.
//
// Input is streamed row by row; the kept entries are held in memory (for
// parents and alternate names) and written once at the end.
package geonames
