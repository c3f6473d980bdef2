#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A binary double written the way Excel shows it: rounded to 15 significant digits (what Excel
/// displays and computes with), then in its shortest form. `0.1 + 0.2` is `0.3`,
/// `2153.9299999999998` is `2153.93`, whole numbers have no fraction (`42`, `-7`,
/// `123456789012346000`), and very large or small magnitudes use an exponent (`1.5E-10`, `1E+300`).
enum ExcelNumberText {
    /// The text of `value`; nil for infinities and NaN, which no cell holds.
    static func text(_ value: Double) -> String? {
        guard value.isFinite else { return nil }
        if value == 0 { return "0" }
        // "%.14e" gives exactly 15 significant digits, correctly rounded: "-2.15393000000000e+03".
        var buffer = [CChar](repeating: 0, count: 40)
        let written = withVaList([value]) { args in
            buffer.withUnsafeMutableBufferPointer { vsnprintf($0.baseAddress, $0.count, "%.14e", args) }
        }
        guard written > 0, written < buffer.count else { return nil }
        let scientific = buffer.prefix(Int(written)).map { UInt8(bitPattern: $0) }
        guard let e = scientific.firstIndex(of: UInt8(ascii: "e")),
              let exponent = Int(String(decoding: scientific[(e + 1)...], as: UTF8.self)) else { return nil }
        let negative = scientific.first == UInt8(ascii: "-")
        var digits = scientific[..<e].filter { $0 >= 48 && $0 <= 57 }
        while digits.count > 1, digits.last == UInt8(ascii: "0") { digits.removeLast() }
        var out = negative ? "-" : ""
        let text = String(decoding: digits, as: UTF8.self)
        if exponent >= 20 || exponent < -9 {
            // 1.5E-10, 1E+300: Excel's own exponent form.
            out += String(text.prefix(1))
            if text.count > 1 { out += "." + text.dropFirst() }
            return out + (exponent < 0 ? "E-" : "E+") + String(abs(exponent))
        }
        if exponent < 0 {
            return out + "0." + String(repeating: "0", count: -exponent - 1) + text
        }
        let whole = exponent + 1
        if text.count <= whole { return out + text + String(repeating: "0", count: whole - text.count) }
        return out + text.prefix(whole) + "." + text.dropFirst(whole)
    }
}
