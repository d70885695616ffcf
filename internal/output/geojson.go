package output

import (
	"bufio"
	"encoding/json"
	"io"

	"github.com/hadath/hadath/pipeline"
)

// GeoJSONWriter streams an RFC 7946 FeatureCollection: one Point feature
// per located event, with the EventRow fields as properties. Events whose
// location has no coordinates (or impossible ones) are skipped and counted.
type GeoJSONWriter struct {
	bw        *bufio.Writer
	started   bool
	n         int
	unlocated int
	docErrs   int
	closed    bool
}

// NewGeoJSONWriter returns a GeoJSON writer on w.
func NewGeoJSONWriter(w io.Writer) *GeoJSONWriter {
	return &GeoJSONWriter{bw: bufio.NewWriterSize(w, 256<<10)}
}

type geoFeature struct {
	Type       string      `json:"type"`
	ID         string      `json:"id"`
	Geometry   geoGeometry `json:"geometry"`
	Properties EventRow    `json:"properties"`
}

type geoGeometry struct {
	Type        string     `json:"type"`
	Coordinates [2]float64 `json:"coordinates"` // [lon, lat]
}

func (w *GeoJSONWriter) start() error {
	if w.started {
		return nil
	}
	w.started = true
	_, err := w.bw.WriteString(`{"type":"FeatureCollection","features":[`)
	return err
}

// ValidLonLat reports whether a point is inside WGS 84 bounds.
func ValidLonLat(lon, lat float64) bool {
	return lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90
}

// Write writes the located events of one result.
func (w *GeoJSONWriter) Write(res pipeline.Result) error {
	if err := w.start(); err != nil {
		return err
	}
	if res.Doc == nil || res.Err != nil || res.Failed || len(res.Doc.Errors) > 0 {
		w.docErrs++
		return nil
	}
	for _, r := range Rows(res) {
		if r.Latitude == nil || r.Longitude == nil || !ValidLonLat(*r.Longitude, *r.Latitude) {
			w.unlocated++
			continue
		}
		f := geoFeature{Type: "Feature", ID: r.EventID,
			Geometry:   geoGeometry{Type: "Point", Coordinates: [2]float64{*r.Longitude, *r.Latitude}},
			Properties: r}
		b, err := json.Marshal(f)
		if err != nil {
			return err
		}
		sep := "\n"
		if w.n > 0 {
			sep = ",\n"
		}
		if _, err := w.bw.WriteString(sep); err != nil {
			return err
		}
		if _, err := w.bw.Write(b); err != nil {
			return err
		}
		w.n++
	}
	return nil
}

// Close ends the collection and flushes. It is safe to call twice.
func (w *GeoJSONWriter) Close() error {
	if w.closed {
		return w.bw.Flush()
	}
	w.closed = true
	if err := w.start(); err != nil {
		return err
	}
	if _, err := w.bw.WriteString("\n]}\n"); err != nil {
		return err
	}
	return w.bw.Flush()
}

// Counts reports the events without coordinates and the documents left
// out because of errors.
func (w *GeoJSONWriter) Counts() map[string]int {
	return map[string]int{"features": w.n, "unlocated_events": w.unlocated, "documents_without_rows": w.docErrs}
}
