/// Writes an xlsx workbook to a file, streaming rows to disk with constant memory.
///
/// ```swift
/// var writer = try XLSXWriter(path: "rapport.xlsx")
/// try writer.beginSheet(name: "Totaux", columnWidths: [30, 12])
/// try writer.writeRow([.string("Produit"), .string("Montant")])   // bold, frozen header
/// try writer.writeRow([.string("Café"), .number("1234.50")])
/// try writer.finish()
/// ```
///
/// Each sheet's XML is deflated into the zip as rows arrive; the workbook, styles, shared strings
/// and relationships are written by ``finish()``. The output is byte-for-byte deterministic for
/// the same calls (fixed zip timestamps, no random ids, styles numbered by first use). Text is
/// always text, also when it starts with `= + - @`. Do not copy a writer: copies share one file.
public struct XLSXWriter {
    /// A typed cell value to write.
    public enum Cell: Sendable, Hashable {
        case empty
        /// Text, written as an inline or shared string (never a formula).
        case string(String)
        /// A number given as its exact decimal text ("1234.50", "-0.1", "1.5E-3"), written as is.
        case number(String)
        case integer(Int64)
        case bool(Bool)
        /// A date, written as a serial number with the `yyyy-mm-dd` format (text before 1900-01-01).
        case date(year: Int, month: Int, day: Int)
        /// A date and time, written with the `yyyy-mm-dd hh:mm:ss` format (text before 1900-01-01).
        case dateTime(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, millisecond: Int)
    }

    /// How text cells are stored.
    public enum StringStorage: Sendable, Hashable {
        /// In the sheet itself (`t="inlineStr"`): constant memory.
        case inline
        /// In a shared-string table written at the end: smaller files, memory grows with distinct strings.
        case shared
    }

    /// Writer settings.
    public struct Options: Sendable, Hashable {
        public var strings: StringStorage
        /// zlib level, 1 (fastest, the default: about 20% larger than level 6) to 9 (smallest).
        public var compressionLevel: Int
        /// fsync the file when it is finished (off when the caller syncs it later).
        public var sync: Bool

        public init(strings: StringStorage = .inline, compressionLevel: Int = 1, sync: Bool = true) {
            self.strings = strings
            self.compressionLevel = compressionLevel
            self.sync = sync
        }
    }

    private struct SheetEntry {
        var name: String
        var part: String
    }

    private let zip: ZipArchiveWriter
    private let options: Options
    private var sheets: [SheetEntry] = []
    private var styles = XLSXWriterStyleTable()
    private var sharedStrings: [String: Int] = [:]
    private var sharedStringOrder: [String] = []
    private var xml = XMLByteWriter(capacity: 160 << 10)
    private var columnNames: [[UInt8]] = [[]]
    private var rowNumber = 0
    private var headerPending = false
    private var sheetOpen = false
    private var finished = false
    private let dateStyle: Int
    private let dateTimeStyle: Int

    /// Creates (or replaces) the file at `path`.
    public init(path: String, options: Options = .init()) throws {
        do { zip = try ZipArchiveWriter(path: path, sync: options.sync) } catch { throw XLSXError.wrapping(error, part: nil) }
        self.options = options
        dateStyle = styles.index(of: .init(numberFormat: XLSXWriterStyleTable.dateFormat))
        dateTimeStyle = styles.index(of: .init(numberFormat: XLSXWriterStyleTable.dateTimeFormat))
    }

