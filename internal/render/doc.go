// Package render writes processed documents as one self-contained HTML
// page: the text with entities, dates, quantities and event triggers
// highlighted by type, and each document's events in a table whose rows
// link to their triggers. The page loads nothing: no scripts, fonts, images
// or stylesheets from elsewhere.
package render
