package dates

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/pipeline"
)

var docDate = time.Date(2016, 12, 7, 0, 0, 0, 0, time.UTC) // a Wednesday

func newDoc(text string, date time.Time, has bool) (*pipeline.Document, *pipeline.Field) {
	rs := []rune(text)
	f := &pipeline.Field{Name: "text", Text: text, Runes: rs, Tokens: normalize.Tokenize(rs)}
	doc := &pipeline.Document{Text: text, Fields: []*pipeline.Field{f}, DocDate: date, HasDate: has}
	return doc, f
}

func run(t testing.TB, st *Stage, text string, date time.Time, has bool) *pipeline.Field {
	t.Helper()
	doc, f := newDoc(text, date, has)
	if err := st.Process(doc); err != nil {
		t.Fatalf("Process(%q): %v", text, err)
	}
	return f
}

func show(d pipeline.DateMention) string {
	return fmt.Sprintf("%s|%s|%s|%s|%s|%s|%s|%s", d.Text, d.Type, d.Value, d.Precision, d.Anchor, d.Mod, d.PartOfDay, d.Note)
}

// A case lists every mention expected in the text, in order, each written
// "text|type|value|precision|anchor|mod|part_of_day|note". The note is a
// substring that must be present; an empty note is not checked.
type dcase struct {
	in   string
	date string // "" for 2016-12-07, "none" for no document date, else YYYY-MM-DD
	want []string
}

