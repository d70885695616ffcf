package pipeline

import (
	"encoding/json"
	"time"
)

// Document is one input article and everything the stages found in it.
type Document struct {
	ID    string
	Text  string
	Title string
	Date  string // as given in the input
	Lang  string // as given in the input, or detected
	URL   string
	// Extra keeps input fields that hadath does not interpret, to copy them
	// to the output.
	Extra map[string]json.RawMessage
	// Source says where the document came from (file:line or path).
	Source string

	// DocDate is the parsed document date; HasDate is false when unknown.
	DocDate time.Time
	HasDate bool

	// Fields are the analysed texts: "text" first, then "title" when present.
	Fields []*Field

	Events []Event
	Errors []RecordError
	// Notes are non-fatal remarks about the input (e.g. replaced bytes).
	Notes []string
}

// Field is one analysed text of a document (its body or its title).
type Field struct {
	Name  string // "text" or "title"
	Text  string
	Runes []rune

	Tokens    []Token
	Sentences []Sentence

	Entities   []Entity
	Dates      []DateMention
	Quantities []Quantity
}

// Slice returns the text between code-point offsets start and end.
func (f *Field) Slice(start, end int) string {
	if start < 0 {
		start = 0
	}
	if end > len(f.Runes) {
		end = len(f.Runes)
	}
	if start >= end {
		return ""
	}
	return string(f.Runes[start:end])
}

// TokenKind classifies a token.
type TokenKind uint8

const (
	// Word is a run of letters (and marks), possibly with inner digits.
	Word TokenKind = iota
	// Number is a run of digits with their separators.
	Number
	// Punct is a punctuation or symbol character that breaks a phrase.
	Punct
)

// Token is a word, number or punctuation mark with its offsets and match key.
// Its fields are ordered, and Sentence is 32-bit, so that it takes 64
// bytes, one cache line: a document holds one per word, and every stage
// reads them in turn.
type Token struct {
	Start, End int // code points into the field text
	// Key is the normalized match key (see extractors/normalize).
	Key string
	// KeyMap maps each rune of Key to the offset (in the field) of the rune it
	// came from; len(KeyMap) == number of runes in Key. It is read-only: the
	// tokenizer shares one table of offsets between tokens and documents.
	KeyMap []int
	// Sentence is the index of the sentence holding the token (32-bit: a
	// field would need more than 2^31 sentences to overflow it).
	Sentence int32
	Kind     TokenKind
	// Joined is true when the token follows the previous one with only
	// spaces, hyphens or apostrophes between them, so that a multi-word name
	// may span them.
	Joined bool
	// Glued marks a piece split out of a longer token (glued-word repair).
	Glued bool
}

// Sentence is a span of a field's text.
type Sentence struct {
	Start, End int // code points
	// TokStart and TokEnd delimit the sentence's tokens [TokStart, TokEnd).
	TokStart, TokEnd int
	Lang             string
}

// Entity is a place or organization mention matched against a gazetteer,
// or an organization found from a designator word (Match "designator": no
// ID, no Name; see extractors/orgs).
type Entity struct {
	Field     string   `json:"field,omitempty"`
	Type      string   `json:"type"`
	Text      string   `json:"text"`
	Start     int      `json:"start"`
	End       int      `json:"end"`
	Sentence  int      `json:"sentence"`
	ID        string   `json:"id,omitempty"`
	Name      string   `json:"name,omitempty"`
	NameAr    string   `json:"name_ar,omitempty"`
	Kind      string   `json:"kind,omitempty"`
	Country   string   `json:"country,omitempty"`
	Admin1    string   `json:"admin1,omitempty"`
	Lat       *float64 `json:"lat,omitempty"`
	Lon       *float64 `json:"lon,omitempty"`
	Qualifier string   `json:"qualifier,omitempty"`
	// Match says how the name was found: exact, clitic (a prefix such as
	// و ب ل ال was removed), glued (inside a token that lacked spaces) or
	// designator (an organization without a gazetteer entry).
	Match string `json:"match"`
	// Score and Alternatives are set when several entries share the name:
	// the chosen entry's score and up to 3 runners-up, best first (see
	// docs/GAZETTEERS.md, "Disambiguation").
	Score        float64       `json:"score,omitempty"`
	Alternatives []Alternative `json:"alternatives,omitempty"`
	// TokStart and TokEnd are the token range, for later stages.
	TokStart int `json:"-"`
	TokEnd   int `json:"-"`
}

// Alternative is a gazetteer entry that shares an entity's name but lost.
type Alternative struct {
	ID    string  `json:"id"`
	Name  string  `json:"name"`
	Score float64 `json:"score"`
}

