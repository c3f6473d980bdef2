import SluiceCore
import Testing

/// Formatting filters, with the exact strings this machine's Foundation (ICU, CLDR) writes:
/// U+00A0 no-break space, U+202F narrow no-break space, U+2019 apostrophe.
@Suite struct TemplateFormattingTests {
    static let sum = TemplateValue.value(.decimal(DecimalNumber(parsing: "3128.60")!))
    static let avg = TemplateValue.value(.decimal(DecimalNumber(parsing: "1042.866666666667")!))
    static let context: TemplateValue = [
        "sum": sum, "avg": avg, "n": 125000, "neg": .value(.decimal(DecimalNumber(parsing: "-3128.605")!)),
        "rate": .value(.decimal(DecimalNumber(parsing: "0.081")!)),
        "big": .value(.decimal(DecimalNumber(parsing: "12345678901234567.89")!)),
        "day": .value(.date(LocalDate(year: 2026, month: 11, day: 23)!)),
        "at": .value(.datetime(LocalDateTime(date: LocalDate(year: 2026, month: 11, day: 23)!, hour: 8, minute: 5, second: 9)!)),
        "text": "abc", "amount text": "12.5", "empty": nil,
        "run": ["locale": "fr-CH"],
    ]

    struct Case: Sendable, CustomTestStringConvertible {
        var template: String
        var expected: String
        var testDescription: String { template }
    }

    static let cases: [Case] = [
        // Numbers: the value's own digits, or a given number of decimals, half away from zero.
        Case(template: "{{sum | number}}", expected: "3\u{202F}128,60"),
        Case(template: "{{avg | number: 2}}", expected: "1\u{202F}042,87"),
        Case(template: "{{avg | number: 2, locale: de-CH}}", expected: "1\u{2019}042.87"),
        Case(template: "{{avg | number: 0, locale: en-US}}", expected: "1,043"),
        Case(template: "{{neg | number: 2, locale: en-US}}", expected: "-3,128.61"),
        Case(template: "{{big | number: 2, locale: en-US}}", expected: "12,345,678,901,234,567.89"),
        Case(template: "{{n | number}}", expected: "125\u{202F}000"),
        // Money, as each locale writes the currency.
        // In Switzerland (fr-CH, de-CH, it-CH), amounts as Swiss offices write them: 3’128.60 CHF.
        Case(template: "{{sum | money: CHF}}", expected: "3\u{2019}128.60\u{00A0}CHF"),
        Case(template: "{{sum | money: CHF, locale: it-CH}}", expected: "3\u{2019}128.60\u{00A0}CHF"),
        Case(template: "{{neg | money: EUR}}", expected: "-3\u{2019}128.61\u{00A0}EUR"),
        Case(template: "{{n | money: XOF}}", expected: "125\u{2019}000\u{00A0}XOF"),
        Case(template: "{{sum | money: CHF, locale: de-CH}}", expected: "3\u{2019}128.60\u{00A0}CHF"),
        Case(template: "{{sum | money: EUR, locale: fr-FR}}", expected: "3\u{202F}128,60\u{00A0}€"),
        Case(template: "{{sum | money: \"USD\", locale: \"en-US\"}}", expected: "$3,128.60"),
        Case(template: "{{n | money: XOF, locale: fr-SN}}", expected: "125\u{202F}000\u{00A0}F\u{202F}CFA"),
        Case(template: "{{sum | money: XOF, locale: fr-SN}}", expected: "3\u{202F}129\u{00A0}F\u{202F}CFA"),
        Case(template: "{{sum | money: CHF, decimals: 0, locale: de-CH}}", expected: "3\u{2019}129\u{00A0}CHF"),
        Case(template: "{{neg | money: EUR, locale: fr-FR}}", expected: "-3\u{202F}128,61\u{00A0}€"),
        Case(template: "{{big | money: CHF, locale: de-CH}}", expected: "12\u{2019}345\u{2019}678\u{2019}901\u{2019}234\u{2019}567.89\u{00A0}CHF"),
        // Percentages of a fraction.
        Case(template: "{{rate | percent: 1}}", expected: "8,1%"),
        Case(template: "{{rate | percent: 1, locale: fr-FR}}", expected: "8,1\u{00A0}%"),
        Case(template: "{{rate | percent: 0, locale: en-US}}", expected: "8%"),
        // Dates and date-times, as they are (local values).
        Case(template: "{{day | date: full, locale: fr-FR}}", expected: "lundi 23 novembre 2026"),
        Case(template: "{{day | date: full}}", expected: "lundi, 23 novembre 2026"),
        Case(template: "{{day | date: numeric}}", expected: "23.11.2026"),
        Case(template: "{{day | date}}", expected: "23 novembre 2026"),
        Case(template: "{{day | date: short, locale: en-US}}", expected: "Nov 23, 2026"),
        Case(template: "{{day | date: \"EEEE d MMMM\", locale: fr-FR}}", expected: "lundi 23 novembre"),
        Case(template: "{{day | date: dd.MM.yyyy}}", expected: "23.11.2026"),
        Case(template: "{{at | date: numeric}}", expected: "23.11.2026"),
        Case(template: "{{at | datetime}}", expected: "23.11.2026 08:05"),
        Case(template: "{{at | datetime: \"dd.MM.yyyy HH:mm:ss\"}}", expected: "23.11.2026 08:05:09"),
        Case(template: "{{at | time}}", expected: "08:05"),
        Case(template: "{{at | time, locale: en-US}}", expected: "8:05\u{202F}AM"),
        // The README's table.
        Case(template: "{{day | date: full, locale: de-CH}}", expected: "Montag, 23. November 2026"),
        Case(template: "{{day | date: full, locale: en-US}}", expected: "Monday, November 23, 2026"),
        Case(template: "{{day | date: numeric, locale: fr-FR}}", expected: "23/11/2026"),
        Case(template: "{{day | date: numeric, locale: en-US}}", expected: "11/23/2026"),
        Case(template: "{{at | datetime, locale: fr-FR}}", expected: "23/11/2026 08:05"),
        Case(template: "{{at | datetime, locale: de-CH}}", expected: "23.11.2026, 08:05"),
        Case(template: "{{at | datetime, locale: en-US}}", expected: "11/23/2026, 8:05\u{202F}AM"),
        Case(template: "{{at | time: medium}}", expected: "08:05:09"),
        Case(template: "{{sum | money: EUR}}", expected: "3\u{2019}128.60\u{00A0}EUR"),
        Case(template: "{{sum | money: EUR, locale: de-CH}}", expected: "3\u{2019}128.60\u{00A0}EUR"),
        Case(template: "{{sum | money: CHF, locale: fr-FR}}", expected: "3\u{202F}128,60\u{00A0}CHF"),
        Case(template: "{{sum | money: CHF, locale: en-US}}", expected: "CHF\u{00A0}3,128.60"),
        Case(template: "{{sum | money: EUR, locale: en-US}}", expected: "€3,128.60"),
        Case(template: "{{sum | money: XOF}}", expected: "3\u{2019}129\u{00A0}XOF"),
        Case(template: "{{sum | money: XOF, locale: fr-FR}}", expected: "3\u{202F}129\u{00A0}F\u{202F}CFA"),
        Case(template: "{{sum | money: XOF, locale: fr-CI}}", expected: "3\u{202F}129\u{00A0}F\u{202F}CFA"),
        Case(template: "{{rate | percent: 1, locale: de-CH}}", expected: "8.1%"),
        Case(template: "{{rate | percent}}", expected: "8,1%"),
        Case(template: "{{day | date: \"EEEE d MMMM yyyy\", locale: fr-FR}}", expected: "lundi 23 novembre 2026"),
        Case(template: "{{run.locale}}", expected: "fr-CH"),
        // What a filter cannot read is left as it is; empty stays empty; texts of numbers are read.
        Case(template: "[{{text | money: CHF}}][{{empty | number: 2}}][{{missing | date}}]", expected: "[abc][][]"),
        Case(template: "{{amount text | money: CHF, locale: de-CH}}", expected: "12.50\u{00A0}CHF"),
    ]

