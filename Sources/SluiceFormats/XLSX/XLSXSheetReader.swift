/// Streams one worksheet row by row; memory does not grow with the number of rows.
///
/// Rows without any value are skipped (``XLSXRow/number`` says where each row is). Cells run
/// densely from column A to the last non-empty cell. `<dimension>` is ignored, so a lying
/// dimension allocates nothing. Merged ranges (stored after the cells) are in ``mergedRanges``
/// once ``nextRow()`` has returned nil.
public final class XLSXSheetReader {
    /// The package part being read (`xl/worksheets/sheet1.xml`).
    public let part: String
    /// Merged ranges, complete once ``nextRow()`` has returned nil.
    public private(set) var mergedRanges: [XLSXCellRange] = []

    let scanner: XMLScanner<ZipEntryReader>
    private let sharedStrings: [String]
    private let styles: XLSXStyles
    private let date1904: Bool
    private let limits: XLSXLimits
    private let isWorksheet: Bool
    private var finished = false
    private var lastRowNumber = 0
    private var currentRow = 0
    private var currentColumn = 0
    private var value: [UInt8] = []
    private var previousWidth = 0

    init(scanner: XMLScanner<ZipEntryReader>, part: String, sharedStrings: [String], styles: XLSXStyles,
         date1904: Bool, limits: XLSXLimits, isWorksheet: Bool) {
        self.scanner = scanner
        self.part = part
        self.sharedStrings = sharedStrings
        self.styles = styles
        self.date1904 = date1904
        self.limits = limits
        self.isWorksheet = isWorksheet
        value.reserveCapacity(256)
    }

    /// The next row with at least one value, or nil at the end of the sheet.
    public func nextRow() throws -> XLSXRow? {
        if finished { return nil }
        do {
            return try readNextRow()
        } catch {
            finished = true
            let cell = currentRow > 0 && currentColumn > 0
                ? XLSXCellReference(row: currentRow, column: currentColumn).description : nil
            throw XLSXError.wrapping(error, part: part, cell: cell)
        }
    }

    /// Skips the cells and returns the merged ranges (used by ``XLSXWorkbook/mergedRanges(forSheetAt:)``).
    func readMergedRangesOnly() throws -> [XLSXCellRange] {
        do {
            while true {
                let token = try scanner.next()
                if token == .endOfDocument { break }
                if token == .startTag {
                    if scanner.localNameIs("sheetData") { try scanner.skipElement() }
                    else if scanner.localNameIs("mergeCell") { try readMergeCell() }
                }
            }
        } catch {
            throw XLSXError.wrapping(error, part: part)
        }
        finished = true
        return mergedRanges
    }

    // MARK: - Rows

    private func readNextRow() throws -> XLSXRow? {
        while true {
            switch try scanner.next() {
            case .endOfDocument:
                finished = true
                return nil
            case .startTag:
                if scanner.localNameIs("row") {
                    if !isWorksheet { try scanner.skipElement(); continue }
                    if let row = try readRow() { return row }
                } else if scanner.localNameIs("mergeCell") {
                    try readMergeCell()
                } else if scanner.depth > 1 && !scanner.localNameIs("sheetData") && !scanner.localNameIs("mergeCells") {
                    try scanner.skipElement()
                }
            case .endTag, .text:
                continue
            }
        }
    }

    private func readMergeCell() throws {
        if let ref = try scanner.attributeString("ref"), let range = XLSXCellRange(reference: ref) {
            mergedRanges.append(range)
        }
    }

