/// A cell address such as `B3`: 1-based row and column.
public struct XLSXCellReference: Sendable, Hashable, CustomStringConvertible {
    /// Excel's last row (1,048,576) and column (XFD = 16,384).
    public static let maxRow = 1_048_576
    public static let maxColumn = 16_384

    public var row: Int
    public var column: Int

    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }

    /// Parses `B3` or `$B$3` from UTF-8 bytes; nil if malformed or beyond Excel's grid.
    public init?(_ bytes: some Collection<UInt8>) {
        var column = 0
        var row = 0
        var sawLetter = false
        var sawDigit = false
        for b in bytes {
            switch b {
            case UInt8(ascii: "$"): continue
            case UInt8(ascii: "A")...UInt8(ascii: "Z") where !sawDigit:
                column = column * 26 + Int(b - UInt8(ascii: "A")) + 1
                sawLetter = true
            case UInt8(ascii: "a")...UInt8(ascii: "z") where !sawDigit:
                column = column * 26 + Int(b - UInt8(ascii: "a")) + 1
                sawLetter = true
            case UInt8(ascii: "0")...UInt8(ascii: "9") where sawLetter:
                row = row * 10 + Int(b - UInt8(ascii: "0"))
                sawDigit = true
            default:
                return nil
            }
            if column > Self.maxColumn || row > Self.maxRow { return nil }
        }
        guard sawLetter, sawDigit, row >= 1 else { return nil }
        self.row = row
        self.column = column
    }

    /// Column letters for a 1-based column number: 1 → `A`, 27 → `AA`.
    public static func columnName(_ column: Int) -> String {
        var n = column
        var letters: [UInt8] = []
        while n > 0 {
            let r = (n - 1) % 26
            letters.append(UInt8(ascii: "A") + UInt8(r))
            n = (n - 1) / 26
        }
        return String(decoding: letters.reversed(), as: UTF8.self)
    }

    public var description: String { Self.columnName(column) + String(row) }
}
