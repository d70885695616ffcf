// Package quantities finds numbers in Arabic and English news and what they
// count: "80 ألفا" = 80000, "أكثر من 200 قتيل" = 200, bound min, counted
// killed, "عشرات القتلى" = approximately 10 killed.
//
// Words come from an embedded YAML lexicon (numbers.yaml) that user files can
// extend (LoadLexicon). The stage runs after the dates stage and skips tokens
// inside f.Dates, so years, days and durations are not reported.
//
// Conventions:
//   - The text of a quantity is the number expression only: not the cue
//     (أكثر من, at least), not the noun, not a preposition (بـ500 gives "500").
//   - Digits: "80,000" and "٨٠٬٠٠٠" group thousands; a single comma not
//     followed by three digits is a decimal comma ("1,5 مليون"); "٦٫٢" is 6.2.
//   - Vague words (عشرات, مئات, آلاف, dozens, scores, hundreds, thousands)
//     are Approximate with the base unit as representative value: عشرات = 10,
//     مئات = 100, dozens = 12, scores = 20; "عشرات الآلاف" = 10000.
//   - Cues: min (أكثر من, at least) and max (أقل من, up to) set Bound;
//     approx (نحو, حوالي, about) sets Approximate; nearly/almost set both.
//   - Counted is a canonical label (killed, injured, displaced, refugees,
//     civilians, case, people, families, fighters, soldiers, detained, ...)
//     for the noun after the number, optionally after من / of, and in English
//     after up to two adjectives ("12 Syrian soldiers").
//   - Single weak words (واحد, one, ست ...) are reported only with a counted
//     noun or a cue.
package quantities