var dateCases = []dcase{
	// --- the seed article's phrasing
	{in: "دعا مقاتلو المعارضة المسلحة في شرق حلب، الأربعاء 7 ديسمبر/كانون الأول، إلى إعلان هدنة", want: []string{"الأربعاء 7 ديسمبر/كانون الأول|date|2016-12-07|day|year_from_document|||"}},
	{in: "إعلان هدنة إنسانية لمدة 5 أيام وإجلاء الحالات", want: []string{"5 أيام|duration|P5D|day|explicit|||"}},
	{in: "منذ بدء عملية تحريرها منتصف شهر نوفمبر/تشرين الثاني.", want: []string{"منتصف شهر نوفمبر/تشرين الثاني|date|2016-11|month|year_from_document|MID||"}},
	{in: "عضو الائتلاف الوطني السوري المعارض، الأربعاء 6 ديسمبر/كانون الأول، بأن الفصائل", want: []string{"الأربعاء 6 ديسمبر/كانون الأول|date|2016-12-06|day|year_from_document|||weekday Wednesday disagrees"}},
	{in: "وكشفت فصائل المعارضة في مدينة حلب، الأربعاء، عن أن هدنة سوف تعلن خلال الساعات القادمة", want: []string{"الأربعاء|date|2016-12-07|day|document_date|||", "الساعات القادمة|time|FUTURE_REF||document_date|||"}},
	{in: "ورجحت المصادر تأجيل البيان إلى مساء الأربعاء.", want: []string{"مساء الأربعاء|date|2016-12-07|day|document_date||evening|"}},
	{in: "سوف تجري في القريب العاجل محاولات جديدة", want: []string{"القريب العاجل|date|FUTURE_REF||document_date|||"}},
	// --- Arabic explicit dates, all month systems
	{in: "في 7 كانون الأول/ديسمبر 2016 أعلن الجيش", want: []string{"7 كانون الأول/ديسمبر 2016|date|2016-12-07|day|explicit|||"}},
	{in: "وصلت القافلة في 22 كانون الأول 2016", want: []string{"22 كانون الأول 2016|date|2016-12-22|day|explicit|||"}},
	{in: "اجتماع في كانون ثاني المقبل", want: []string{"كانون ثاني|date|2017-01|month|year_from_document|||"}},
	{in: "في 15 يناير 2017 بدأت المحادثات", want: []string{"15 يناير 2017|date|2017-01-15|day|explicit|||"}},
	{in: "وقع الهجوم في 3 شباط 2016", want: []string{"3 شباط 2016|date|2016-02-03|day|explicit|||"}},
	{in: "صدر القرار في 12 فيفري 2015", want: []string{"12 فيفري 2015|date|2015-02-12|day|explicit|||"}},
	{in: "أعلنت الوزارة يوم 20 آذار 2011", want: []string{"يوم 20 آذار 2011|date|2011-03-20|day|explicit|||"}},
	{in: "منذ 15 مارس 2011 تشهد البلاد احتجاجات", want: []string{"15 مارس 2011|date|2011-03-15|day|explicit|||"}},
	{in: "وفي 4 أبريل 2017 قصفت الطائرات خان شيخون", want: []string{"4 أبريل 2017|date|2017-04-04|day|explicit|||"}},
	{in: "بتاريخ 9 نيسان 2003 سقطت بغداد", want: []string{"9 نيسان 2003|date|2003-04-09|day|explicit|||"}},
	{in: "تظاهرات 22 أفريل 2019 في الجزائر", want: []string{"22 أفريل 2019|date|2019-04-22|day|explicit|||"}},
	{in: "الانتخابات في 7 مايو 2017", want: []string{"7 مايو 2017|date|2017-05-07|day|explicit|||"}},
	{in: "في 12 أيار 2008", want: []string{"12 أيار 2008|date|2008-05-12|day|explicit|||"}},
	{in: "يوم 9 ماي 2016 في الرباط", want: []string{"يوم 9 ماي 2016|date|2016-05-09|day|explicit|||"}},
	{in: "ثورة 30 يونيو 2013", want: []string{"30 يونيو 2013|date|2013-06-30|day|explicit|||"}},
	{in: "في 5 حزيران 1967", want: []string{"5 حزيران 1967|date|1967-06-05|day|explicit|||"}},
	{in: "عيد الاستقلال في 5 جوان", want: []string{"5 جوان|date|2016-06-05|day|year_from_document|||"}},
	{in: "في 23 يوليو 1952", want: []string{"23 يوليو 1952|date|1952-07-23|day|explicit|||"}},
	{in: "انقلاب 15 تموز 2016 في تركيا", want: []string{"15 تموز 2016|date|2016-07-15|day|explicit|||"}},
	{in: "في 5 جويلية 1962 استقلت الجزائر", want: []string{"5 جويلية 1962|date|1962-07-05|day|explicit|||"}},
	{in: "خطاب 30 يوليوز 2016 في الرباط", want: []string{"30 يوليوز 2016|date|2016-07-30|day|explicit|||"}},
	{in: "في 14 أغسطس 2013 فضت القوات الاعتصام", want: []string{"14 أغسطس 2013|date|2013-08-14|day|explicit|||"}},
	{in: "في 21 آب 2013 وقع هجوم الغوطة", want: []string{"21 آب 2013|date|2013-08-21|day|explicit|||"}},
	{in: "يوم 20 أوت 1955", want: []string{"يوم 20 أوت 1955|date|1955-08-20|day|explicit|||"}},
	{in: "ذكرى 20 غشت", want: []string{"20 غشت|date|2016-08-20|day|year_from_document|||"}},
	{in: "هجمات 11 سبتمبر 2001", want: []string{"11 سبتمبر 2001|date|2001-09-11|day|explicit|||"}},
	{in: "في 30 أيلول 2015 بدأ التدخل الروسي", want: []string{"30 أيلول 2015|date|2015-09-30|day|explicit|||"}},
	{in: "في 25 شتنبر 2016", want: []string{"25 شتنبر 2016|date|2016-09-25|day|explicit|||"}},
	{in: "حرب 6 أكتوبر 1973", want: []string{"6 أكتوبر 1973|date|1973-10-06|day|explicit|||"}},
	{in: "في 6 تشرين الأول 1973", want: []string{"6 تشرين الأول 1973|date|1973-10-06|day|explicit|||"}},
	{in: "في 8 نونبر 2016", want: []string{"8 نونبر 2016|date|2016-11-08|day|explicit|||"}},
	{in: "في 17 تشرين الثاني/نوفمبر 2016", want: []string{"17 تشرين الثاني/نوفمبر 2016|date|2016-11-17|day|explicit|||"}},
	{in: "في 10 دجنبر 2016", want: []string{"10 دجنبر 2016|date|2016-12-10|day|explicit|||"}},
	{in: "في 28 كانون الأول (ديسمبر) الماضي", want: []string{"28 كانون الأول (ديسمبر)|date|2016-12-28|day|year_from_document|||"}},
	{in: "يوم 3 من شهر ديسمبر", want: []string{"يوم 3 من شهر ديسمبر|date|2016-12-03|day|year_from_document|||"}},
	{in: "في 30 نوفمبر عام 2016", want: []string{"30 نوفمبر عام 2016|date|2016-11-30|day|explicit|||"}},
	{in: "أعلن في 1 يناير 2017م", want: []string{"1 يناير 2017م|date|2017-01-01|day|explicit|||"}},
	{in: "في ٧ ديسمبر ٢٠١٦", want: []string{"٧ ديسمبر ٢٠١٦|date|2016-12-07|day|explicit|||"}},
	{in: "الخميس 8 ديسمبر", want: []string{"الخميس 8 ديسمبر|date|2016-12-08|day|year_from_document|||"}},
	{in: "مساء الثلاثاء 6 ديسمبر", want: []string{"مساء الثلاثاء 6 ديسمبر|date|2016-12-06|day|year_from_document||evening|"}},
	{in: "السبت، 3 ديسمبر", want: []string{"السبت، 3 ديسمبر|date|2016-12-03|day|year_from_document|||"}},
	{in: "الجمعة 7 ديسمبر", want: []string{"الجمعة 7 ديسمبر|date|2016-12-07|day|year_from_document|||disagrees"}},
	{in: "في 29 ديسمبر", date: "2017-01-03", want: []string{"29 ديسمبر|date|2016-12-29|day|year_from_document|||"}},
	{in: "في 3 يناير", date: "2016-12-30", want: []string{"3 يناير|date|2017-01-03|day|year_from_document|||"}},
	{in: "في 31 فبراير", want: nil},
	// --- months alone, with شهر, with start/middle/end
	{in: "خلال شهر نوفمبر الماضي", want: []string{"شهر نوفمبر|date|2016-11|month|year_from_document|||"}},
	{in: "في تشرين الثاني 2016", want: []string{"تشرين الثاني 2016|date|2016-11|month|explicit|||"}},
	{in: "في أكتوبر الماضي", want: []string{"أكتوبر|date|2016-10|month|year_from_document|||"}},
	{in: "في أواخر أكتوبر", want: []string{"أواخر أكتوبر|date|2016-10|month|year_from_document|END||"}},
	{in: "مطلع نوفمبر", want: []string{"مطلع نوفمبر|date|2016-11|month|year_from_document|START||"}},
	{in: "بداية شهر ديسمبر", want: []string{"بداية شهر ديسمبر|date|2016-12|month|year_from_document|START||"}},
	{in: "أوائل أيلول 2015", want: []string{"أوائل أيلول 2015|date|2015-09|month|explicit|START||"}},
	{in: "وسط حزيران", want: []string{"وسط حزيران|date|2016-06|month|year_from_document|MID||"}},
	{in: "أواسط تموز 2012", want: []string{"أواسط تموز 2012|date|2012-07|month|explicit|MID||"}},
	{in: "نهاية شهر نوفمبر", want: []string{"نهاية شهر نوفمبر|date|2016-11|month|year_from_document|END||"}},
	{in: "ونهاية نوفمبر", want: []string{"نهاية نوفمبر|date|2016-11|month|year_from_document|END||"}},
	{in: "منتصف مارس", want: []string{"منتصف مارس|date|2016-03|month|year_from_document|MID||"}},
	{in: "في شهر مارس", want: []string{"شهر مارس|date|2016-03|month|year_from_document|||"}},
	{in: "في مارس 2011", want: []string{"مارس 2011|date|2011-03|month|explicit|||"}},
	{in: "مارس الجيش ضغوطا على السكان", want: nil},
	{in: "مارس الضغط", want: nil},
	{in: "في شهر آب", want: []string{"شهر آب|date|2016-08|month|year_from_document|||"}},
	{in: "قال آب للصحفيين", want: nil},
	{in: "ماي 2016", want: []string{"ماي 2016|date|2016-05|month|explicit|||"}},
	{in: "أواخر عام 2015", want: []string{"أواخر عام 2015|date|2015|year|explicit|END||"}},
	{in: "مطلع 2017", want: []string{"مطلع 2017|date|2017|year|explicit|START||"}},
	// --- years
	{in: "منذ عام 2011", want: []string{"عام 2011|date|2011|year|explicit|||"}},
	{in: "في عام 2015 سيطر التنظيم على المدينة", want: []string{"عام 2015|date|2015|year|explicit|||"}},
	{in: "في سنة 2014", want: []string{"سنة 2014|date|2014|year|explicit|||"}},
	{in: "منذ 2011", want: []string{"2011|date|2011|year|explicit|||"}},
	{in: "وفي 2013 بدأ الحصار", want: []string{"2013|date|2013|year|explicit|||"}},
	{in: "قتل 2013 شخصا", want: nil},
	{in: "للعام 2017", want: []string{"للعام 2017|date|2017|year|explicit|||"}},
	{in: "عام 1437 هـ", want: []string{"عام 1437 هـ|date|2016|year|explicit|||hijri year 1437"}},
	{in: "1437 هـ", want: []string{"1437 هـ|date|2016|year|explicit|||hijri"}},
	{in: "2016م", want: []string{"2016م|date|2016|year|explicit|||"}},
	// --- Hijri
	{in: "في 15 رمضان 1437", want: []string{"15 رمضان 1437|date|2016-06-21|day|explicit|||hijri 1437-09-15"}},
	{in: "1 محرم 1438 هـ", want: []string{"1 محرم 1438 هـ|date|2016-10-03|day|explicit|||hijri"}},
	// tabular: 13 September; Saudi Arabia observed 12 September (±1 day).
	{in: "10 ذي الحجة 1437", want: []string{"10 ذي الحجة 1437|date|2016-09-13|day|explicit|||hijri"}},
	{in: "في 12 ربيع الأول", want: []string{"12 ربيع الأول|date|2016-12-12|day|year_from_document|||hijri 1438-03-12"}},
	{in: "خلال شهر رمضان", want: []string{"شهر رمضان|date|2016-06|month|year_from_document|||hijri 1437-09"}},
	{in: "رمضان 1437", want: []string{"رمضان 1437|date|2016-06|month|explicit|||hijri 1437-09"}},
	{in: "قال رمضان إن الوضع صعب", want: nil},
	// --- weekdays, news convention
	{in: "قال المتحدث الأربعاء إن", want: []string{"الأربعاء|date|2016-12-07|day|document_date|||"}},
	{in: "أعلن الجيش الثلاثاء سيطرته", want: []string{"الثلاثاء|date|2016-12-06|day|document_date|||"}},
	{in: "وقتل الاثنين خمسة مدنيين", want: []string{"الاثنين|date|2016-12-05|day|document_date|||"}},
	{in: "يوم الأحد الماضي", want: []string{"يوم الأحد الماضي|date|2016-12-04|day|document_date|||"}},
	{in: "صرح الخميس", want: []string{"الخميس|date|2016-12-01|day|document_date|||"}},
	{in: "وفي يوم الجمعة قصفت الطائرات", want: []string{"يوم الجمعة|date|2016-12-02|day|document_date|||"}},
	{in: "قال السبت", want: []string{"السبت|date|2016-12-03|day|document_date|||"}},
	{in: "الأربعاء الماضي", want: []string{"الأربعاء الماضي|date|2016-11-30|day|document_date|||"}},
	{in: "الأربعاء المقبل", want: []string{"الأربعاء المقبل|date|2016-12-14|day|document_date|||"}},
	{in: "الخميس المقبل", want: []string{"الخميس المقبل|date|2016-12-08|day|document_date|||"}},
	{in: "الجمعة القادمة", want: []string{"الجمعة القادمة|date|2016-12-09|day|document_date|||"}},
	{in: "الثلاثاء الفائت", want: []string{"الثلاثاء الفائت|date|2016-12-06|day|document_date|||"}},
	{in: "السبت المنصرم", want: []string{"السبت المنصرم|date|2016-12-03|day|document_date|||"}},
	{in: "سوف يجتمع المجلس الخميس", want: []string{"الخميس|date|2016-12-08|day|document_date|||future"}},
	{in: "سيعقد مجلس الأمن جلسة الاثنين", want: []string{"الاثنين|date|2016-12-12|day|document_date|||future"}},
	{in: "ومن المقرر أن تبدأ المفاوضات السبت", want: []string{"السبت|date|2016-12-10|day|document_date|||future"}},
	{in: "وسيطرت القوات على الحي الاثنين", want: []string{"الاثنين|date|2016-12-05|day|document_date|||"}},
	{in: "السيارة انفجرت الأحد", want: []string{"الأحد|date|2016-12-04|day|document_date|||"}},
	{in: "مساء الأربعاء", want: []string{"مساء الأربعاء|date|2016-12-07|day|document_date||evening|"}},
	{in: "صباح الثلاثاء", want: []string{"صباح الثلاثاء|date|2016-12-06|day|document_date||morning|"}},
	{in: "ليلة الاثنين", want: []string{"ليلة الاثنين|date|2016-12-05|day|document_date||night|"}},
	{in: "ظهر الأحد", want: []string{"ظهر الأحد|date|2016-12-04|day|document_date||midday|"}},
	{in: "عصر يوم السبت", want: []string{"عصر يوم السبت|date|2016-12-03|day|document_date||afternoon|"}},
	{in: "فجر الجمعة", want: []string{"فجر الجمعة|date|2016-12-02|day|document_date||morning|"}},
	{in: "الأربعاء", date: "none", want: []string{"الأربعاء|date||day|none|||"}},
	// --- relative days
	{in: "قال أمس", want: []string{"أمس|date|2016-12-06|day|document_date|||"}},
	{in: "وقال بالأمس", want: []string{"الأمس|date|2016-12-06|day|document_date|||"}},
	{in: "يوم أمس", want: []string{"يوم أمس|date|2016-12-06|day|document_date|||"}},
	{in: "أول أمس", want: []string{"أول أمس|date|2016-12-05|day|document_date|||"}},
	{in: "أول من أمس", want: []string{"أول من أمس|date|2016-12-05|day|document_date|||"}},
	{in: "البارحة", want: []string{"البارحة|date|2016-12-06|day|document_date|||"}},
	{in: "اليوم", want: []string{"اليوم|date|2016-12-07|day|document_date|||"}},
	{in: "صباح اليوم", want: []string{"صباح اليوم|date|2016-12-07|day|document_date||morning|"}},
	{in: "مساء أمس", want: []string{"مساء أمس|date|2016-12-06|day|document_date||evening|"}},
	{in: "غدا", want: []string{"غدا|date|2016-12-08|day|document_date|||"}},
	{in: "غداً الخميس", want: []string{"غداً|date|2016-12-08|day|document_date|||", "الخميس|date|2016-12-01|day|document_date|||"}},
	{in: "بعد غد", want: []string{"بعد غد|date|2016-12-09|day|document_date|||"}},
	{in: "أمس", date: "none", want: []string{"أمس|date||day|none|||"}},
	// --- periods
	{in: "الأسبوع الماضي", want: []string{"الأسبوع الماضي|date|2016-W48|week|document_date|||"}},
	{in: "الأسبوع المقبل", want: []string{"الأسبوع المقبل|date|2016-W50|week|document_date|||"}},
	{in: "الشهر الماضي", want: []string{"الشهر الماضي|date|2016-11|month|document_date|||"}},
	{in: "الشهر المقبل", want: []string{"الشهر المقبل|date|2017-01|month|document_date|||"}},
	{in: "الشهر الجاري", want: []string{"الشهر الجاري|date|2016-12|month|document_date|||"}},
	{in: "العام الماضي", want: []string{"العام الماضي|date|2015|year|document_date|||"}},
	{in: "السنة الماضية", want: []string{"السنة الماضية|date|2015|year|document_date|||"}},
	{in: "العام المقبل", want: []string{"العام المقبل|date|2017|year|document_date|||"}},
	{in: "هذا العام", want: []string{"هذا العام|date|2016|year|document_date|||"}},
	{in: "العام الحالي", want: []string{"العام الحالي|date|2016|year|document_date|||"}},
	{in: "خلال الأسبوع الماضي", want: []string{"الأسبوع الماضي|date|2016-W48|week|document_date|||"}},
	{in: "العام الماضي", date: "none", want: []string{"العام الماضي|date||year|none|||"}},
	// --- future / past references
	{in: "خلال الساعات القادمة", want: []string{"الساعات القادمة|time|FUTURE_REF||document_date|||"}},
	{in: "في الساعات المقبلة", want: []string{"الساعات المقبلة|time|FUTURE_REF||document_date|||"}},
	{in: "خلال الأيام المقبلة", want: []string{"الأيام المقبلة|date|FUTURE_REF||document_date|||"}},
	{in: "في الأيام القليلة الماضية", want: []string{"الأيام القليلة الماضية|date|PAST_REF||document_date|||"}},
	{in: "خلال الأسابيع الماضية", want: []string{"الأسابيع الماضية|date|PAST_REF||document_date|||"}},
	{in: "في الآونة الأخيرة", want: []string{"الآونة الأخيرة|date|PAST_REF||document_date|||"}},
	{in: "الآن", want: []string{"الآن|time|PRESENT_REF||document_date|||"}},
	{in: "خلال الساعات القادمة", date: "none", want: []string{"الساعات القادمة|time|FUTURE_REF||none|||"}},
	// --- durations
	{in: "هدنة لمدة خمسة أيام", want: []string{"خمسة أيام|duration|P5D|day|explicit|||"}},
	{in: "هدنة لمدة خمس ساعات", want: []string{"خمس ساعات|duration|PT5H|hour|explicit|||"}},
	{in: "لمدة ثلاثة أيام", want: []string{"ثلاثة أيام|duration|P3D|day|explicit|||"}},
	{in: "لمدة يومين", want: []string{"يومين|duration|P2D|day|explicit|||"}},
	{in: "خلال ساعتين", want: []string{"ساعتين|duration|PT2H|hour|explicit|||"}},
	{in: "منذ أسبوعين", want: []string{"أسبوعين|duration|P2W|week|explicit|||"}},
	{in: "منذ شهرين", want: []string{"شهرين|duration|P2M|month|explicit|||"}},
	{in: "لمدة عامين", want: []string{"عامين|duration|P2Y|year|explicit|||"}},
	{in: "وقف إطلاق النار 48 ساعة", want: []string{"48 ساعة|duration|PT48H|hour|explicit|||"}},
	{in: "هدنة ٧٢ ساعة", want: []string{"٧٢ ساعة|duration|PT72H|hour|explicit|||"}},
	{in: "لمدة أسبوع", want: []string{"أسبوع|duration|P1W|week|explicit|||"}},
	{in: "لمدة يوم", want: []string{"يوم|duration|P1D|day|explicit|||"}},
	{in: "طوال شهر", want: []string{"شهر|duration|P1M|month|explicit|||"}},
	{in: "على مدى عشرة أيام", want: []string{"عشرة أيام|duration|P10D|day|explicit|||"}},
	{in: "منذ خمس سنوات", want: []string{"خمس سنوات|duration|P5Y|year|explicit|||"}},
	{in: "حصار استمر 4 أشهر", want: []string{"4 أشهر|duration|P4M|month|explicit|||"}},
	{in: "منذ 15 يوما", want: []string{"15 يوما|duration|P15D|day|explicit|||"}},
	{in: "خلال 30 دقيقة", want: []string{"30 دقيقة|duration|PT30M|minute|explicit|||"}},
	{in: "منذ ستة أعوام", want: []string{"ستة أعوام|duration|P6Y|year|explicit|||"}},
	{in: "ثلاثة قتلى", want: nil},
	{in: "يوم", want: nil},
	// --- English explicit dates
	{in: "On December 7, 2016, rebels called for a truce", want: []string{"December 7, 2016|date|2016-12-07|day|explicit|||"}},
	{in: "on 7 December 2016", want: []string{"7 December 2016|date|2016-12-07|day|explicit|||"}},
	{in: "rebels said on Dec. 7 that", want: []string{"Dec. 7|date|2016-12-07|day|year_from_document|||"}},
	{in: "the talks on Sept. 12", want: []string{"Sept. 12|date|2016-09-12|day|year_from_document|||"}},
	{in: "on Wednesday, December 7", want: []string{"Wednesday, December 7|date|2016-12-07|day|year_from_document|||"}},
	{in: "Tuesday, December 7, 2016", want: []string{"Tuesday, December 7, 2016|date|2016-12-07|day|explicit|||disagrees"}},
	{in: "the 7th of December", want: []string{"7th of December|date|2016-12-07|day|year_from_document|||"}},
	{in: "on 3rd of May 2015", want: []string{"3rd of May 2015|date|2015-05-03|day|explicit|||"}},
	{in: "on May 3", want: []string{"May 3|date|2016-05-03|day|year_from_document|||"}},
	{in: "on March 15, 2011", want: []string{"March 15, 2011|date|2011-03-15|day|explicit|||"}},
	{in: "in August 2013", want: []string{"August 2013|date|2013-08|month|explicit|||"}},
	{in: "in November", want: []string{"November|date|2016-11|month|year_from_document|||"}},
	{in: "the government may 5 times", want: nil},
	{in: "they march on", want: nil},
	{in: "in May 2016", want: []string{"May 2016|date|2016-05|month|explicit|||"}},
	// --- English relative
	{in: "officials said on Wednesday", want: []string{"Wednesday|date|2016-12-07|day|document_date|||"}},
	{in: "the army said on Monday", want: []string{"Monday|date|2016-12-05|day|document_date|||"}},
	{in: "killed last Friday", want: []string{"last Friday|date|2016-12-02|day|document_date|||"}},
	{in: "killed last Wednesday", want: []string{"last Wednesday|date|2016-11-30|day|document_date|||"}},
	{in: "will meet next Monday", want: []string{"next Monday|date|2016-12-12|day|document_date|||"}},
	{in: "talks next Wednesday", want: []string{"next Wednesday|date|2016-12-14|day|document_date|||"}},
	{in: "talks will resume on Thursday", want: []string{"Thursday|date|2016-12-08|day|document_date|||future"}},
	{in: "on Wednesday evening", want: []string{"Wednesday evening|date|2016-12-07|day|document_date||evening|"}},
	{in: "said yesterday", want: []string{"yesterday|date|2016-12-06|day|document_date|||"}},
	{in: "yesterday morning", want: []string{"yesterday morning|date|2016-12-06|day|document_date||morning|"}},
	{in: "today", want: []string{"today|date|2016-12-07|day|document_date|||"}},
	{in: "tomorrow", want: []string{"tomorrow|date|2016-12-08|day|document_date|||"}},
	{in: "last night", want: []string{"last night|date|2016-12-06|day|document_date||night|"}},
	{in: "this morning", want: []string{"this morning|date|2016-12-07|day|document_date||morning|"}},
	{in: "the day before yesterday", want: []string{"the day before yesterday|date|2016-12-05|day|document_date|||"}},
	{in: "last week", want: []string{"last week|date|2016-W48|week|document_date|||"}},
	{in: "next month", want: []string{"next month|date|2017-01|month|document_date|||"}},
	{in: "last year", want: []string{"last year|date|2015|year|document_date|||"}},
	{in: "this year", want: []string{"this year|date|2016|year|document_date|||"}},
	{in: "since mid-November", want: []string{"mid-November|date|2016-11|month|year_from_document|MID||"}},
	{in: "in early March", want: []string{"early March|date|2016-03|month|year_from_document|START||"}},
	{in: "in late October", want: []string{"late October|date|2016-10|month|year_from_document|END||"}},
	{in: "by the end of March 2017", want: []string{"the end of March 2017|date|2017-03|month|explicit|END||"}},
	{in: "in mid-2015", want: []string{"mid-2015|date|2015|year|explicit|MID||"}},
	{in: "in the coming hours", want: []string{"the coming hours|time|FUTURE_REF||document_date|||"}},
	{in: "in the coming days", want: []string{"the coming days|date|FUTURE_REF||document_date|||"}},
	{in: "over the past few days", want: []string{"the past few days|date|PAST_REF||document_date|||"}},
	{in: "in recent weeks", want: []string{"recent weeks|date|PAST_REF||document_date|||"}},
	{in: "soon", want: []string{"soon|date|FUTURE_REF||document_date|||"}},
	{in: "yesterday", date: "none", want: []string{"yesterday|date||day|none|||"}},
	// --- English durations
	{in: "a five-day truce", want: []string{"five-day|duration|P5D|day|explicit|||"}},
	{in: "a 72-hour ceasefire", want: []string{"72-hour|duration|PT72H|hour|explicit|||"}},
	{in: "for 72 hours", want: []string{"72 hours|duration|PT72H|hour|explicit|||"}},
	{in: "for a week", want: []string{"a week|duration|P1W|week|explicit|||"}},
	{in: "for two days", want: []string{"two days|duration|P2D|day|explicit|||"}},
	{in: "a three-month siege", want: []string{"three-month|duration|P3M|month|explicit|||"}},
	{in: "for 10 years", want: []string{"10 years|duration|P10Y|year|explicit|||"}},
	{in: "within 24 hours", want: []string{"24 hours|duration|PT24H|hour|explicit|||"}},
	// --- numeric dates
	{in: "بتاريخ 07/12/2016", want: []string{"07/12/2016|date|2016-12-07|day|explicit|||"}},
	{in: "بتاريخ 12/07/2016", want: []string{"12/07/2016|date|2016-07-12|day|explicit|||"}},
	{in: "dated 07/12/2016 by the ministry", want: []string{"07/12/2016|date|2016-12-07|day|explicit|||day/month"}},
	{in: "dated 12/07/2016 by the ministry", want: []string{"12/07/2016|date|2016-12-07|day|explicit|||month/day"}},
	{in: "dated 12/25/2015 by the ministry", want: []string{"12/25/2015|date|2015-12-25|day|explicit|||"}},
	{in: "report 2016-12-07", want: []string{"2016-12-07|date|2016-12-07|day|explicit|||"}},
	{in: "في 2016/12/07", want: []string{"2016/12/07|date|2016-12-07|day|explicit|||"}},
	{in: "في 7.12.2016", want: []string{"7.12.2016|date|2016-12-07|day|explicit|||"}},
	{in: "في ٠٧/١٢/٢٠١٦", want: []string{"٠٧/١٢/٢٠١٦|date|2016-12-07|day|explicit|||"}},
	{in: "in 2016-13-45", want: nil},
	{in: "in 2015", want: []string{"2015|date|2015|year|explicit|||"}},
	{in: "since 2011", want: []string{"2011|date|2011|year|explicit|||"}},
	{in: "in 1500 people", want: nil},
	// --- ranges
	{in: "من 5 إلى 10 ديسمبر", want: []string{"5|date|2016-12-05|day|year_from_document|||range", "10 ديسمبر|date|2016-12-10|day|year_from_document|||"}},
	{in: "بين 3 و5 مارس 2016", want: []string{"3|date|2016-03-03|day|explicit|||range", "5 مارس 2016|date|2016-03-05|day|explicit|||"}},
	{in: "between March 3 and 5", want: []string{"March 3|date|2016-03-03|day|year_from_document|||", "5|date|2016-03-05|day|year_from_document|||range"}},
	{in: "from 5 to 10 December 2016", want: []string{"5|date|2016-12-05|day|explicit|||range", "10 December 2016|date|2016-12-10|day|explicit|||"}},
	{in: "December 5-10", want: []string{"December 5|date|2016-12-05|day|year_from_document|||", "10|date|2016-12-10|day|year_from_document|||range"}},
	// --- no date, mixed
	{in: "7 ديسمبر", date: "none", want: []string{"7 ديسمبر|date|XXXX-12-07|day|none|||"}},
	{in: "7 ديسمبر 2016", date: "none", want: []string{"7 ديسمبر 2016|date|2016-12-07|day|explicit|||"}},
	{in: "نوفمبر", date: "none", want: []string{"نوفمبر|date|XXXX-11|month|none|||"}},
	{in: "قتل 20 شخصا في حلب", want: nil},
	{in: "القرار 2254", want: nil},
}

