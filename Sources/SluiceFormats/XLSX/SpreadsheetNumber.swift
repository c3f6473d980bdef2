#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The number a person sees in a spreadsheet cell, as text.
///
/// A workbook stores a number as an IEEE double, and producers write its binary value with up
/// to 17–20 digits: Excel `2153.9299999999998`, Gnumeric `4.84999999999999999991`, XlsxWriter
/// `8222.610000000001`. Excel displays and computes with 15 significant digits, so a number is
/// read as the double rounded to 15 significant digits, then written in its shortest form:
/// `2153.93`, `4.85`, `8222.61`, `0.3`.
///
/// - A whole number written as digits (`42`, `-7`, `12345678901234567`) keeps its digits when
///   it fits a 64-bit integer: it has no binary tail, and an identifier written by a program
///   must not end in invented zeros.
/// - Text with at most 15 significant digits and no exponent is already what the double
///   rounds to: only a `+`, leading integer zeros and trailing fraction zeros are dropped.
/// - Everything else goes through the double. The result is plain decimal text when its
///   integer part has at most 18 digits and it has at most 20 decimals (`1.5E-3` → `0.0015`,
///   `1.234567890123457e+17` → `123456789012346000`), otherwise `1.5E+300`-style text.
///
/// Every reader of spreadsheet numbers turns a cell's number into text here, so `inspect`,
/// the extract steps and the datasets they make agree digit for digit.
public enum SpreadsheetNumber {
    /// The significant digits Excel keeps (and shows in a `General` cell).
    public static let significantDigits = 15

    /// The text for a number cell written as `written` (the `<v>` of an xlsx cell); nil when
    /// it is not a finite number.
    public static func text(written: some StringProtocol) -> String? {
        var copy = String(written)
        return copy.withUTF8 { text(written: $0) }
    }

    /// The text for a number cell written as the UTF-8 bytes `written`; nil when they are not a
    /// finite number.
    public static func text(written: UnsafeBufferPointer<UInt8>) -> String? {
        if let exact = writtenText(written) { return exact }
        guard let value = Double(String(decoding: written, as: UTF8.self)), value.isFinite else { return nil }
        return text(of: value)
    }

    /// The text for a double: rounded to 15 significant digits, shortest form (`-0` is `0`).
    public static func text(of value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value < 0 ? "-Infinity" : "Infinity") }
        if value == 0 { return "0" }
        // printf rounds the exact binary value (not its shortest decimal) to 15 digits.
        var buffer = [CChar](repeating: 0, count: 48)
        let length = buffer.withUnsafeMutableBufferPointer { out in
            withVaList([value]) { vsnprintf(out.baseAddress, out.count, "%.14e", $0) }
        }
        // "-d.dddddddddddddde±XX"
        let printed = buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }
        let negative = printed.first == UInt8(ascii: "-")
        guard let e = printed.firstIndex(where: { $0 == UInt8(ascii: "e") }),
              let exponent = Int(String(decoding: printed[(e + 1)...], as: UTF8.self)) else {
            return String(value)
        }
        var digits = printed[..<e].filter { $0 >= 48 && $0 <= 57 }
        while digits.count > 1, digits.last == 48 { digits.removeLast() }
        return layout(negative: negative, digits: digits, integerDigits: exponent + 1)
    }

    /// `digits` (no leading or trailing zeros) with `integerDigits` of them before the point.
    static func layout(negative: Bool, digits: [UInt8], integerDigits: Int) -> String {
        var out: [UInt8] = negative ? [UInt8(ascii: "-")] : []
        let count = digits.count
        if integerDigits > 18 || count - integerDigits > 20 {
            out.append(digits[0])
            if count > 1 {
                out.append(UInt8(ascii: "."))
                out += digits[1...]
            }
            let exponent = integerDigits - 1
            out += Array("E\(exponent < 0 ? "-" : "+")\(exponent.magnitude)".utf8)
        } else if integerDigits <= 0 {
            out += Array("0.".utf8)
            out += repeatElement(UInt8(ascii: "0"), count: -integerDigits)
            out += digits
        } else if integerDigits >= count {
            out += digits
            out += repeatElement(UInt8(ascii: "0"), count: integerDigits - count)
        } else {
            out += digits[..<integerDigits]
            out.append(UInt8(ascii: "."))
            out += digits[integerDigits...]
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The written text itself, tidied, when no rounding can change it: a whole number that fits
    /// 64 bits, or at most 15 significant digits without an exponent. Nil otherwise.
    static func writtenText(_ u: UnsafeBufferPointer<UInt8>) -> String? {
        var i = 0
        let negative = i < u.count && u[i] == UInt8(ascii: "-")
        if i < u.count, negative || u[i] == UInt8(ascii: "+") { i += 1 }
        while i < u.count, u[i] == UInt8(ascii: "0") { i += 1 }
        let integerStart = i
        while i < u.count, u[i] >= 48, u[i] <= 57 { i += 1 }
        let integerEnd = i
        var fractionStart = i, fractionEnd = i
        if i < u.count, u[i] == UInt8(ascii: ".") {
            i += 1
            fractionStart = i
            while i < u.count, u[i] >= 48, u[i] <= 57 { i += 1 }
            fractionEnd = i
        }
        guard i == u.count, u.contains(where: { $0 >= 48 && $0 <= 57 }) else { return nil } // an exponent, or not a number
        while fractionEnd > fractionStart, u[fractionEnd - 1] == UInt8(ascii: "0") { fractionEnd -= 1 }
        let integerCount = integerEnd - integerStart
        if fractionEnd == fractionStart {
            if integerCount == 0 { return "0" }
            guard integerCount <= 18 || (integerCount == 19 && Int64(String(decoding: u[..<integerEnd], as: UTF8.self)) != nil) else { return nil }
        } else {
            var firstSignificant = fractionStart
            if integerCount == 0 { while u[firstSignificant] == UInt8(ascii: "0") { firstSignificant += 1 } }
            let significant = integerCount + fractionEnd - firstSignificant
            guard significant <= significantDigits else { return nil }
        }
        return String(unsafeUninitializedCapacity: integerCount + fractionEnd - fractionStart + 3) { out in
            var o = 0
            func put(_ byte: UInt8) { out[o] = byte; o += 1 }
            if negative { put(UInt8(ascii: "-")) }
            if integerCount == 0 { put(UInt8(ascii: "0")) } else { for k in integerStart..<integerEnd { put(u[k]) } }
            if fractionEnd > fractionStart {
                put(UInt8(ascii: "."))
                for k in fractionStart..<fractionEnd { put(u[k]) }
            }
            return o
        }
    }
}
