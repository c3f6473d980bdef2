/// A text encoding that CSV files are read and written in.
///
/// Windows-1252 is the encoding French Excel uses for "CSV (séparateur : point-virgule)";
/// Latin-1 (ISO-8859-1) differs from it only in bytes 0x80–0x9F, which Latin-1 maps to the C1
/// control characters U+0080–U+009F and Windows-1252 maps to `€ ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ`.
///
/// The five bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) are decoded to
/// the C1 code points with the same number (U+0081, U+008D, ...), as the WHATWG Encoding
/// standard does. Nothing is lost, and writing such a character back in Windows-1252 gives
/// the original byte.
public enum CSVEncoding: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case utf8 = "utf-8"
    case windows1252 = "windows-1252"
    case latin1 = "latin-1"

    /// Accepts the usual spellings: `utf-8`, `utf8`, `windows-1252`, `cp1252`, `latin-1`,
    /// `latin1`, `iso-8859-1` (case-insensitive).
    public init?(name: String) {
        switch name.lowercased() {
        case "utf-8", "utf8": self = .utf8
        case "windows-1252", "cp1252", "windows1252": self = .windows1252
        case "latin-1", "latin1", "iso-8859-1", "iso8859-1": self = .latin1
        default: return nil
        }
    }

    public var description: String { rawValue }
}

/// Byte ⇄ Unicode tables for Windows-1252 and Latin-1.
enum Windows1252 {
    /// Unicode scalars for bytes 0x80–0x9F. Undefined bytes map to their C1 code point.
    static let highControlRange: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// The Unicode scalar value of one byte.
    @inline(__always)
    static func scalar(of byte: UInt8, encoding: CSVEncoding) -> UInt32 {
        guard byte >= 0x80 && byte < 0xA0 && encoding == .windows1252 else { return UInt32(byte) }
        // A switch compiles to a jump table, with no array access on the hot path.
        switch byte {
        case 0x80: return 0x20AC
        case 0x82: return 0x201A
        case 0x83: return 0x0192
        case 0x84: return 0x201E
        case 0x85: return 0x2026
        case 0x86: return 0x2020
        case 0x87: return 0x2021
        case 0x88: return 0x02C6
        case 0x89: return 0x2030
        case 0x8A: return 0x0160
        case 0x8B: return 0x2039
        case 0x8C: return 0x0152
        case 0x8E: return 0x017D
        case 0x91: return 0x2018
        case 0x92: return 0x2019
        case 0x93: return 0x201C
        case 0x94: return 0x201D
        case 0x95: return 0x2022
        case 0x96: return 0x2013
        case 0x97: return 0x2014
        case 0x98: return 0x02DC
        case 0x99: return 0x2122
        case 0x9A: return 0x0161
        case 0x9B: return 0x203A
        case 0x9C: return 0x0153
        case 0x9E: return 0x017E
        case 0x9F: return 0x0178
        default: return UInt32(byte)  // 0x81, 0x8D, 0x8F, 0x90, 0x9D: undefined, kept as C1
        }
    }

    /// The byte for a Unicode scalar, or nil when the encoding cannot represent it.
    static func byte(for scalar: UInt32, encoding: CSVEncoding) -> UInt8? {
        if scalar < 0x80 { return UInt8(scalar) }
        switch encoding {
        case .utf8:
            return nil
        case .latin1:
            return scalar <= 0xFF ? UInt8(scalar) : nil
        case .windows1252:
            if scalar >= 0xA0 && scalar <= 0xFF { return UInt8(scalar) }
            if let index = highControlRange.firstIndex(of: scalar) { return UInt8(0x80 + index) }
            return nil
        }
    }
}

/// Building `String`s from single-byte encoded text.
enum SingleByteDecoder {
    /// Decodes `count` bytes at `start` (Windows-1252 or Latin-1) into a String.
    static func string(_ start: UnsafePointer<UInt8>, count: Int, encoding: CSVEncoding) -> String {
        // The exact UTF-8 length first, so short results stay small strings (no allocation).
        var length = 0
        for k in 0..<count { length += utf8Length(Windows1252.scalar(of: start[k], encoding: encoding)) }
        if length == count {
            return String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
        }
        return String(unsafeUninitializedCapacity: length) { out in
            var o = 0
            for k in 0..<count {
                o = appendUTF8(of: Windows1252.scalar(of: start[k], encoding: encoding), to: out, at: o)
            }
            return o
        }
    }

    @inline(__always)
    static func utf8Length(_ scalar: UInt32) -> Int {
        scalar < 0x80 ? 1 : (scalar < 0x800 ? 2 : 3)
    }

    /// Writes the UTF-8 form of `scalar` at `o`; returns the new end offset.
    @inline(__always)
    static func appendUTF8(of scalar: UInt32, to out: UnsafeMutableBufferPointer<UInt8>, at o: Int) -> Int {
        if scalar < 0x80 {
            out[o] = UInt8(scalar)
            return o + 1
        } else if scalar < 0x800 {
            out[o] = UInt8(0xC0 | (scalar >> 6))
            out[o + 1] = UInt8(0x80 | (scalar & 0x3F))
            return o + 2
        } else {
            // Every scalar in the tables is in the BMP and outside the surrogate range.
            out[o] = UInt8(0xE0 | (scalar >> 12))
            out[o + 1] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
            out[o + 2] = UInt8(0x80 | (scalar & 0x3F))
            return o + 3
        }
    }
}
