import Foundation
@testable import SluiceFormats
import Testing

@Suite("XLSX writer")
struct XLSXWriterTests {
    private func write(_ options: XLSXWriter.Options = .init(), _ body: (inout XLSXWriter) throws -> Void) throws -> String {
        let path = XLSXFixtures.temporaryPath("w.xlsx")
        var writer = try XLSXWriter(path: path, options: options)
        try body(&writer)
        try writer.finish()
        return path
    }

    private func part(_ path: String, _ name: String) throws -> String {
        String(decoding: try ZipArchiveReader(path: path).readEntry(named: name), as: UTF8.self)
    }

    @Test("typed cells read back to the same values", arguments: [XLSXWriter.StringStorage.inline, .shared])
    func readBack(_ storage: XLSXWriter.StringStorage) throws {
        let path = try write(.init(strings: storage)) { w in
            try w.beginSheet(name: "Données", columnWidths: [20, 8.5])
            try w.writeRow([.string("Produit"), .string("Montant"), .string("Date")])
            try w.writeRow([.string("=SUM(A1:A2)"), .number("1234.50"), .date(year: 2024, month: 2, day: 29), .bool(false),
                            .dateTime(year: 2024, month: 3, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0)])
            try w.writeRow([.empty, .integer(-9_007_199_254_740_993), .dateTime(year: 1900, month: 1, day: 1, hour: 23, minute: 59, second: 59, millisecond: 999)])
            try w.writeRow([.string(" a\tb\r\nc\u{1} _x0041_ <&> 😀 "), .number("1.5E-3"), .date(year: 1899, month: 12, day: 31)])
            try w.beginSheet(name: "Second", boldFrozenHeader: false)
            try w.writeRow([.string("+33 6 12"), .string("-"), .string("@x")])
        }
        let workbook = try XLSXWorkbook(path: path)
        #expect(workbook.sheets.map(\.name) == ["Données", "Second"])
        #expect(try XLSXFixtures.readAll(workbook.sheet(at: 0)) == [
            XLSXRow(number: 1, cells: [.string("Produit"), .string("Montant"), .string("Date")]),
            XLSXRow(number: 2, cells: [.string("=SUM(A1:A2)"), .number("1234.5"), .date(year: 2024, month: 2, day: 29), .bool(false),
                                       .dateTime(year: 2024, month: 3, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0)]),
            XLSXRow(number: 3, cells: [.empty, .number("-9007199254740993"),
                                       .dateTime(year: 1900, month: 1, day: 1, hour: 23, minute: 59, second: 59, millisecond: 999)]),
            XLSXRow(number: 4, cells: [.string(" a\tb\r\nc\u{1} _x0041_ <&> 😀 "), .number("0.0015"), .string("1899-12-31")]),
        ])
        #expect(try XLSXFixtures.readAll(workbook.sheet(at: 1)) == [
            XLSXRow(number: 1, cells: [.string("+33 6 12"), .string("-"), .string("@x")]),
        ])
        let sheet = try part(path, "xl/worksheets/sheet1.xml")
        #expect(!sheet.contains("<f>"))
        #expect(sheet.contains(#"state="frozen""#))
        #expect(sheet.contains(#"<col min="1" max="1" width="20.0" customWidth="1"/>"#))
        #expect(try !part(path, "xl/worksheets/sheet2.xml").contains("frozen"))
        let styles = try part(path, "xl/styles.xml")
        #expect(styles.contains("<b/>"))
        #expect(styles.contains(#"formatCode="yyyy-mm-dd""#))
    }

    @Test("the header row is bold")
    func boldHeader() throws {
        let path = try write { w in
            try w.beginSheet(name: "S")
            try w.writeRow([.string("H")])
            try w.writeRow([.string("v")])
        }
        let sheet = try part(path, "xl/worksheets/sheet1.xml")
        let styles = try part(path, "xl/styles.xml")
        let headerStyle = try #require(sheet.firstRange(of: #"<c r="A1" s=""#)).upperBound
        let index = Int(sheet[headerStyle...].prefix { $0.isNumber })!
        let xfs = styles.components(separatedBy: "<xf ").dropFirst(2)   // skip cellStyleXfs' one
        #expect(Array(xfs)[index].contains(#"fontId="1""#))
        #expect(sheet.contains(#"<c r="A2" t="inlineStr">"#))
    }

    @Test("output is byte-for-byte deterministic")
    func deterministic() throws {
        func make() throws -> Data {
            let path = try write(.init(strings: .shared)) { w in
                try w.beginSheet(name: "A", columnWidths: [10])
                for i in 0..<500 { try w.writeRow([.integer(Int64(i)), .string("s\(i % 7)"), .date(year: 2020, month: 1, day: 1 + i % 28)]) }
            }
            return try Data(contentsOf: URL(fileURLWithPath: path))
        }
        #expect(try make() == make())
    }

    @Test("an empty workbook still gets one sheet")
    func emptyWorkbook() throws {
        let path = try write { _ in }
        #expect(try XLSXWorkbook(path: path).sheets.map(\.name) == ["Sheet1"])
    }

    @Test("bad sheet names are refused", arguments: ["", "a/b", "x[1]", String(repeating: "n", count: 32), "'q", "History", "dup"])
    func badSheetNames(_ name: String) throws {
        let path = XLSXFixtures.temporaryPath("n.xlsx")
        var writer = try XLSXWriter(path: path)
        try writer.beginSheet(name: "DUP")
        let error = #expect(throws: XLSXError.self) { try writer.beginSheet(name: name) }
        #expect(error?.code == .invalidArgument)
    }

    @Test("bad numbers and dates are refused, naming the cell", arguments: [
        XLSXWriter.Cell.number("1,5"), .number("NaN"), .number(""), .number("1e"), .number("--1"),
        .date(year: 2023, month: 2, day: 29), .dateTime(year: 2024, month: 1, day: 1, hour: 24, minute: 0, second: 0, millisecond: 0),
    ])
    func badValues(_ cell: XLSXWriter.Cell) throws {
        let path = XLSXFixtures.temporaryPath("v.xlsx")
        var writer = try XLSXWriter(path: path)
        try writer.beginSheet(name: "S")
        let error = #expect(throws: XLSXError.self) { try writer.writeRow([.empty, cell]) }
        #expect(error?.code == .invalidArgument)
        #expect(error?.cell == "B1")
    }

    @Test("calls out of order are refused")
    func outOfOrder() throws {
        let path = XLSXFixtures.temporaryPath("o.xlsx")
        var writer = try XLSXWriter(path: path)
        #expect((#expect(throws: XLSXError.self) { try writer.writeRow([.integer(1)]) })?.code == .invalidState)
        try writer.finish()
        #expect((#expect(throws: XLSXError.self) { try writer.beginSheet(name: "Late") })?.code == .invalidState)
    }

    @Test("decimal text validation", arguments: [("0", true), ("-12.50", true), ("1.5E-3", true), ("1e+300", true), (".5", true),
                                                  ("5.", true), ("+1", false), ("1 000", false), ("0x10", false), ("-", false)])
    func decimalText(_ text: String, _ valid: Bool) {
        #expect(XLSXWriter.isDecimalText(text) == valid)
    }
}
