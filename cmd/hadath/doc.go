// Command hadath extracts places, organizations, dates, quantities and
// events from Arabic and English news as JSON Lines.
//
//	hadath extract [flags] [PATH ...]
//
// See README.md and docs/ for the output schema and configuration.
package main
