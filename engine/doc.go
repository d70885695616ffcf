// Package engine is the public, embeddable form of `hadath extract`: it
// loads the configuration, gazetteers and rules once, and then turns one
// JSON Lines input line into the JSON line(s) `hadath extract` writes for it.
//
// It exists for runners that cannot use the command line, such as the Apache
// Beam pipeline in the beam/ module (internal/ packages cannot be imported
// from another module). An Engine is safe for concurrent use: the stages are
// built once and shared, and every call works on its own document.
//
//	e, err := engine.New(engine.Options{Gazetteers: []string{"big.yaml"}})
//	out, err := e.ProcessLine([]byte(`{"id":"1","text":"قصف على حلب"}`))
package engine
