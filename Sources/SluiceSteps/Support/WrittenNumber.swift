import SluiceCore

/// A number as people write it in a cell: `-1 234,50`, `1'234.50`, `8,1%`, `12.5 %`.
///
/// - an optional sign (`-`, `+`, or the typographic minus `−`);
/// - the whole part, with or without grouping characters (space, no-break space U+00A0,
///   narrow no-break space U+202F, `'`, `’`): when grouped, the first group has one to three
///   digits and every later group exactly three (`1 234 567`; `1 23,4` is refused);
/// - the decimal separator the caller names (`.` or `,`) followed by at least one digit;
/// - an optional percent sign, after the number or after a space: the value is divided by 100.
///
/// Anything else is refused: exponents (`1e3`), two decimal separators, letters, currency signs.
enum WrittenNumber {
    static let groupingCharacters: Set<Unicode.Scalar> = [" ", "\u{00A0}", "\u{202F}", "'", "’"]

    /// The exact value of `text`, or nil when it is not a number written as above.
    /// `fraction: false` refuses a decimal separator and a percent sign (whole numbers).
    static func parse(_ text: String, decimalSeparator: Unicode.Scalar, fraction: Bool = true) -> DecimalNumber? {
        var scalars = Substring(text).unicodeScalars[...]
        while let f = scalars.first, f.properties.isWhitespace { scalars.removeFirst() }
        while let l = scalars.last, l.properties.isWhitespace { scalars.removeLast() }
        var negative = false
        if let f = scalars.first, f == "-" || f == "+" || f == "\u{2212}" {
            negative = f != "+"
            scalars.removeFirst()
        }
        var percent = false
        if scalars.last == "%" {
            guard fraction else { return nil }
            percent = true
            scalars.removeLast()
            while let l = scalars.last, groupingCharacters.contains(l), l != "'", l != "’" { scalars.removeLast() }
        }
        var significand: Int64 = 0
        var scale = 0
        var wholeDigits = 0
        var groupDigits = 0          // digits since the last grouping character
        var grouped = false
        var afterSeparator = false   // in the fractional part
        var fractionDigits = 0
        var lastWasGrouping = false
        for s in scalars {
            if s.value >= 48, s.value <= 57 {
                let digit = Int64(s.value - 48)
                let (m, o1) = significand.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(digit)
                if o1 || o2 { return nil }
                significand = a
                if afterSeparator { fractionDigits += 1; scale += 1 } else { wholeDigits += 1; groupDigits += 1 }
                lastWasGrouping = false
            } else if groupingCharacters.contains(s) {
                // Between digits of the whole part only, after a group of 1-3 (first) or 3 digits.
                guard !afterSeparator, !lastWasGrouping, groupDigits > 0 else { return nil }
                if grouped ? groupDigits != 3 : groupDigits > 3 { return nil }
                grouped = true
                groupDigits = 0
                lastWasGrouping = true
            } else if s == decimalSeparator {
                guard fraction, !afterSeparator, !lastWasGrouping else { return nil }
                afterSeparator = true
            } else {
                return nil
            }
        }
        if lastWasGrouping || (grouped && groupDigits != 3) { return nil }
        if afterSeparator && fractionDigits == 0 { return nil }
        guard wholeDigits + fractionDigits > 0 else { return nil }
        if percent { scale += 2 }
        guard scale <= Int(Int16.max) else { return nil }
        return DecimalNumber(significand: negative ? -significand : significand, scale: Int16(scale))
    }

    /// Whether `text` is a number written exactly as Sluice would print it (`-12`, `3.50`,
    /// `0.5`): no sign but `-`, no leading zero, no grouping, no exponent. `integer` asks for
    /// a whole number. Used to type CSV columns without changing a single character.
    static func isAsWritten(_ text: String, integer: Bool) -> Bool {
        var u = Substring(text).utf8[...]
        if u.first == UInt8(ascii: "-") { u.removeFirst() }
        var whole = 0
        var fractionDigits = -1
        var leadingZero = false
        var allZero = true
        for (i, c) in u.enumerated() {
            if c == UInt8(ascii: ".") {
                guard !integer, fractionDigits < 0, whole > 0 else { return false }
                fractionDigits = 0
            } else if c >= 48, c <= 57 {
                if c != 48 { allZero = false }
                if fractionDigits >= 0 { fractionDigits += 1 } else {
                    if i == 0 && c == 48 { leadingZero = true }
                    whole += 1
                }
            } else {
                return false
            }
        }
        guard whole > 0, fractionDigits != 0 else { return false }
        if leadingZero && whole > 1 { return false }           // 007, 08123
        if text.hasPrefix("-") && allZero { return false }      // -0
        return true
    }
}