    /// Starts a new sheet (ending the previous one). The first row written after this is a bold,
    /// frozen header when `boldFrozenHeader` is true. `columnWidths` are in characters, from column A.
    public mutating func beginSheet(name: String, columnWidths: [Double]? = nil, boldFrozenHeader: Bool = true) throws {
        try checkOpen()
        try Self.validate(sheetName: name, existing: sheets.map(\.name))
        if sheetOpen { try endSheet() }
        let part = "xl/worksheets/sheet\(sheets.count + 1).xml"
        sheets.append(SheetEntry(name: name, part: part))
        do { try zip.beginEntry(name: part, level: Int32(options.compressionLevel)) } catch { throw XLSXError.wrapping(error, part: part) }
        sheetOpen = true
        rowNumber = 0
        headerPending = boldFrozenHeader
        xml.raw(#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#)
        xml.raw("\n")
        xml.raw(#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#)
        if boldFrozenHeader {
            xml.raw(#"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/></sheetView></sheetViews>"#)
        }
        xml.raw(#"<sheetFormatPr defaultRowHeight="15"/>"#)
        if let widths = columnWidths, !widths.isEmpty {
            xml.raw("<cols>")
            for (offset, width) in widths.enumerated() where width.isFinite && width > 0 {
                xml.raw(#"<col min=""#); xml.integer(Int64(offset + 1))
                xml.raw(#"" max=""#); xml.integer(Int64(offset + 1))
                xml.raw(#"" width=""#); xml.raw(Array(String(min(width, 255)).utf8))
                xml.raw(#"" customWidth="1"/>"#)
            }
            xml.raw("</cols>")
        }
        xml.raw("<sheetData>")
    }

    /// Appends a row to the current sheet (column A first; `.empty` leaves a cell blank).
    public mutating func writeRow(_ cells: [Cell]) throws {
        try checkOpen()
        guard sheetOpen else {
            throw XLSXError(.invalidState, "writeRow was called before beginSheet; start a sheet first")
        }
        guard rowNumber < XLSXCellReference.maxRow else {
            throw XLSXError(.limitExceeded, "a sheet holds at most \(XLSXCellReference.maxRow) rows; start another sheet", part: sheets.last?.part)
        }
        guard cells.count <= XLSXCellReference.maxColumn else {
            throw XLSXError(.limitExceeded, "a row holds at most \(XLSXCellReference.maxColumn) cells; this one has \(cells.count)", part: sheets.last?.part)
        }
        rowNumber += 1
        let header = headerPending
        headerPending = false
        while columnNames.count <= cells.count {
            columnNames.append(Array(XLSXCellReference.columnName(columnNames.count).utf8))
        }
        xml.raw(#"<row r=""#); xml.integer(Int64(rowNumber)); xml.raw(#"">"#)
        for (offset, cell) in cells.enumerated() {
            try writeCell(cell, column: offset + 1, header: header)
        }
        xml.raw("</row>")
        if xml.bytes.count >= 128 << 10 { try flushXML() }
    }

    /// Ends the last sheet, writes the workbook parts and closes the file.
    public mutating func finish() throws {
        try checkOpen()
        if sheets.isEmpty { try beginSheet(name: "Sheet1", boldFrozenHeader: false) }
        if sheetOpen { try endSheet() }
        if options.strings == .shared {
            var w = XMLByteWriter(capacity: 64 << 10)
            w.raw(#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#)
            w.raw("\n")
            w.raw(#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count=""#)
            w.integer(Int64(sharedStringOrder.count)); w.raw(#"" uniqueCount=""#)
            w.integer(Int64(sharedStringOrder.count)); w.raw(#"">"#)
            try beginPart("xl/sharedStrings.xml")
            for text in sharedStringOrder {
                w.raw("<si>")
                Self.appendTextElement(text, to: &w)
                w.raw("</si>")
                if w.bytes.count >= 128 << 10 { try writePart(w.bytes); w.bytes.removeAll(keepingCapacity: true) }
            }
            w.raw("</sst>")
            try writePart(w.bytes)
        }
        try addPart("xl/styles.xml", styles.xml())
        try addPart("xl/workbook.xml", XLSXWriterPackageParts.workbook(sheetNames: sheets.map(\.name)))
        try addPart("xl/_rels/workbook.xml.rels", XLSXWriterPackageParts.workbookRelationships(
            sheetParts: sheets.map(\.part), sharedStrings: options.strings == .shared))
        try addPart("[Content_Types].xml", XLSXWriterPackageParts.contentTypes(
            sheetParts: sheets.map(\.part), sharedStrings: options.strings == .shared))
        try addPart("_rels/.rels", XLSXWriterPackageParts.rootRelationships())
        do { try zip.finish() } catch { throw XLSXError.wrapping(error, part: nil) }
        finished = true
    }

    // MARK: - Cells

    private mutating func writeCell(_ cell: Cell, column: Int, header: Bool) throws {
        switch cell {
        case .empty:
            return
        case .string(let text):
            try writeString(text, column: column, header: header)
        case .number(let text):
            guard Self.isDecimalText(text) else {
                throw XLSXError(.invalidArgument, "\"\(text.prefix(40))\" is not a decimal number (digits, one '.', optional exponent); write it as .string or fix the value",
                                part: sheets.last?.part, cell: reference(column))
            }
            openCell(column, style: header ? boldStyle(nil) : 0, type: nil)
            xml.raw("<v>"); xml.raw(Array(text.utf8)); xml.raw("</v></c>")
        case .integer(let value):
            openCell(column, style: header ? boldStyle(nil) : 0, type: nil)
            xml.raw("<v>"); xml.integer(value); xml.raw("</v></c>")
        case .bool(let value):
            openCell(column, style: header ? boldStyle(nil) : 0, type: "b")
            xml.raw(value ? "<v>1</v></c>" : "<v>0</v></c>")
        case let .date(year, month, day):
            guard Self.isValidDate(year, month, day) else {
                throw XLSXError(.invalidArgument, "\(year)-\(month)-\(day) is not a valid date", part: sheets.last?.part, cell: reference(column))
            }
            guard let serial = XLSXDateConversion.serialDay(year: year, month: month, day: day) else {
                return try writeString(Self.iso(year, month, day), column: column, header: header)
            }
            openCell(column, style: header ? boldStyle(XLSXWriterStyleTable.dateFormat) : dateStyle, type: nil)
            xml.raw("<v>"); xml.integer(Int64(serial)); xml.raw("</v></c>")
        case let .dateTime(year, month, day, hour, minute, second, millisecond):
            guard Self.isValidDate(year, month, day), (0..<24).contains(hour), (0..<60).contains(minute),
                  (0..<60).contains(second), (0..<1000).contains(millisecond) else {
                throw XLSXError(.invalidArgument, "\(year)-\(month)-\(day) \(hour):\(minute):\(second).\(millisecond) is not a valid date and time",
                                part: sheets.last?.part, cell: reference(column))
            }
            guard let serial = XLSXDateConversion.serialDay(year: year, month: month, day: day) else {
                let time = [hour, minute, second].map { ($0 < 10 ? "0" : "") + String($0) }.joined(separator: ":")
                return try writeString(Self.iso(year, month, day) + "T" + time, column: column, header: header)
            }
            let ms = ((hour * 60 + minute) * 60 + second) * 1000 + millisecond
            openCell(column, style: header ? boldStyle(XLSXWriterStyleTable.dateTimeFormat) : dateTimeStyle, type: nil)
            xml.raw("<v>")
            if ms == 0 { xml.integer(Int64(serial)) } else { xml.raw(Array(String(Double(serial) + Double(ms) / 86_400_000).utf8)) }
            xml.raw("</v></c>")
        }
    }

    private mutating func writeString(_ text: String, column: Int, header: Bool) throws {
        if text.utf8.count > 32_767 && text.utf16.count > 32_767 {
            throw XLSXError(.limitExceeded, "the text is longer than Excel's 32,767-character limit for a cell", part: sheets.last?.part, cell: reference(column))
        }
        let style = header ? boldStyle(nil) : 0
        if options.strings == .shared {
            let index: Int
            if let known = sharedStrings[text] {
                index = known
            } else {
                index = sharedStringOrder.count
                sharedStrings[text] = index
                sharedStringOrder.append(text)
            }
            openCell(column, style: style, type: "s")
            xml.raw("<v>"); xml.integer(Int64(index)); xml.raw("</v></c>")
        } else {
            openCell(column, style: style, type: "inlineStr")
            xml.raw("<is>")
            Self.appendTextElement(text, to: &xml)
            xml.raw("</is></c>")
        }
    }

    private static func appendTextElement(_ text: String, to w: inout XMLByteWriter) {
        let first = text.utf8.first, last = text.utf8.last
        let edgeSpace: (UInt8?) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        w.raw(edgeSpace(first) || edgeSpace(last) ? #"<t xml:space="preserve">"# : "<t>")
        w.text(text)
        w.raw("</t>")
    }

    @inline(__always)
    private mutating func openCell(_ column: Int, style: Int, type: StaticString?) {
        xml.raw(#"<c r=""#)
        xml.raw(columnNames[column])
        xml.integer(Int64(rowNumber))
        if style != 0 { xml.raw(#"" s=""#); xml.integer(Int64(style)) }
        if let type { xml.raw(#"" t=""#); xml.raw(type) }
        xml.raw(#"">"#)
    }

    private mutating func boldStyle(_ numberFormat: String?) -> Int {
        styles.index(of: .init(bold: true, numberFormat: numberFormat))
    }

    private func reference(_ column: Int) -> String {
        XLSXCellReference(row: max(rowNumber, 1), column: column).description
    }

    // MARK: - Parts

    private mutating func endSheet() throws {
        xml.raw("</sheetData>")
        xml.raw(#"<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>"#)
        xml.raw("</worksheet>")
        try flushXML()
        sheetOpen = false
    }

    private mutating func flushXML() throws {
        try writePart(xml.bytes)
        xml.bytes.removeAll(keepingCapacity: true)
    }

    private func beginPart(_ name: String) throws {
        do { try zip.beginEntry(name: name, level: Int32(options.compressionLevel)) } catch { throw XLSXError.wrapping(error, part: name) }
    }

    private func writePart(_ bytes: [UInt8]) throws {
        do { try zip.write(bytes) } catch { throw XLSXError.wrapping(error, part: nil) }
    }

    private func addPart(_ name: String, _ bytes: [UInt8]) throws {
        try beginPart(name)
        try writePart(bytes)
    }

    private func checkOpen() throws {
        if finished { throw XLSXError(.invalidState, "the workbook is already finished; create a new writer") }
    }
}