func TestDates(t *testing.T) {
	st := New(nil)
	for _, c := range dateCases {
		date, has := docDate, true
		switch c.date {
		case "":
		case "none":
			date, has = time.Time{}, false
		default:
			d, err := time.Parse("2006-01-02", c.date)
			if err != nil {
				t.Fatal(err)
			}
			date = d
		}
		f := run(t, st, c.in, date, has)
		checkOffsets(t, f)
		var got []string
		for _, d := range f.Dates {
			got = append(got, show(d))
		}
		ok := len(got) == len(c.want)
		for k := 0; ok && k < len(got); k++ {
			w := strings.Split(c.want[k], "|")
			g := strings.Split(got[k], "|")
			if len(w) != 8 {
				t.Fatalf("bad case %q", c.want[k])
			}
			for x := 0; x < 7; x++ {
				if w[x] != g[x] {
					ok = false
				}
			}
			if w[7] != "" && !strings.Contains(g[7], w[7]) {
				ok = false
			}
		}
		if !ok {
			t.Errorf("%q (doc %s):\n got  %q\n want %q", c.in, c.date, got, c.want)
		}
	}
	t.Logf("%d date cases", len(dateCases))
}

func checkOffsets(t testing.TB, f *pipeline.Field) {
	t.Helper()
	prev := 0
	for _, d := range f.Dates {
		if d.Start < prev || d.Start >= d.End || d.End > len(f.Runes) {
			t.Fatalf("bad offsets %d..%d (prev end %d, len %d) in %q", d.Start, d.End, prev, len(f.Runes), f.Text)
		}
		if string(f.Runes[d.Start:d.End]) != d.Text {
			t.Fatalf("text %q != runes %q", d.Text, string(f.Runes[d.Start:d.End]))
		}
		if d.TokStart < 0 || d.TokEnd > len(f.Tokens) || d.TokStart >= d.TokEnd {
			t.Fatalf("bad token range %d..%d", d.TokStart, d.TokEnd)
		}
		prev = d.End
	}
}

