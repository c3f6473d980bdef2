import Foundation

/// A character set named in a MIME header (`charset=`, an encoded word, an RFC 2231 value),
/// decoding bytes to text.
///
/// UTF-8, US-ASCII, ISO-8859-1, ISO-8859-15 and Windows-1252 are decoded here, byte by
/// byte; other sets go through Foundation's `String.Encoding` where this platform has them
/// (ISO-2022-JP, Shift_JIS, GB 18030, Big5, EUC-KR, KOI8-R, ISO-8859-2, Windows-125x,
/// UTF-16...). Unknown sets, and bytes a set cannot decode, fall back to UTF-8 with one
/// U+FFFD per bad byte: never a crash, always the same text for the same bytes.
public struct MIMECharset: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case utf8, latin1, latin9, windows1252
        case foundation(UInt)
        case unknown
    }

    /// The label as written, lowercased and trimmed (`iso-8859-1`).
    public let label: String
    let kind: Kind

    /// The set a label names; `*lang` suffixes (RFC 2231 §5) and quotes are ignored.
    public init(_ label: String) {
        var name = label.lowercased()[...]
        if let star = name.firstIndex(of: "*") { name = name[..<star] }
        while let f = name.first, f == " " || f == "\t" || f == "\"" || f == "'" { name = name.dropFirst() }
        while let l = name.last, l == " " || l == "\t" || l == "\"" || l == "'" { name = name.dropLast() }
        self.label = String(name)
        self.kind = Self.kinds[self.label] ?? Self.kindFromPattern(self.label)
    }

    /// Whether the set is one this platform decodes.
    public var isKnown: Bool { kind != .unknown }

    /// The text; `lossless` is false when a byte could not be decoded in this set (or the
    /// set is unknown) and U+FFFD stands in its place.
    public func decode(_ bytes: some Collection<UInt8>) -> (text: String, lossless: Bool) {
        switch kind {
        case .utf8, .unknown:
            let (text, replaced) = LossyUTF8.decode(bytes)
            return (text, !replaced && kind == .utf8)
        case .latin1:
            var scalars = String.UnicodeScalarView()
            for b in bytes { scalars.append(Unicode.Scalar(b)) }
            return (String(scalars), true)
        case .latin9:
            var scalars = String.UnicodeScalarView()
            for b in bytes { scalars.append(Self.latin9Scalar(b)) }
            return (String(scalars), true)
        case .windows1252:
            var scalars = String.UnicodeScalarView()
            var lossless = true
            for b in bytes {
                let s = Self.windows1252Scalar(b)
                if s == "\u{FFFD}" { lossless = false }
                scalars.append(s)
            }
            return (String(scalars), lossless)
        case .foundation(let raw):
            // Plain ASCII (no ISO-2022 escape) reads the same in every set mapped here but UTF-16.
            if !Self.utf16Raw.contains(raw) && !bytes.contains(where: { $0 >= 0x80 || $0 == 0x1B }) {
                return (String(decoding: bytes, as: UTF8.self), true)
            }
            if let text = String(data: Data(bytes), encoding: String.Encoding(rawValue: raw)) { return (text, true) }
            return (LossyUTF8.decode(bytes).text, false)
        }
    }

    static let utf8 = MIMECharset("utf-8")
    private static let utf16Raw: Set<UInt> = [String.Encoding.utf16.rawValue, String.Encoding.utf16BigEndian.rawValue, String.Encoding.utf16LittleEndian.rawValue]

    private static let kinds: [String: Kind] = {
        var k: [String: Kind] = [:]
        for n in ["utf-8", "utf8", "us-ascii", "ascii", "ansi_x3.4-1968", "ansi-x3.4-1968", "ansi_x3.4-1986", "iso-ir-6", "cp367", "iso646-us", "us", "unicode-1-1-utf-8", "x-unknown", "unknown-8bit", "x-user-defined", "default"] { k[n] = .utf8 }
        for n in ["iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "cp819", "ibm819", "iso-ir-100", "csisolatin1"] { k[n] = .latin1 }
        for n in ["iso-8859-15", "iso8859-15", "iso_8859-15", "latin-9", "latin9", "l9"] { k[n] = .latin9 }
        for n in ["windows-1252", "cp1252", "x-cp1252", "win-1252"] { k[n] = .windows1252 }
        let foundation: [(String.Encoding, [String])] = [
            (.iso2022JP, ["iso-2022-jp", "csiso2022jp", "iso-2022-jp-2"]),
            (.shiftJIS, ["shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "csshiftjis", "cp932", "windows-31j", "ms932"]),
            (.japaneseEUC, ["euc-jp", "x-euc-jp", "eucjp"]),
            (.isoLatin2, ["iso-8859-2", "iso8859-2", "iso_8859-2", "latin2", "latin-2", "l2"]),
            (.windowsCP1250, ["windows-1250", "cp1250"]),
            (.windowsCP1251, ["windows-1251", "cp1251"]),
            (.windowsCP1253, ["windows-1253", "cp1253"]),
            (.windowsCP1254, ["windows-1254", "cp1254"]),
            (.utf16, ["utf-16", "utf16"]),
            (.utf16BigEndian, ["utf-16be"]),
            (.utf16LittleEndian, ["utf-16le"]),
            (.macOSRoman, ["macintosh", "mac", "x-mac-roman", "macroman"]),
            // Core Foundation encodings by number: GB 18030 (a superset of GB2312 and GBK),
            // Big5, KOI8-R, EUC-KR.
            (String.Encoding(rawValue: 0x8000_0632), ["gb18030", "gb2312", "gbk", "x-gbk", "cp936", "euc-cn", "x-euc-cn", "csgb2312", "chinese"]),
            (String.Encoding(rawValue: 0x8000_0A03), ["big5", "big-5", "x-x-big5", "cn-big5", "csbig5"]),
            (String.Encoding(rawValue: 0x8000_0A02), ["koi8-r", "koi8r", "cskoi8r"]),
            (String.Encoding(rawValue: 0x8000_0940), ["euc-kr", "ks_c_5601-1987", "ksc5601", "cseuckr", "korean"]),
        ]
        for (encoding, names) in foundation { for n in names { k[n] = .foundation(encoding.rawValue) } }
        return k
    }()

    private static func kindFromPattern(_ name: String) -> Kind {
        // `iso_8859-1:1987`, `iso8859_15`...
        let squeezed = name.filter { $0.isLetter || $0.isNumber }
        switch squeezed {
        case "iso88591", "iso885911987": return .latin1
        case "iso885915": return .latin9
        case "utf8": return .utf8
        default: return .unknown
        }
    }

    private static func latin9Scalar(_ b: UInt8) -> Unicode.Scalar {
        switch b {
        case 0xA4: return "\u{20AC}"
        case 0xA6: return "\u{0160}"
        case 0xA8: return "\u{0161}"
        case 0xB4: return "\u{017D}"
        case 0xB8: return "\u{017E}"
        case 0xBC: return "\u{0152}"
        case 0xBD: return "\u{0153}"
        case 0xBE: return "\u{0178}"
        default: return Unicode.Scalar(b)
        }
    }

    /// Windows-1252's 0x80–0x9F row; the five unassigned bytes decode to U+FFFD.
    private static let windows1252High: [UInt32] = [
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
        0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
    ]

    private static func windows1252Scalar(_ b: UInt8) -> Unicode.Scalar {
        guard b >= 0x80 && b <= 0x9F else { return Unicode.Scalar(b) }
        return Unicode.Scalar(windows1252High[Int(b) - 0x80])!
    }
}
