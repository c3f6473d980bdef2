/// An exact base-10 number: `significand × 10^-scale`.
///
/// Money never goes through `Double`. The written scale is kept (`1.50` prints as
/// `1.50`), while equality, ordering and hashing compare numeric values (`1.5 == 1.50`).
public struct DecimalNumber: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var significand: Int64
    public var scale: Int16

    /// The largest scale division produces before trailing zeros are trimmed.
    public static let divisionScale: Int16 = 12

    public init(significand: Int64, scale: Int16 = 0) {
        self.significand = significand
        self.scale = scale
    }

    public init(_ integer: Int64) { self.init(significand: integer, scale: 0) }

    /// Parses `-12`, `3.50`, `+0.001`, `1e3`, `1.2E-2`. Returns nil for anything else.
    public init?(parsing text: some StringProtocol) {
        var copy = String(text)
        guard let parsed = copy.withUTF8({ DecimalNumber.parse($0) }) else { return nil }
        self = parsed
    }

    /// The parser itself, over UTF-8 bytes, without allocating.
    static func parse(_ u: UnsafeBufferPointer<UInt8>) -> DecimalNumber? {
        var end = u.count
        guard end > 0 else { return nil }
        var exponent = 0
        if let e = u.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            var i = e + 1
            var negative = false
            if i < u.count, u[i] == UInt8(ascii: "-") || u[i] == UInt8(ascii: "+") { negative = u[i] == UInt8(ascii: "-"); i += 1 }
            guard i < u.count else { return nil }
            var value = 0
            while i < u.count {
                let c = u[i]
                guard c >= 48 && c <= 57, value < 1000 else { return nil }
                value = value * 10 + Int(c - 48)
                i += 1
            }
            guard value < 40 else { return nil }
            exponent = negative ? -value : value
            end = e
        }
        var index = 0
        var negative = false
        if index < end, u[index] == UInt8(ascii: "-") || u[index] == UInt8(ascii: "+") {
            negative = u[index] == UInt8(ascii: "-")
            index += 1
        }
        var value: Int64 = 0
        var scale = 0
        var seenDot = false
        var digits = 0
        while index < end {
            let c = u[index]
            if c == UInt8(ascii: ".") {
                if seenDot { return nil }
                seenDot = true
            } else if c >= 48 && c <= 57 {
                let (m, o1) = value.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(c - 48))
                if o1 || o2 { return nil }
                value = a
                digits += 1
                if seenDot { scale += 1 }
            } else {
                return nil
            }
            index += 1
        }
        guard digits > 0 else { return nil }
        scale -= exponent
        if scale < 0 {
            for _ in 0 ..< -scale {
                let (m, o) = value.multipliedReportingOverflow(by: 10)
                if o { return nil }
                value = m
            }
            scale = 0
        }
        return DecimalNumber(significand: negative ? -value : value, scale: Int16(scale))
    }

    public var isZero: Bool { significand == 0 }
    public var isInteger: Bool { normalized.scale <= 0 }

    /// The same value with trailing fractional zeros removed.
    public var normalized: DecimalNumber {
        var s = significand
        var k = scale
        while k > 0 && s % 10 == 0 { s /= 10; k -= 1 }
        if s == 0 { k = 0 }
        return DecimalNumber(significand: s, scale: k)
    }

    public var doubleValue: Double {
        Double(significand) / pow10Double(Int(scale))
    }

    public var description: String {
        if scale <= 0 { return String(significand) }
        let negative = significand < 0
        var digits = String(significand.magnitude)
        let s = Int(scale)
        if digits.count <= s { digits = String(repeating: "0", count: s - digits.count + 1) + digits }
        let cut = digits.index(digits.endIndex, offsetBy: -s)
        return (negative ? "-" : "") + digits[..<cut] + "." + digits[cut...]
    }

    public static func == (a: DecimalNumber, b: DecimalNumber) -> Bool {
        compare(a, b) == 0
    }

    public func hash(into hasher: inout Hasher) {
        let n = normalized
        hasher.combine(n.significand)
        hasher.combine(n.scale)
    }

    public static func < (a: DecimalNumber, b: DecimalNumber) -> Bool { compare(a, b) < 0 }

    static func compare(_ a: DecimalNumber, _ b: DecimalNumber) -> Int {
        let s = max(a.scale, b.scale)
        let x = Int128(a.significand) * pow10(Int(s - a.scale))
        let y = Int128(b.significand) * pow10(Int(s - b.scale))
        return x < y ? -1 : (x > y ? 1 : 0)
    }

    // MARK: Arithmetic (exact; throws on overflow)

    public struct ArithmeticError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public static func add(_ a: DecimalNumber, _ b: DecimalNumber) throws -> DecimalNumber {
        let s = max(a.scale, b.scale)
        let x = Int128(a.significand) * pow10(Int(s - a.scale))
        let y = Int128(b.significand) * pow10(Int(s - b.scale))
        return try fit(x + y, scale: s)
    }

    public static func subtract(_ a: DecimalNumber, _ b: DecimalNumber) throws -> DecimalNumber {
        try add(a, DecimalNumber(significand: -b.significand, scale: b.scale))
    }

    public static func multiply(_ a: DecimalNumber, _ b: DecimalNumber) throws -> DecimalNumber {
        let (p, o) = Int128(a.significand).multipliedReportingOverflow(by: Int128(b.significand))
        if o { throw ArithmeticError(description: "decimal overflow in \(a) * \(b)") }
        return try fit(p, scale: a.scale + b.scale)
    }

    /// Division rounds half-even to `divisionScale` fractional digits (at least the
    /// operands' own scale), then trims trailing zeros.
    public static func divide(_ a: DecimalNumber, _ b: DecimalNumber) throws -> DecimalNumber {
        guard b.significand != 0 else { throw ArithmeticError(description: "division by zero") }
        let target = max(divisionScale, a.scale, b.scale)
        // a/b = (a.sig / b.sig) * 10^(b.scale - a.scale); scale the numerator so the result has `target` digits.
        let shift = Int(target) - Int(a.scale) + Int(b.scale)
        var numerator = Int128(a.significand)
        var denominator = Int128(b.significand)
        if shift >= 0 { numerator *= pow10(shift) } else { denominator *= pow10(-shift) }
        let quotient = roundedDivision(numerator, denominator)
        return try fit(quotient, scale: target).normalized
    }

    public func rounded(scale newScale: Int16) -> DecimalNumber {
        if newScale >= scale {
            let (m, o) = significand.multipliedReportingOverflow(by: Int64(pow10(Int(newScale - scale))))
            return o ? self : DecimalNumber(significand: m, scale: newScale)
        }
        let q = DecimalNumber.roundedDivision(Int128(significand), pow10(Int(scale - newScale)))
        return DecimalNumber(significand: Int64(q), scale: newScale)
    }

    static func roundedDivision(_ n: Int128, _ d: Int128) -> Int128 {
        var q = n / d
        let r = n % d
        if r != 0 {
            let twice = (r.magnitude) * 2
            let dm = d.magnitude
            let negative = (n < 0) != (d < 0)
            if twice > dm || (twice == dm && q % 2 != 0) { q += negative ? -1 : 1 }
        }
        return q
    }

    /// Brings an Int128 result back into an Int64 significand, dropping scale (with
    /// half-even rounding) only when the value would not fit otherwise.
    static func fit(_ value: Int128, scale: Int16) throws -> DecimalNumber {
        var v = value
        var s = scale
        while v > Int128(Int64.max) || v < Int128(Int64.min) {
            guard s > 0 else { throw ArithmeticError(description: "decimal overflow") }
            v = roundedDivision(v, 10)
            s -= 1
        }
        return DecimalNumber(significand: Int64(v), scale: s)
    }
}

@inline(__always) func pow10(_ n: Int) -> Int128 {
    var r: Int128 = 1
    for _ in 0 ..< max(0, n) { r *= 10 }
    return r
}

@inline(__always) func pow10Double(_ n: Int) -> Double {
    var r = 1.0
    for _ in 0 ..< max(0, n) { r *= 10 }
    return r
}