func TestSeed(t *testing.T) {
	data, err := os.ReadFile("../../testdata/seed-aleppo-2016-12-07.txt")
	if err != nil {
		t.Fatal(err)
	}
	f := run(t, New(nil), string(data), docDate, true)
	checkOffsets(t, f)
	find := func(sub string) *pipeline.DateMention {
		return overlapping(f, sub)
	}
	for _, c := range []struct{ sub, value, prec, mod string }{
		{"الأربعاء 7 ديسمبر/كانون الأول", "2016-12-07", "day", ""},
		{"منتصف شهر نوفمبر/تشرين الثاني", "2016-11", "month", "MID"},
		{"لمدة 5 أيام", "P5D", "day", ""},
		{"مساء الأربعاء", "2016-12-07", "day", ""},
	} {
		d := find(c.sub)
		if d == nil {
			t.Errorf("no mention for %q", c.sub)
			continue
		}
		if d.Value != c.value || d.Precision != c.prec || d.Mod != c.mod {
			t.Errorf("%q: got %s", c.sub, show(*d))
		}
	}
	var six *pipeline.DateMention
	for k := range f.Dates {
		if f.Dates[k].Text == "الأربعاء 6 ديسمبر/كانون الأول" {
			six = &f.Dates[k]
		}
	}
	if six == nil || six.Value != "2016-12-06" || !strings.Contains(six.Note, "disagrees") {
		t.Errorf("weekday disagreement: %+v", six)
	}
}