    @Test(arguments: cases) func formats(_ c: Case) throws {
        let rendered = try Template(parsing: c.template).render(Self.context)
        #expect(rendered == c.expected, "\(rendered.unicodeScalars.map { $0.value > 127 ? "<\(String($0.value, radix: 16))>" : String($0) }.joined())")
    }

    @Test func theRenderLocaleComesBeforeTheContextsAndAfterTheFilters() throws {
        let t = try Template(parsing: "{{sum | money: EUR}} / {{sum | money: EUR, locale: en-US}}")
        #expect(try t.render(Self.context, locale: SluiceCore.TemplateFormatting.locale(named: "fr-FR")) == "3\u{202F}128,60\u{00A0}€ / €3,128.60")
    }

    @Test func htmlEscapingStillApplies() throws {
        #expect(try Template(parsing: "<b>{{sum | money: CHF, locale: de-CH}}</b>").render(Self.context, escaping: .html) == "<b>3\u{2019}128.60\u{00A0}CHF</b>")
    }

    struct Bad: Sendable, CustomTestStringConvertible {
        var template: String
        var error: String
        var testDescription: String { template }
    }

    static let bad: [Bad] = [
        Bad(template: "Total: {{x | chf}}", error: "1:14: unknown filter 'chf' (filters: number, money, percent, date, datetime, time)"),
        Bad(template: "{{x | mony: CHF}}", error: "1:7: unknown filter 'mony'; did you mean 'money'? (filters: number, money, percent, date, datetime, time)"),
        Bad(template: "{{x | money}}", error: "1:7: filter 'money' needs a currency: {{amount | money: CHF}}"),
        Bad(template: "{{x | money: CHX}}", error: "1:13: unknown currency 'CHX'; did you mean 'CHF'? (an ISO 4217 code such as CHF, EUR, USD, XOF for the West African franc CFA, XAF for the Central African one)"),
        Bad(template: "{{x | money: CHF, locale: fr-XX}}", error: "1:18: unknown locale 'fr-XX'"),
        Bad(template: "{{x | number: two}}", error: "1:14: 'decimals' is a whole number from 0 to 12, not 'two'"),
        Bad(template: "{{x | number: 2, digits: 3}}", error: "1:17: filter 'number' has no argument 'digits'"),
        Bad(template: "{{x | date: dd.mm.yyyy}}", error: "1:12: 'mm' in 'dd.mm.yyyy' means minutes; write 'MM' for the month (dd.MM.yyyy)"),
        Bad(template: "{{x | date: lng}}", error: "1:12: unknown style 'lng' for filter 'date'; did you mean 'long'?"),
        Bad(template: "{{#x | money: CHF}}{{/x}}", error: "1:1: filters ('|') format a value"),
        Bad(template: "line\n  {{x | number: 2, 3}}", error: "2:19: filter 'number' takes one value"),
    ]

    @Test(arguments: bad) func mistakesAreParseErrorsAtTheirPlace(_ b: Bad) {
        #expect(throws: TemplateError.self) { try Template(parsing: b.template) }
        do { _ = try Template(parsing: b.template) } catch {
            #expect(error.description.hasPrefix(b.error), "\(error.description)")
        }
    }
}
