/// The `_xHHHH_` escapes OOXML uses for characters XML cannot carry (control characters, CR),
/// and `_x005F_` for a literal underscore that would otherwise start an escape.
enum XLSXTextEscapes {
    /// Whether `bytes` may contain an escape (a quick test before decoding).
    @inline(__always)
    static func mayContainEscape(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 7 else { return false }
        for i in 0..<(bytes.count - 6) where bytes[i] == UInt8(ascii: "_") && bytes[i + 1] == UInt8(ascii: "x") {
            return true
        }
        return false
    }

    /// Decodes every `_xHHHH_` (UTF-16 code units; surrogate pairs joined, lone surrogates → U+FFFD).
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var units: [UInt16] = []
        var i = 0
        func flushUnits() {
            guard !units.isEmpty else { return }
            out.append(contentsOf: Array(String(decoding: units, as: UTF16.self).utf8))
            units.removeAll(keepingCapacity: true)
        }
        while i < bytes.count {
            if let unit = escape(at: i, in: bytes) {
                units.append(unit)
                i += 7
                continue
            }
            flushUnits()
            out.append(bytes[i])
            i += 1
        }
        flushUnits()
        return out
    }

    private static func escape(at i: Int, in bytes: UnsafeBufferPointer<UInt8>) -> UInt16? {
        guard i + 7 <= bytes.count, bytes[i] == UInt8(ascii: "_"), bytes[i + 1] == UInt8(ascii: "x"),
              bytes[i + 6] == UInt8(ascii: "_") else { return nil }
        var value: UInt16 = 0
        for k in 2..<6 {
            let c = bytes[i + k]
            let digit: UInt16
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt16(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt16(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt16(c - UInt8(ascii: "A") + 10)
            default: return nil
            }
            value = value << 4 | digit
        }
        return value
    }

    /// Whether `byte` must be written as an escape (control characters XML 1.0 forbids, and CR,
    /// which XML readers would turn into LF).
    @inline(__always)
    static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 && byte != 0x09 && byte != 0x0A
    }
}
