// Package dates finds dates, times and durations in Arabic and English news
// and resolves them to ISO 8601 / TIMEX3 values (DateMention).
//
// Words come from an embedded YAML lexicon (lexicon.yaml) that user files
// can extend (LoadLexicon); they are matched on token keys, with the
// proclitics و ف ب ل allowed on the first word (a proclitic is left out of
// the mention text, so "بالأمس" gives "الأمس").
//
// Conventions:
//   - Signal words are not part of a mention: "لمدة 5 أيام" gives "5 أيام",
//     "in 2015" gives "2015", "خلال الساعات القادمة" gives "الساعات القادمة".
//     Words that name the time are: "يوم الأربعاء", "منتصف شهر نوفمبر",
//     "عام 2015".
//   - A day and month without a year take the year that puts the date nearest
//     the document date (anchor year_from_document); a bare month likewise.
//     Without a document date the year is "XXXX" and the anchor none.
//   - A bare weekday is the most recent such day on or before the document
//     date; in a future clause (سوف, سـ + verb, من المقرر, will, ...) the
//     first such day on or after it. "last"/الماضي is strictly before,
//     "next"/المقبل strictly after (anchor document_date).
//   - A weekday that disagrees with an explicit date keeps the date's value
//     and says so in Note.
//   - Numeric dates are day-first in Arabic text; in English text an
//     ambiguous one takes the reading nearest the document date in the past,
//     and Note tells which reading was chosen.
//   - Hijri dates use the tabular Islamic calendar (civil epoch), which may be
//     one day (rarely two) off the calendar observed in a given country. A
//     Hijri month gives the Gregorian month holding its 15th day, a Hijri year
//     the Gregorian year holding its 7th month; Note starts with "hijri".
//   - Ranges ("من 5 إلى 10 ديسمبر", "between March 3 and 5") give two dates.
//   - FUTURE_REF / PAST_REF / PRESENT_REF have type time when the unit is
//     hours or minutes (or for "now"), else date; their precision is empty.
package dates