    private func readRow() throws -> XLSXRow? {
        var number = lastRowNumber + 1
        if let a = scanner.attribute("r") {
            guard let n = parseInt(a.valueStart, a.valueEnd), n >= 1, n <= XLSXCellReference.maxRow else {
                throw XLSXError(.invalidCell, "row number \(try scanner.string(a.valueStart, a.valueEnd)) is not between 1 and \(XLSXCellReference.maxRow)")
            }
            number = n
        }
        lastRowNumber = number
        currentRow = number
        currentColumn = 0
        if scanner.isSelfClosing { return nil }
        let rowDepth = scanner.depth - 1
        var cells: [XLSXCell] = []
        cells.reserveCapacity(previousWidth)
        var nextColumn = 1
        while true {
            switch try scanner.next() {
            case .startTag:
                if scanner.localNameIs("c") {
                    let (column, cell) = try readCell(defaultColumn: nextColumn)
                    nextColumn = column + 1
                    if case .empty = cell { continue }
                    let index = column - 1
                    if index == cells.count {
                        cells.append(cell)
                    } else if index > cells.count {
                        cells.append(contentsOf: repeatElement(XLSXCell.empty, count: index - cells.count))
                        cells.append(cell)
                    } else {
                        cells[index] = cell
                    }
                } else {
                    try scanner.skipElement()
                }
            case .endTag:
                if scanner.depth == rowDepth {
                    currentColumn = 0
                    if cells.isEmpty { return nil }
                    previousWidth = cells.count
                    return XLSXRow(number: number, cells: cells)
                }
            case .text:
                continue
            case .endOfDocument:
                throw XLSXError(.truncated, "the sheet ends inside row \(number): the part is incomplete")
            }
        }
    }

    // MARK: - Cells

    private enum CellType { case number, shared, formulaString, inline, bool, error, isoDate }

    private func readCell(defaultColumn: Int) throws -> (Int, XLSXCell) {
        var column = defaultColumn
        var type = CellType.number
        var style = 0
        var cursor = scanner.nameEnd
        let bytes = scanner.bytes
        while let a = scanner.nextAttribute(&cursor) {
            guard a.nameEnd - a.localNameStart == 1 else { continue }
            switch bytes[a.localNameStart] {
            case UInt8(ascii: "r"):
                column = try parseColumn(a.valueStart, a.valueEnd)
            case UInt8(ascii: "t"):
                type = try parseType(a.valueStart, a.valueEnd)
            case UInt8(ascii: "s"):
                style = parseInt(a.valueStart, a.valueEnd) ?? 0
            default:
                break
            }
        }
        currentColumn = column
        if scanner.isSelfClosing { return (column, .empty) }
        let cellDepth = scanner.depth - 1
        var cell = XLSXCell.empty
        while true {
            switch try scanner.next() {
            case .startTag:
                if scanner.localNameIs("v") {
                    if let range = try scanner.simpleElementText() {
                        cell = try makeCell(type: type, style: style, text: UnsafeBufferPointer(start: bytes + range.lowerBound, count: range.count))
                    } else {
                        value.removeAll(keepingCapacity: true)
                        try scanner.appendElementText(to: &value)
                        cell = try makeCellFromValue(type: type, style: style)
                    }
                } else if scanner.localNameIs("is") {
                    value.removeAll(keepingCapacity: true)
                    try readInlineString()
                    cell = try makeCellFromValue(type: type, style: style)
                } else {
                    try scanner.skipElement()
                }
            case .endTag:
                if scanner.depth == cellDepth {
                    return (column, cell)
                }
            case .text:
                continue
            case .endOfDocument:
                throw XLSXError(.truncated, "the sheet ends inside a cell: the part is incomplete")
            }
        }
    }

    private func readInlineString() throws {
        if scanner.isSelfClosing { return }
        let depth = scanner.depth - 1
        while true {
            switch try scanner.next() {
            case .startTag:
                if scanner.localNameIs("t") { try scanner.appendElementText(to: &value) }
                else if scanner.localNameIs("rPh") { try scanner.skipElement() }
            case .endTag:
                if scanner.depth == depth { return }
            case .text:
                continue
            case .endOfDocument:
                return
            }
        }
    }

    private func makeCellFromValue(type: CellType, style: Int) throws -> XLSXCell {
        try value.withUnsafeBufferPointer { try makeCell(type: type, style: style, text: $0) }
    }

