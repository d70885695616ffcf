// Package orgs is the stage that finds organizations that have no gazetteer
// entry from their designator words, as GATE ANNIE does with organization
// key words: بلدية نابلس, البنك التجاري, معهد الدراسات المتقدمة, صحيفة
// «القادسية», شركة شيودا اليابانية, "Ministry of Labour", "Kassala
// University". The rules are in rules/organizations.yaml (docs/RULES.md,
// "Organizations without a gazetteer entry"); the organizations are
// unlinked: Match "designator", no ID, the rule's kind.
//
// It runs after the gazetteer, dates and quantities stages: a name never
// takes a word of a date or a quantity and never duplicates a gazetteer
// entity. A gazetteer place named right after a designator stays a place,
// nested in the organization (بلدية [نابلس]); two gazetteer entities are
// replaced: a place that is exactly a quoted name after a designator
// (صحيفة "بابل" is a newspaper), and in English an organization inside a
// longer "X of" name ("Ministry of Foreign Affairs" is not the magazine).
package orgs
