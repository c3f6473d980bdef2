import Foundation

/// A formatting filter in a variable tag, after a `|`: `{{total | money: CHF}}`,
/// `{{avg | number: 2}}`, `{{run.date | date: full, locale: fr-FR}}`.
///
/// A filter is a name, then optionally `:` and arguments separated by commas: values in
/// order (`money: CHF`), or named (`locale: fr-FR`, `decimals: 0`). Values are words, whole
/// numbers or quoted texts (`date: "EEEE d MMMM"`). Filters are checked when the template is
/// parsed, so `sluice validate` reports an unknown filter, locale, currency or style.
///
/// | filter | arguments | formats |
/// |---|---|---|
/// | `number` | decimals (default: the value's own), `locale` | numbers with the locale's separators |
/// | `money` | currency (ISO 4217 code), `decimals` (default: the currency's), `locale` | amounts with the currency as the locale writes it |
/// | `percent` | decimals (default: as many as needed), `locale` | a fraction as a percentage (0.081 → 8,1 %) |
/// | `date` | style: numeric, short, long (default), full, or a pattern; `locale` | dates (and the date of a date-time) |
/// | `datetime` | style (default: numeric), or a pattern; `locale` | date-times |
/// | `time` | short (default), medium, or a pattern; `locale` | the time of a date-time |
public struct TemplateFilter: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case number, money, percent, date, datetime, time
    }

    public var kind: Kind
    /// Digits after the decimal separator (number, money, percent); nil for the default.
    public var decimals: Int?
    /// The ISO 4217 code of a `money` filter.
    public var currency: String?
    /// A named style (`numeric`, `short`, `long`, `full`, `medium`) or a date pattern.
    public var style: String?
    /// The locale this filter formats in, overriding the render's default.
    public var locale: Locale?

    /// The largest `decimals` accepted.
    static let maximumDecimals = 12

    static let dateStyles = ["numeric", "short", "long", "full"]
    static let timeStyles = ["short", "medium"]

    /// Which arguments each filter takes: the positional one first, then the named ones.
    static let arguments: [Kind: (positional: String?, named: [String])] = [
        .number: ("decimals", ["decimals", "locale"]),
        .money: ("currency", ["currency", "decimals", "locale"]),
        .percent: ("decimals", ["decimals", "locale"]),
        .date: ("style", ["style", "locale"]),
        .datetime: ("style", ["style", "locale"]),
        .time: ("style", ["style", "locale"]),
    ]

    /// Parses one filter's text (`money: CHF, locale: fr-FR`). The error's offset counts
    /// characters into `text`.
    static func parse(_ text: Substring) throws(TemplateFilterError) -> TemplateFilter {
        // The name ends at ':' (its arguments follow) or ',' (named arguments only: `time, locale: en-US`).
        let end = text.firstIndex(where: { $0 == ":" || $0 == "," })
        let head = text[..<(end ?? text.endIndex)]
        let rest = end.map { text[text.index(after: $0)...] }
        let name = head.trimmingWhitespace
        let names = Kind.allCases.map(\.rawValue)
        guard let kind = Kind(rawValue: String(name)) else {
            let hint = Suggestion.closest(to: String(name), among: names).map { "; did you mean '\($0)'?" } ?? ""
            throw TemplateFilterError(message: "unknown filter '\(name)'\(hint) (filters: \(names.joined(separator: ", ")))", offset: 0)
        }
        var filter = TemplateFilter(kind: kind)
        if kind == .money, rest?.trimmingWhitespace.isEmpty ?? true {
            throw TemplateFilterError(message: "filter 'money' needs a currency: {{amount | money: CHF}}", offset: 0)
        }
        guard let rest else { return filter }
        let spec = arguments[kind]!
        var offset = text.distance(from: text.startIndex, to: rest.startIndex)
        var positionalSeen = false
        var given: Set<String> = []
        for argument in split(rest, at: ",") {
            defer { offset += argument.count + 1 }
            let trimmed = argument.trimmingWhitespace
            guard !trimmed.isEmpty else {
                throw TemplateFilterError(message: "an empty argument in filter '\(kind.rawValue)'", offset: offset)
            }
            var key: String
            var value: String
            if let (k, v) = namedArgument(trimmed) {
                key = k
                value = v
                guard spec.named.contains(key) else {
                    throw TemplateFilterError(message: "filter '\(kind.rawValue)' has no argument '\(key)'\(Suggestion.didYouMean(key, among: spec.named)); it takes \(spec.named.joined(separator: ", "))", offset: offset)
                }
            } else {
                guard let positional = spec.positional, !positionalSeen, given.isEmpty else {
                    throw TemplateFilterError(message: "filter '\(kind.rawValue)' takes one value, then named arguments (\(spec.named.joined(separator: ", "))): '\(trimmed)' is one too many", offset: offset)
                }
                positionalSeen = true
                key = positional
                value = try unquoted(trimmed, offset: offset)
            }
            guard given.insert(key).inserted else {
                throw TemplateFilterError(message: "'\(key)' is given twice in filter '\(kind.rawValue)'", offset: offset)
            }
            if key != "style" { value = value.trimmingCharacters(in: .whitespaces) }
            try filter.set(key, value, offset: offset)
        }
        if kind == .money, filter.currency == nil {
            throw TemplateFilterError(message: "filter 'money' needs a currency: {{amount | money: CHF}}", offset: 0)
        }
        return filter
    }

    init(kind: Kind) { self.kind = kind }

    private mutating func set(_ key: String, _ value: String, offset: Int) throws(TemplateFilterError) {
        switch key {
        case "decimals":
            guard let n = Int(value), (0 ... Self.maximumDecimals).contains(n) else {
                throw TemplateFilterError(message: "'decimals' is a whole number from 0 to \(Self.maximumDecimals), not '\(value)'", offset: offset)
            }
            decimals = n
        case "locale":
            guard let found = TemplateFormatting.locale(named: value) else {
                throw TemplateFilterError(message: TemplateFormatting.unknownLocaleMessage(value), offset: offset)
            }
            locale = found
        case "currency":
            let code = value.uppercased()
            guard TemplateFormatting.currencyCodes.contains(code) else {
                throw TemplateFilterError(message: TemplateFormatting.unknownCurrencyMessage(value), offset: offset)
            }
            currency = code
        default:
            if let problem = Self.styleProblem(value, for: kind) {
                throw TemplateFilterError(message: problem, offset: offset)
            }
            style = value
        }
    }

    /// Why `style` is no good for a filter of `kind`, nil when it is fine.
    static func styleProblem(_ style: String, for kind: Kind) -> String? {
        let named = kind == .time ? timeStyles : dateStyles
        if named.contains(style) { return nil }
        let letters = patternLetters(style)
        if letters.isEmpty || named.contains(where: { Suggestion.distance(style.lowercased(), $0) <= 2 }) {
            return "unknown style '\(style)' for filter '\(kind.rawValue)'\(Suggestion.didYouMean(style, among: named)); styles: \(named.joined(separator: ", ")), or a pattern such as \(kind == .time ? "'HH:mm'" : "'dd.MM.yyyy'")"
        }
        if let bad = letters.first(where: { !patternAlphabet.contains($0) }) {
            return "'\(bad)' is not a date pattern letter in '\(style)' (write text in single quotes: 'le' d MMMM)"
        }
        if kind == .date, letters.contains("m"), !letters.contains(where: { "Hhk".contains($0) }) {
            return "'mm' in '\(style)' means minutes; write 'MM' for the month (dd.MM.yyyy)"
        }
        if kind == .date, letters.contains("Y"), !letters.contains("w") {
            return "'Y' in '\(style)' is the year of the week; write 'y' for the calendar year (dd.MM.yyyy)"
        }
        if kind == .date, letters.contains("D"), !letters.contains("M") {
            return "'D' in '\(style)' is the day of the year; write 'd' for the day of the month (dd.MM.yyyy)"
        }
        return nil
    }

    /// The letters of ICU date patterns.
    static let patternAlphabet = Set("GyYuUrQqMLlwWdDFgEecaBbhHkKjJCmsSAzZOvVXx")

    /// The letters of a date pattern outside quoted text.
    static func patternLetters(_ pattern: String) -> [Character] {
        var quoted = false
        var letters: [Character] = []
        for c in pattern {
            if c == "'" { quoted.toggle(); continue }
            if !quoted, c.isASCII, c.isLetter { letters.append(c) }
        }
        return letters
    }

    /// `locale: fr-FR` → ("locale", "fr-FR"): a lowercase word, a colon, a value.
    private static func namedArgument(_ text: Substring) -> (String, String)? {
        guard let first = text.first, first.isLetter, first.isLowercase else { return nil }
        let (head, rest) = splitOnce(text, at: ":")
        guard let rest, head.allSatisfy({ $0.isLetter || $0 == "-" }) else { return nil }
        let key = String(head.trimmingWhitespace)
        guard !key.isEmpty, !key.contains(" ") else { return nil }
        let value = try? unquoted(rest.trimmingWhitespace, offset: 0)
        return value.map { (key, $0) }
    }

    private static func unquoted(_ text: Substring, offset: Int) throws(TemplateFilterError) -> String {
        guard let q = text.first, q == "\"" || q == "'" else { return String(text) }
        guard text.count >= 2, text.last == q else {
            throw TemplateFilterError(message: "a quote (\(q)) is opened and never closed in '\(text)'", offset: offset)
        }
        return String(text.dropFirst().dropLast())
    }

    private static func splitOnce(_ text: Substring, at separator: Character) -> (Substring, Substring?) {
        guard let i = text.firstIndex(of: separator) else { return (text, nil) }
        return (text[..<i], text[text.index(after: i)...])
    }

    /// Splits a tag's text into the name and its filters at `|` outside quotes.
    static func splitPipes(_ text: Substring) -> [Substring] { split(text, at: "|") }

    /// Splits `text` at each `separator` outside single or double quotes (a filter's arguments
    /// at `,`, a tag at `|`).
    private static func split(_ text: Substring, at separator: Character) -> [Substring] {
        var parts: [Substring] = []
        var quote: Character?
        var start = text.startIndex
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if let q = quote { if c == q { quote = nil } } else if c == "\"" || c == "'" { quote = c } else if c == separator {
                parts.append(text[start ..< i])
                start = text.index(after: i)
            }
            i = text.index(after: i)
        }
        parts.append(text[start...])
        return parts
    }
}

/// A problem in a filter's text, `offset` characters into it.
struct TemplateFilterError: Error {
    var message: String
    var offset: Int
}