    private func makeCell(type: CellType, style: Int, text raw: UnsafeBufferPointer<UInt8>) throws -> XLSXCell {
        if raw.count > limits.maxCellTextBytes {
            throw XLSXError(.limitExceeded, "the cell's text is longer than \(limits.maxCellTextBytes) bytes (Excel's limit is 32,767 characters)")
        }
        switch type {
        case .number:
            let text = trimmed(raw)
            if text.isEmpty { return .empty }
            guard isNumberText(text) else {
                throw XLSXError(.invalidCell, "the cell holds \"\(String(decoding: text.prefix(40), as: UTF8.self))\" where a number was expected")
            }
            let kind = styles.kind(ofStyle: style)
            if kind != .number, let serial = Double(String(decoding: text, as: UTF8.self)),
               let date = XLSXDateConversion.cell(serial: serial, kind: kind, date1904: date1904) {
                return date
            }
            return .number(SpreadsheetNumber.text(written: text) ?? String(decoding: text, as: UTF8.self))
        case .shared:
            let text = trimmed(raw)
            if text.isEmpty { return .empty }
            guard let index = parseDigits(text), index < sharedStrings.count else {
                let shown = String(decoding: text.prefix(20), as: UTF8.self)
                throw XLSXError(.invalidCell, "shared-string index \(shown) is out of range (the table has \(sharedStrings.count) strings); the file is damaged")
            }
            return .string(sharedStrings[index])
        case .formulaString, .inline:
            return .string(XLSXTextEscapes.mayContainEscape(raw)
                ? String(decoding: XLSXTextEscapes.decode(raw), as: UTF8.self)
                : String(decoding: raw, as: UTF8.self))
        case .bool:
            let text = String(decoding: trimmed(raw), as: UTF8.self)
            switch text {
            case "1", "true", "TRUE": return .bool(true)
            case "0", "false", "FALSE": return .bool(false)
            case "": return .empty
            default: throw XLSXError(.invalidCell, "the boolean cell holds \"\(text.prefix(40))\" instead of 0 or 1")
            }
        case .error:
            return .error(String(decoding: raw, as: UTF8.self))
        case .isoDate:
            let text = String(decoding: trimmed(raw), as: UTF8.self)
            if text.isEmpty { return .empty }
            return XLSXDateConversion.parseISO(text) ?? .string(text)
        }
    }

    // MARK: - Byte parsing

    private func parseType(_ start: Int, _ end: Int) throws -> CellType {
        let bytes = scanner.bytes
        let count = end - start
        switch (count, count > 0 ? bytes[start] : 0) {
        case (1, UInt8(ascii: "s")): return .shared
        case (1, UInt8(ascii: "n")): return .number
        case (1, UInt8(ascii: "b")): return .bool
        case (1, UInt8(ascii: "e")): return .error
        case (1, UInt8(ascii: "d")): return .isoDate
        case (3, UInt8(ascii: "s")): return .formulaString
        case (9, UInt8(ascii: "i")): return .inline
        default:
            throw XLSXError(.invalidCell, "unknown cell type t=\"\(try scanner.string(start, end))\"")
        }
    }

    @inline(__always)
    private func parseColumn(_ start: Int, _ end: Int) throws -> Int {
        let bytes = scanner.bytes
        var column = 0
        var i = start
        while i < end {
            let c = bytes[i] | 0x20
            guard c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z") else { break }
            column = column * 26 + Int(c - UInt8(ascii: "a")) + 1
            if column > XLSXCellReference.maxColumn { break }
            i += 1
        }
        var row = 0
        var digits = 0
        while i < end, bytes[i] >= 48, bytes[i] <= 57, digits < 8 {
            row = row * 10 + Int(bytes[i] - 48)
            digits += 1
            i += 1
        }
        guard column >= 1, column <= XLSXCellReference.maxColumn, i == end, row >= 1, row <= XLSXCellReference.maxRow else {
            throw XLSXError(.invalidCell, "cell reference \"\(try scanner.string(start, end))\" is not a valid address within A1:XFD1048576")
        }
        return column
    }

    @inline(__always)
    private func parseInt(_ start: Int, _ end: Int) -> Int? {
        parseDigits(UnsafeBufferPointer(start: scanner.bytes + start, count: end - start))
    }

    private func parseDigits(_ text: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !text.isEmpty, text.count <= 18 else { return nil }
        var n = 0
        for c in text {
            guard c >= 48 && c <= 57 else { return nil }
            n = n * 10 + Int(c - 48)
        }
        return n
    }

    private func trimmed(_ raw: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0
        var end = raw.count
        while start < end, raw[start] <= 0x20 { start += 1 }
        while end > start, raw[end - 1] <= 0x20 { end -= 1 }
        return UnsafeBufferPointer(rebasing: raw[start..<end])
    }

    private func isNumberText(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var sawDigit = false
        for c in text {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): sawDigit = true
            case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): continue
            default: return false
            }
        }
        return sawDigit
    }
}