func TestConcurrent(t *testing.T) {
	st := New(nil)
	data, _ := os.ReadFile("../../testdata/seed-aleppo-2016-12-07.txt")
	want := len(run(t, st, string(data), docDate, true).Dates)
	done := make(chan int)
	for g := 0; g < 8; g++ {
		go func() {
			doc, f := newDoc(string(data), docDate, true)
			_ = st.Process(doc)
			done <- len(f.Dates)
		}()
	}
	for g := 0; g < 8; g++ {
		if n := <-done; n != want {
			t.Errorf("concurrent run found %d mentions, want %d", n, want)
		}
	}
}

func TestTitleField(t *testing.T) {
	text := "هدنة لمدة 48 ساعة"
	rs := []rune(text)
	f := &pipeline.Field{Name: "title", Text: text, Runes: rs, Tokens: normalize.Tokenize(rs)}
	doc := &pipeline.Document{Fields: []*pipeline.Field{f}, DocDate: docDate, HasDate: true}
	if err := New(nil).Process(doc); err != nil {
		t.Fatal(err)
	}
	if len(f.Dates) != 1 || f.Dates[0].Field != "title" || f.Dates[0].TokStart != 2 || f.Dates[0].TokEnd != 4 {
		t.Fatalf("%+v", f.Dates)
	}
}

func TestHijriArithmetic(t *testing.T) {
	for _, c := range []struct {
		y, m, d int
		want    string
	}{
		{1, 1, 1, "0622-07-19"}, // proleptic Gregorian of 16 July 622 Julian
		{1437, 9, 1, "2016-06-07"},
		{1438, 1, 1, "2016-10-03"},
		{1445, 9, 1, "2024-03-11"},
	} {
		if got := fmtDay(hijriToGregorian(c.y, c.m, c.d)); got != c.want {
			t.Errorf("%d-%d-%d: got %s want %s", c.y, c.m, c.d, got, c.want)
		}
	}
	if y := hijriYearOf(docDate); y != 1438 {
		t.Errorf("hijri year of doc date = %d", y)
	}
}

// overlapping returns the first mention that overlaps the first occurrence
// of sub in the field.
func overlapping(f *pipeline.Field, sub string) *pipeline.DateMention {
	bi := strings.Index(f.Text, sub)
	if bi < 0 {
		return nil
	}
	start := len([]rune(f.Text[:bi]))
	end := start + len([]rune(sub))
	for k := range f.Dates {
		if f.Dates[k].Start < end && f.Dates[k].End > start {
			return &f.Dates[k]
		}
	}
	return nil
}
