/// Where in a person's input a problem is: a file, and in it a line and column, a row, a byte,
/// or a workbook's sheet, part and cell. Every field is optional; an error fills in what it knows.
///
/// Rendered in two halves, so that messages read as they always have:
/// - ``prefix``, compiler style, before the message: `ventes.csv:14:9`, or `line 14:9` without a file;
/// - ``suffix``, in parentheses after it: `(part xl/worksheets/sheet1.xml, cell B7)`.
public struct InputPlace: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The file name shown to people (as given to the reader or writer).
    public var file: String?
    /// 1-based line.
    public var line: Int?
    /// 1-based column (in bytes or Unicode scalars: the error's format says which).
    public var column: Int?
    /// 1-based row being written or read (the header, if any, is row 1).
    public var row: Int?
    /// 0-based byte offset in the input.
    public var byteOffset: Int?
    /// The workbook sheet, by name.
    public var sheet: String?
    /// The package part or container entry (`xl/worksheets/sheet1.xml`).
    public var part: String?
    /// The cell reference (`B7`).
    public var cell: String?

    public init(file: String? = nil, line: Int? = nil, column: Int? = nil, row: Int? = nil, byteOffset: Int? = nil,
                sheet: String? = nil, part: String? = nil, cell: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.row = row
        self.byteOffset = byteOffset
        self.sheet = sheet
        self.part = part
        self.cell = cell
    }

    /// Nothing is known.
    public var isEmpty: Bool { self == InputPlace() }

    /// `file:line:column`, `file`, `line N:column`, or empty: what goes before `: message`.
    public var prefix: String {
        var text = file ?? ""
        if let line {
            text += text.isEmpty ? "line \(line)" : ":\(line)"
            if let column { text += ":\(column)" }
        }
        return text
    }

    /// `(sheet S, part P, cell C)` for what is known of the three, or empty: what goes after the message.
    public var suffix: String {
        var names: [String] = []
        if let sheet { names.append("sheet \(sheet)") }
        if let part { names.append("part \(part)") }
        if let cell { names.append("cell \(cell)") }
        return names.isEmpty ? "" : "(" + names.joined(separator: ", ") + ")"
    }

    /// `message` placed: `prefix: message suffix`.
    public func placing(_ message: String) -> String {
        let head = prefix
        let tail = suffix
        var text = head.isEmpty ? message : "\(head): \(message)"
        if !tail.isEmpty { text += " " + tail }
        return text
    }

    /// Every known field, for the detailed description: `ventes.csv:14:9, row 12, byte 310`.
    public var description: String {
        var parts: [String] = []
        let head = prefix
        if !head.isEmpty { parts.append(head) }
        if line == nil, let column { parts.append("column \(column)") }
        if let row { parts.append("row \(row)") }
        if let byteOffset { parts.append("byte \(byteOffset)") }
        let tail = suffix
        if !tail.isEmpty { parts.append(String(tail.dropFirst().dropLast())) }
        return parts.isEmpty ? "unknown" : parts.joined(separator: ", ")
    }
}
