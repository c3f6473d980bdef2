import Foundation

/// One word of a schedule said in words, as `SchedulePhrase` reads it: the text is folded
/// (lower case, accents dropped: `à` is `a`, `août` is `aout`) and times, numbers and
/// ordinals are already read.
struct ScheduleWord: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case word
        case number(Int)
        /// `1er`, `1st`, `15th`, `2e`, `premier`, `first`.
        case ordinal(Int)
        /// `08:00`, `8:00`, `8h`, `08h00`, `8h30`, `8am`, `5:30pm`, `midi`, `noon`.
        case time(hour: Int, minute: Int)
        /// `:15`, a minute of every hour.
        case minute(Int)
        /// `and`, `et`, a comma.
        case and
        /// `-` between two days.
        case dash
    }

    var kind: Kind
    /// The word as folded, for messages and vocabulary look-ups.
    var text: String

    var isWord: Bool { kind == .word }

    static let weekdayNames: [String: Int] = {
        var names: [String: Int] = [:]
        let full = [["sunday", "dimanche"], ["monday", "lundi"], ["tuesday", "mardi"], ["wednesday", "mercredi"],
                    ["thursday", "jeudi"], ["friday", "vendredi"], ["saturday", "samedi"]]
        let short = [["sun", "dim"], ["mon", "lun"], ["tue", "tues", "mar"], ["wed", "mer"], ["thu", "thur", "thurs", "jeu"],
                     ["fri", "ven"], ["sat", "sam"]]
        for d in 0 ..< 7 {
            for n in full[d] { names[n] = d; names[n + "s"] = d }
            for n in short[d] { names[n] = d }
        }
        return names
    }()

    /// The weekday this word names, 0 = Sunday.
    var weekday: Int? { isWord ? Self.weekdayNames[text] : nil }

    /// Lower case, without accents (combining marks dropped after canonical decomposition).
    static func fold(_ text: some StringProtocol) -> String {
        String(String.UnicodeScalarView(text.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars
                .filter { !(0x300 ... 0x36F).contains($0.value) }))
    }

    /// Reads a schedule's text into words; throws for a time of day out of range (`25:00`).
    static func words(_ source: String) throws(ScheduleError) -> [ScheduleWord] {
        var folded = fold(source)
        for (from, to) in [("’", "'"), ("week-end", "weekend"), ("week end", "weekend")] {
            folded = folded.replacingOccurrences(of: from, with: to)
        }
        var spaced = ""
        for c in folded {
            switch c {
            case ",", ";", "&": spaced += " , "
            case "-": spaced += " - "
            case "'", "(", ")": spaced += " "
            default: spaced.append(c)
            }
        }
        var raw = spaced.split(whereSeparator: \.isWhitespace).map(String.init)
        if let last = raw.last, last.count > 1, last.hasSuffix(".") { raw[raw.count - 1] = String(last.dropLast()) }
        // `8 h`, `8 h30`, `8 am` are one time.
        var merged: [String] = []
        for w in raw {
            if let prev = merged.last, prev.allSatisfy(\.isNumber), w == "am" || w == "pm" || (w.first == "h" && w.dropFirst().allSatisfy(\.isNumber) && w.count != 2) {
                merged[merged.count - 1] = prev + w
            } else {
                merged.append(w)
            }
        }
        var words: [ScheduleWord] = []
        for w in merged {
            words.append(ScheduleWord(kind: try kind(of: w), text: w))
        }
        return words
    }

    static func kind(of w: String) throws(ScheduleError) -> Kind {
        if ["and", "et", ","].contains(w) { return .and }
        if w == "-" { return .dash }
        if let n = Int(w), w.allSatisfy(\.isNumber) { return .number(n) }
        if ["premier", "first"].contains(w) { return .ordinal(1) }
        if ["midi", "noon"].contains(w) { return .time(hour: 12, minute: 0) }
        if ["minuit", "midnight"].contains(w) { return .time(hour: 0, minute: 0) }
        if w.first == ":", w.count == 3, let m = Int(w.dropFirst()), w.dropFirst().allSatisfy(\.isNumber) {
            guard (0 ... 59).contains(m) else { throw notATime(w) }
            return .minute(m)
        }
        let digits = w.prefix(while: \.isNumber)
        guard !digits.isEmpty, digits.count <= 2, let lead = Int(digits) else { return .word }
        let rest = String(w.dropFirst(digits.count))
        for suffix in ["er", "re", "e", "eme", "st", "nd", "rd", "th"] where rest == suffix {
            return .ordinal(lead)
        }
        return try time(hour: lead, rest: rest, word: w).map { .time(hour: $0.0, minute: $0.1) } ?? .word
    }

    /// `rest` after the hour's digits: `:00`, `h`, `h30`, `am`, `:30pm`; nil when it is no time.
    static func time(hour: Int, rest: String, word: String) throws(ScheduleError) -> (Int, Int)? {
        var rest = Substring(rest)
        var half: String?
        if rest.hasSuffix("am") || rest.hasSuffix("pm") {
            half = String(rest.suffix(2))
            rest = rest.dropLast(2)
        }
        var minute = 0
        if let sep = rest.first, sep == ":" || sep == "h" {
            let m = rest.dropFirst()
            guard m.allSatisfy(\.isNumber) else { return nil }
            if m.isEmpty {
                if sep == ":" { return nil }
            } else {
                guard m.count == 2, let v = Int(m) else { throw notATime(word) }
                minute = v
            }
        } else if !rest.isEmpty || half == nil {
            return nil
        }
        var h = hour
        if let half {
            guard (1 ... 12).contains(hour) else { throw notATime(word) }
            h = hour % 12 + (half == "pm" ? 12 : 0)
        }
        guard (0 ... 23).contains(h), (0 ... 59).contains(minute) else { throw notATime(word) }
        return (h, minute)
    }

    static func notATime(_ w: String) -> ScheduleError {
        ScheduleError(.invalidPhrase, "'\(w)' is not a time of day; write HH:mm (08:00, 8:00, 8h, 08h00 or 8am), from 00:00 to 23:59")
    }

    /// Every word a schedule may use, for suggestions.
    static let vocabulary: Set<String> = Set(weekdayNames.keys).union(SchedulePhrase.everyWords).union(SchedulePhrase.glue)
        .union(SchedulePhrase.minuteUnits).union(SchedulePhrase.hourUnits).union(SchedulePhrase.dayUnits)
        .union(SchedulePhrase.monthUnits).union(SchedulePhrase.weekUnits).union(SchedulePhrase.rangeWords)
        .union(["hourly", "daily", "weekly", "monthly", "weekday", "weekdays", "workday", "workdays", "business", "working",
                "ouvrables", "ouvrable", "ouvres", "weekend", "weekends", "last", "dernier", "semaine", "premier", "first",
                "midi", "noon", "minuit", "midnight"])
}