// DateMention is a date, time or duration found in the text.
type DateMention struct {
	Field     string `json:"field,omitempty"`
	Text      string `json:"text"`
	Start     int    `json:"start"`
	End       int    `json:"end"`
	Sentence  int    `json:"sentence"`
	Type      string `json:"type"`  // date | time | duration
	Value     string `json:"value"` // ISO 8601 / TIMEX3
	Precision string `json:"precision"`
	// Anchor tells how the value was resolved: explicit, document_date
	// (relative to the document date), year_from_document, none.
	Anchor string `json:"anchor"`
	// Mod is a TIMEX3 modifier: START, MID, END, or empty.
	Mod string `json:"mod,omitempty"`
	// PartOfDay is morning, midday, afternoon, evening, night or empty.
	PartOfDay string `json:"part_of_day,omitempty"`
	// Note explains a doubt, e.g. a weekday that disagrees with the date.
	Note     string `json:"note,omitempty"`
	TokStart int    `json:"-"`
	TokEnd   int    `json:"-"`
}

// Quantity is a number found in the text, with what it counts when known.
type Quantity struct {
	Field       string  `json:"field,omitempty"`
	Text        string  `json:"text"`
	Start       int     `json:"start"`
	End         int     `json:"end"`
	Sentence    int     `json:"sentence"`
	Value       float64 `json:"value"`
	Counted     string  `json:"counted,omitempty"` // e.g. case, displaced, killed
	CountedText string  `json:"counted_text,omitempty"`
	Approximate bool    `json:"approximate"`
	// Bound is "min" for lower bounds (more than, at least), "max" for upper.
	Bound    string `json:"bound,omitempty"`
	TokStart int    `json:"-"`
	TokEnd   int    `json:"-"`
}

// Span is a piece of text with its offsets.
type Span struct {
	Field string `json:"field,omitempty"`
	Text  string `json:"text"`
	Start int    `json:"start"`
	End   int    `json:"end"`
}

// Actor is a participant of an event with its role.
type Actor struct {
	Role  string `json:"role"` // actor, target, mediator, requester, source
	Text  string `json:"text"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	ID    string `json:"id,omitempty"`
	Name  string `json:"name,omitempty"`
}

// EventDate is the date of an event and where it came from.
type EventDate struct {
	Value     string `json:"value"`
	Precision string `json:"precision"`
	// Source is clause, sentence or document.
	Source string `json:"source"`
	Text   string `json:"text,omitempty"`
	Start  *int   `json:"start,omitempty"`
	End    *int   `json:"end,omitempty"`
}

// EventQuantity is a number attached to an event.
type EventQuantity struct {
	Role        string  `json:"role"` // killed, injured, displaced, evacuated, detained, count
	Value       float64 `json:"value"`
	Counted     string  `json:"counted,omitempty"`
	Text        string  `json:"text"`
	Start       int     `json:"start"`
	End         int     `json:"end"`
	Approximate bool    `json:"approximate"`
	Bound       string  `json:"bound,omitempty"`
}

// Event is one detected event.
type Event struct {
	ID          string          `json:"id"`
	DocID       string          `json:"doc_id,omitempty"`
	Type        string          `json:"type"`
	Subtype     string          `json:"subtype,omitempty"`
	Status      string          `json:"status"`
	StatusCue   *Span           `json:"status_cue,omitempty"`
	Trigger     Span            `json:"trigger"`
	Sentence    int             `json:"sentence"`
	Location    *Entity         `json:"location,omitempty"`
	Origin      *Entity         `json:"origin,omitempty"`
	Destination *Entity         `json:"destination,omitempty"`
	Date        *EventDate      `json:"date,omitempty"`
	Actors      []Actor         `json:"actors"`
	Quantities  []EventQuantity `json:"quantities"`
	Duration    string          `json:"duration,omitempty"`
	Codes       Codes           `json:"codes"`
	Confidence  float64         `json:"confidence"`
	Rule        string          `json:"rule"`
	Field       string          `json:"field,omitempty"`
	TokStart    int             `json:"-"`
	TokEnd      int             `json:"-"`
	// Evidence lists every mention of the event, the trigger's first: the
	// stage merges mentions of one event across sentences.
	Evidence []EventMention `json:"evidence,omitempty"`
}

// EventMention is one place in the text where an event is stated: its
// trigger's sentence and code-point span.
type EventMention struct {
	Sentence int    `json:"sentence"`
	Field    string `json:"field,omitempty"`
	Text     string `json:"text"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
}

// Codes are the event's codes in the schemes analysts join on.
type Codes struct {
	CAMEO             string `json:"cameo,omitempty"`
	PLOVERCategory    string `json:"plover_category,omitempty"`
	PLOVERMode        string `json:"plover_mode,omitempty"`
	ACLEDEventType    string `json:"acled_event_type,omitempty"`
	ACLEDSubEventType string `json:"acled_sub_event_type,omitempty"`
}

// RecordError is a problem met while processing one document.
type RecordError struct {
	Stage   string `json:"stage,omitempty"`
	Message string `json:"message"`
}
