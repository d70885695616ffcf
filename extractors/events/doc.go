// Package events is the stage that detects events from YAML rules and
// attaches their arguments.
//
// For every trigger (a rule's word or phrase, with Arabic clitics handled),
// it sets the status from the nearest cue word (calls, agreements, future,
// refusals, denials, negation) scoped to the trigger's sentence and clause,
// and takes the arguments from the trigger's clause first, then its
// sentence: location (origin and destination after من … إلى …), actors with
// roles, quantities by what they count, duration and date. Then it folds
// the people killed or injured in an attack into that attack and merges
// the mentions of one event across sentences (merge.go), listing them in
// the event's evidence. See docs/RULES.md for the rule format, merging and
// the confidence formula.
package events
