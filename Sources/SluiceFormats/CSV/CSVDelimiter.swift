/// The single ASCII byte that separates fields: `,` `;` tab `|` or another printable ASCII
/// character that is not a quote, CR or LF.
public struct CSVDelimiter: Sendable, Hashable, CustomStringConvertible {
    /// The delimiter's byte.
    public let byte: UInt8

    public static let comma = CSVDelimiter(uncheckedByte: UInt8(ascii: ","))
    public static let semicolon = CSVDelimiter(uncheckedByte: UInt8(ascii: ";"))
    public static let tab = CSVDelimiter(uncheckedByte: UInt8(ascii: "\t"))
    public static let pipe = CSVDelimiter(uncheckedByte: UInt8(ascii: "|"))

    /// The delimiters automatic detection chooses among, in tie-break order.
    public static let detectable: [CSVDelimiter] = [.semicolon, .tab, .comma]

    /// A delimiter from a one-character string such as `","`, `";"`, `"\t"` or `"|"`; the
    /// names `comma`, `semicolon`, `tab` and `pipe` are accepted too. Nil for anything else
    /// (non-ASCII, quote, CR, LF, letters and digits).
    public init?(_ text: String) {
        switch text.lowercased() {
        case "comma": self = .comma; return
        case "semicolon": self = .semicolon; return
        case "tab", "\\t": self = .tab; return
        case "pipe": self = .pipe; return
        default: break
        }
        let bytes = Array(text.utf8)
        guard bytes.count == 1 else { return nil }
        self.init(byte: bytes[0])
    }

    /// A delimiter from its byte; nil for bytes that cannot delimit (see `init?(_:)`).
    public init?(byte: UInt8) {
        let forbidden: Set<UInt8> = [UInt8(ascii: "\""), 0x0A, 0x0D]
        let isAlphanumeric = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
        guard byte < 0x80, !forbidden.contains(byte), !isAlphanumeric else { return nil }
        self.byte = byte
    }

    private init(uncheckedByte: UInt8) { self.byte = uncheckedByte }

    /// `,` `;` `|`, or `\t` for tab.
    public var description: String {
        byte == 0x09 ? "\\t" : String(UnicodeScalar(byte))
    }
}
