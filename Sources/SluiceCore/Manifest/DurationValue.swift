/// A length of time written the way people write it: `2s`, `500ms`, `1m`, `1h30m`, `2d`.
/// A plain number means seconds.
public struct DurationValue: Sendable, Hashable, Comparable, Decodable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }
    public static func seconds(_ s: Int64) -> DurationValue { DurationValue(milliseconds: s * 1000) }

    public init?(parsing text: String) {
        let t = text.trimmingSpaces
        if let n = Int64(t) { milliseconds = n * 1000; return }
        var total: Int64 = 0
        var number: Int64?
        var unit = ""
        var parts: [(Int64, String)] = []
        for c in t {
            if let d = c.wholeNumberValue, c.isASCII {
                if !unit.isEmpty { guard let n = number else { return nil }; parts.append((n, unit)); unit = ""; number = nil }
                number = (number ?? 0) * 10 + Int64(d)
            } else if c.isLetter {
                guard number != nil else { return nil }
                unit.append(c)
            } else if c == " " {
                continue
            } else {
                return nil
            }
        }
        guard let n = number, !unit.isEmpty else { return nil }
        parts.append((n, unit))
        for (n, u) in parts {
            switch u {
            case "ms": total += n
            case "s", "sec": total += n * 1000
            case "m", "min": total += n * 60000
            case "h": total += n * 3_600_000
            case "d": total += n * 86_400_000
            default: return nil
            }
        }
        milliseconds = total
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let d = DurationValue(parsing: text) else {
            throw ManifestDecodingError("'\(text)' is not a duration; write e.g. 500ms, 2s, 5m, 1h or 2d",
                                        at: (decoder as? any LocatedDecoder)?.location)
        }
        self = d
    }

    public var seconds: Double { Double(milliseconds) / 1000 }

    public var description: String {
        let ms = milliseconds
        if ms % 86_400_000 == 0, ms > 0 { return "\(ms / 86_400_000)d" }
        if ms % 3_600_000 == 0, ms > 0 { return "\(ms / 3_600_000)h" }
        if ms % 60000 == 0, ms > 0 { return "\(ms / 60000)m" }
        if ms % 1000 == 0 { return "\(ms / 1000)s" }
        return "\(ms)ms"
    }

    public static func < (a: DurationValue, b: DurationValue) -> Bool { a.milliseconds < b.milliseconds }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
