import Synchronization

/// Patterns that must be literal strings so they are validated and compiled once:
/// the regex of `matches()` and the layout of `format_date()`.
enum ExpressionPattern {
    static func literalText(_ node: ExpressionNode, _ what: String) throws(ExpressionError) -> String {
        guard case let .literal(.string(text)) = node.kind else {
            throw ExpressionError(message: "\(what) must be a literal string in quotes", range: node.range)
        }
        return text
    }

    static func regex(from node: ExpressionNode) throws(ExpressionError) -> CompiledRegex {
        let text = try literalText(node, "the pattern of matches()")
        do {
            return try CompiledRegex(text)
        } catch {
            throw ExpressionError(message: "invalid regular expression '\(text)': \(error)", range: node.range)
        }
    }

    static func datePattern(from node: ExpressionNode) throws(ExpressionError) -> DatePattern {
        let text = try literalText(node, "the layout of format_date()")
        do throws(DatePattern.LayoutError) {
            return try DatePattern(text)
        } catch {
            throw ExpressionError(message: error.message, range: node.range)
        }
    }
}

/// A regular expression compiled once and shared by every evaluation.
///
/// Swift's `Regex` is not declared `Sendable` (swiftlang/swift#78111) although its lazy
/// compilation is thread-safe; a `Mutex` makes the sharing provably safe without any
/// unchecked conformance. Matching is a search: use `^…$` to match the whole text.
final class CompiledRegex: Sendable {
    private let regex: Mutex<Regex<AnyRegexOutput>>

    init(_ pattern: String) throws {
        regex = Mutex(try Regex(pattern))
    }

    func matches(_ text: String) -> Bool {
        regex.withLock { r in text.contains(r) }
    }
}

/// A `format_date` layout: `yyyy yy MM M dd d HH H mm ss` are replaced, anything else is
/// copied. `Y`, `D` and other runs of pattern letters of the wrong length are errors, since
/// they are usually typos (`DD.MM.YYYY`).
struct DatePattern: Sendable, Hashable {
    struct LayoutError: Error { var message: String }

    enum Part: Sendable, Hashable {
        case text(String)
        case year4, year2, month2, month1, day2, day1, hour2, hour1, minute2, second2
    }

    let parts: [Part]

    init(_ layout: String) throws(LayoutError) {
        var parts: [Part] = []
        let characters = Array(layout)
        var i = 0
        while i < characters.count {
            let c = characters[i]
            var j = i
            while j < characters.count, characters[j] == c { j += 1 }
            let run = j - i
            let part: Part?
            switch (c, run) {
            case ("y", 4): part = .year4
            case ("y", 2): part = .year2
            case ("M", 2): part = .month2
            case ("M", 1): part = .month1
            case ("d", 2): part = .day2
            case ("d", 1): part = .day1
            case ("H", 2): part = .hour2
            case ("H", 1): part = .hour1
            case ("m", 2): part = .minute2
            case ("s", 2): part = .second2
            case ("y", _), ("M", _), ("d", _), ("H", _), ("m", _), ("s", _), ("Y", _), ("D", _):
                throw LayoutError(message: "format_date() layout '\(layout)': '\(String(repeating: c, count: run))' is not a field; use yyyy, yy, MM, M, dd, d, HH, H, mm or ss")
            default: part = nil
            }
            if let part {
                parts.append(part)
            } else {
                let text = String(characters[i ..< j])
                if case let .text(previous)? = parts.last {
                    parts[parts.count - 1] = .text(previous + text)
                } else {
                    parts.append(.text(text))
                }
            }
            i = j
        }
        self.parts = parts
    }

    func format(_ date: LocalDate, millisecondOfDay: Int32 = 0) -> String {
        let (year, month, day) = date.components
        let ms = Int(millisecondOfDay)
        var out = ""
        for part in parts {
            switch part {
            case let .text(t): out += t
            case .year4: out += pad(year, 4)
            case .year2: out += pad(year % 100, 2)
            case .month2: out += pad(month, 2)
            case .month1: out += String(month)
            case .day2: out += pad(day, 2)
            case .day1: out += String(day)
            case .hour2: out += pad(ms / 3_600_000, 2)
            case .hour1: out += String(ms / 3_600_000)
            case .minute2: out += pad(ms / 60000 % 60, 2)
            case .second2: out += pad(ms / 1000 % 60, 2)
            }
        }
        return out
    }
}
