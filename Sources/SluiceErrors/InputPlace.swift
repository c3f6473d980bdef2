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
    /// A place the other fields cannot name, in words: `header`, `item 3`.
    public var detail: String?

    public init(file: String? = nil, line: Int? = nil, column: Int? = nil, row: Int? = nil, byteOffset: Int? = nil,
                sheet: String? = nil, part: String? = nil, cell: String? = nil, detail: String? = nil) {
        self.file = file
        self.line = line
        self.column = column
        self.row = row
        self.byteOffset = byteOffset
        self.sheet = sheet
        self.part = part
        self.cell = cell
        self.detail = detail
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
        if let detail { parts.append(detail) }
        return parts.isEmpty ? "unknown" : parts.joined(separator: ", ")
    }

    /// Everything but the file, in words, as `error.json`'s `place` has always read:
    /// `line 14`, `line 3, column 5`, `row 7`, `sheet Totaux, cell B7`, `header`; nil when nothing is known.
    public var withinFile: String? {
        var parts: [String] = []
        if let line { parts.append("line \(line)") }
        if let column { parts.append("column \(column)") }
        if let row { parts.append("row \(row)") }
        if let byteOffset { parts.append("byte \(byteOffset)") }
        if let sheet { parts.append("sheet \(sheet)") }
        if let part { parts.append("part \(part)") }
        if let cell { parts.append("cell \(cell)") }
        if let detail { parts.append(detail) }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }

    /// Reads the words ``withinFile`` writes back into fields (`line 14`, `line 3, column 5`, `row 7`,
    /// `cell B7`, ...); what is not one of them is kept whole as ``detail``.
    public init(file: String?, within text: String?) {
        self.init(file: file)
        guard let text, !text.isEmpty else { return }
        var rest: [String] = []
        for piece in text.split(separator: ",").map({ $0.trimmingCharactersInSpaces() }) {
            let words = piece.split(separator: " ", maxSplits: 1).map(String.init)
            guard words.count == 2 else { rest.append(piece); continue }
            let number = Int(words[1])
            switch (words[0], number) {
            case ("line", let n?) where line == nil: line = n
            case ("column", let n?) where column == nil: column = n
            case ("row", let n?) where row == nil: row = n
            case ("byte", let n?) where byteOffset == nil: byteOffset = n
            case ("sheet", _) where sheet == nil: sheet = words[1]
            case ("part", _) where part == nil: part = words[1]
            case ("cell", _) where cell == nil: cell = words[1]
            default: rest.append(piece)
            }
        }
        if !rest.isEmpty {
            // Words that are not all fields stay as they were written.
            self = InputPlace(file: file, detail: text)
        }
    }
}

extension StringProtocol {
    fileprivate func trimmingCharactersInSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
