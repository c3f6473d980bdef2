import Foundation

/// Formats values for people with Foundation's locale data (ICU and CLDR): the formatting
/// filters of templates (`TemplateFilter`) and the locales and currencies they accept.
///
/// Numbers are formatted from their exact decimal digits (a `Foundation.Decimal` made from the
/// `DecimalNumber`'s text, which ICU formats as a decimal string), never through a `Double`.
/// Rounding is half away from zero (2.125 → 2.13), as people and spreadsheets round.
/// Dates and date-times are local values (a run's date is already in the pipeline's time
/// zone), formatted as they are written, with no time-zone conversion.
public enum TemplateFormatting {
    /// The locales Foundation has data for, as identifiers with underscores (`fr_CH`).
    static let availableLocales: Set<String> = Set(Locale.availableIdentifiers)
    /// ISO 4217 currency codes.
    public static let currencyCodes: Set<String> = Set(Locale.Currency.isoCurrencies.map(\.identifier))

    /// The locale called `name` (`fr-CH`, `fr_CH`, `fr`), nil when Foundation has no data for it.
    public static func locale(named name: String) -> Locale? {
        let identifier = name.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "-", with: "_")
        guard !identifier.isEmpty, availableLocales.contains(identifier) else { return nil }
        return Locale(identifier: identifier)
    }

    static func unknownLocaleMessage(_ name: String) -> String {
        let identifier = name.replacingOccurrences(of: "-", with: "_")
        let close = Suggestion.closest(to: identifier, among: availableLocales.sorted())
        let hint = close.map { "; did you mean '\($0.replacingOccurrences(of: "_", with: "-"))'?" } ?? ""
        return "unknown locale '\(name)'\(hint) (a language and a region, such as fr-CH, fr-FR, de-CH, en-US, fr-SN)"
    }

    static func unknownCurrencyMessage(_ code: String) -> String {
        let common = ["CHF", "EUR", "USD", "GBP", "XOF", "XAF", "CAD", "MAD", "TND", "DZD"]
        let hint = (Suggestion.closest(to: code.uppercased(), among: common) ?? Suggestion.closest(to: code.uppercased(), among: currencyCodes.sorted())).map { "; did you mean '\($0)'?" } ?? ""
        return "unknown currency '\(code)'\(hint) (an ISO 4217 code such as CHF, EUR, USD, XOF for the West African franc CFA, XAF for the Central African one)"
    }

    /// The locale used when neither the template nor the pipeline names one: the machine's,
    /// or en-US when the machine's is the POSIX one.
    public static var machineLocale: Locale {
        let current = Locale.current.identifier
        if current.isEmpty || current == "en_US_POSIX" || current == "C" || current == "POSIX" || locale(named: current) == nil {
            return Locale(identifier: "en_US")
        }
        return Locale(identifier: current)
    }

    /// The machine's locale as manifests write locales (`fr-CH`).
    public static var machineLocaleName: String { machineLocale.identifier.replacingOccurrences(of: "_", with: "-") }

    /// `value` formatted by `filter` in `locale` (the filter's own locale wins). A value the
    /// filter cannot read (a text that is not a number, for `money`) is returned as it is;
    /// null stays null.
    static func apply(_ filter: TemplateFilter, to value: Value, locale defaultLocale: Locale) -> Value {
        let locale = filter.locale ?? defaultLocale
        switch filter.kind {
        case .number, .money, .percent:
            guard let number = decimal(value) else { return value }
            return .string(format(number, filter, locale: locale))
        case .date, .datetime, .time:
            guard let time = dateTime(value, kind: filter.kind) else { return value }
            return .string(format(time, filter, locale: locale))
        }
    }

    static func decimal(_ value: Value) -> DecimalNumber? {
        switch value {
        case let .integer(i): DecimalNumber(i)
        case let .decimal(d): d
        case let .string(s): DecimalNumber(parsing: s.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }

    /// Dates and date-times as local values; a date-time filter over a date reads midnight.
    static func dateTime(_ value: Value, kind: TemplateFilter.Kind) -> LocalDateTime? {
        switch value {
        case let .date(d): return kind == .time ? nil : LocalDateTime(date: d)
        case let .datetime(t): return t
        case let .string(s):
            if let t = LocalDateTime(iso: s) { return t }
            if kind != .time, let d = LocalDate(iso: s) { return LocalDateTime(date: d) }
            return nil
        default: return nil
        }
    }

    static func format(_ exact: DecimalNumber, _ filter: TemplateFilter, locale: Locale) -> String {
        // The decimal's own digits, as text: exact, whatever their number.
        guard let number = Foundation.Decimal(string: exact.description, locale: Locale(identifier: "en_US_POSIX")) else { return exact.description }
        switch filter.kind {
        case .money:
            if locale.region == .switzerland || locale.region == .liechtenstein {
                return swissAmount(number, currency: filter.currency ?? "XXX", decimals: filter.decimals)
            }
            var style = Foundation.Decimal.FormatStyle.Currency(code: filter.currency ?? "XXX", locale: locale)
                .rounded(rule: .toNearestOrAwayFromZero)
            if let d = filter.decimals { style = style.precision(.fractionLength(d)) }
            return number.formatted(style)
        case .percent:
            var style = Foundation.Decimal.FormatStyle.Percent(locale: locale).rounded(rule: .toNearestOrAwayFromZero)
            if let d = filter.decimals { style = style.precision(.fractionLength(d)) }
            return number.formatted(style)
        default:
            let digits = filter.decimals ?? max(0, Int(exact.scale))
            let style = Foundation.Decimal.FormatStyle(locale: locale).rounded(rule: .toNearestOrAwayFromZero)
                .precision(.fractionLength(digits))
            return number.formatted(style)
        }
    }

    /// An amount as Swiss offices write it in every language of the country, and as the QR-bill
    /// and the federal administration print it: `’` between thousands, a decimal point, the
    /// currency code after the number (`3’128.60 CHF`, `-45.00 EUR`). Foundation's data writes
    /// fr-CH amounts the French way (`CHF 3 128,60`); the digits here come from its de-CH
    /// number format, which is this convention, so no separator is written by hand.
    static func swissAmount(_ number: Foundation.Decimal, currency: String, decimals: Int?) -> String {
        let swiss = Locale(identifier: "de_CH")
        let digits = decimals ?? {
            // The currency's own number of decimals, as Foundation writes one unit of it
            // (`CHF 1.00`: 2, `F CFA 1`: 0, `BHD 1.000`: 3).
            let one = Foundation.Decimal(1).formatted(.currency(code: currency).locale(Locale(identifier: "en_US_POSIX")))
            guard let point = one.lastIndex(of: ".") else { return 0 }
            return one[one.index(after: point)...].prefix { $0.isNumber }.count
        }()
        let style = Foundation.Decimal.FormatStyle(locale: swiss)
            .rounded(rule: .toNearestOrAwayFromZero).precision(.fractionLength(digits))
        return number.formatted(style) + "\u{00A0}" + currency
    }

    static func format(_ time: LocalDateTime, _ filter: TemplateFilter, locale: Locale) -> String {
        let utc = TimeZone(identifier: "UTC")!
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = utc
        calendar.locale = locale
        let instant = Date(timeIntervalSince1970: Double(time.epochMilliseconds) / 1000)
        let style = filter.style ?? (filter.kind == .date ? "long" : filter.kind == .time ? "short" : "numeric")
        let formatter = DateFormatter()
        formatter.locale = locale
        formatter.calendar = calendar
        formatter.timeZone = utc
        // Named styles are CLDR skeletons, which the locale turns into its own pattern.
        let dateSkeleton: String? = switch style {
        case "numeric": "yMd"
        case "short": "yMMMd"
        case "long": "yMMMMd"
        case "full": "yMMMMEEEEd"
        default: nil
        }
        let timeSkeleton = style == "medium" ? "jmmss" : "jmm"
        if filter.kind == .time, style == "short" || style == "medium" {
            formatter.setLocalizedDateFormatFromTemplate(timeSkeleton)
        } else if let dateSkeleton {
            formatter.setLocalizedDateFormatFromTemplate(dateSkeleton + (filter.kind == .datetime ? timeSkeleton : ""))
        } else {
            formatter.dateFormat = style
        }
        return formatter.string(from: instant)
    }
}
