import Foundation
@testable import SluiceFormats
import Testing

@Suite("XLSX reader: cell types, dates, sheets")
struct XLSXReaderCellTests {
    private static let dateStyles = """
        <numFmts count="3"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/><numFmt numFmtId="165" formatCode="[h]:mm:ss"/>\
        <numFmt numFmtId="166" formatCode="#,##0.00 [$€-407]"/></numFmts>\
        <cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="21"/><xf numFmtId="166"/></cellXfs>
        """

    @Test("typed cells read with their types, numbers as Excel shows them")
    func cellTypes() throws {
        let package = XLSXTestPackage.workbook(sheetData: """
            <row r="1"><c r="A1"><v>42</v></c><c r="B1"><v>0.1</v></c><c r="C1"><v>1.5E-3</v></c><c r="D1" t="b"><v>1</v></c>\
            <c r="E1" t="e"><v>#DIV/0!</v></c><c r="F1" t="str"><f>A1&amp;"x"</f><v>42x</v></c><c r="G1" t="s"><v>1</v></c>\
            <c r="H1" t="inlineStr"><is><r><t>rich </t></r><r><rPr><b/></rPr><t>text</t></r><rPh sb="0" eb="1"><t>ignored</t></rPh></is></c>\
            <c r="I1" t="d"><v>2024-02-29T13:45:30.250</v></c><c r="J1" s="1"/></row>
            """, sharedStrings: ["zero", "  one_x000D_&amp;_x005F_x0041_ "])
        let rows = try package.readFirstSheet()
        #expect(rows == [XLSXRow(number: 1, cells: [
            .number("42"), .number("0.1"), .number("0.0015"), .bool(true), .error("#DIV/0!"), .string("42x"),
            .string("  one\r&_x0041_ "), .string("rich text"),
            .dateTime(year: 2024, month: 2, day: 29, hour: 13, minute: 45, second: 30, millisecond: 250),
        ])])
        #expect(rows[0].cells[0].integerValue == 42)
        #expect(rows[0].cells[1].integerValue == nil)
    }

    @Test("number formats decide date, date-time, duration, time and plain numbers")
    func dateFormats() throws {
        let package = XLSXTestPackage.workbook(sheetData: """
            <row r="1"><c r="A1" s="1"><v>45351</v></c><c r="B1" s="2"><v>45351</v></c><c r="C1" s="2"><v>45351.75</v></c>\
            <c r="D1" s="3"><v>1.5</v></c><c r="E1" s="4"><v>0.5</v></c><c r="F1" s="5"><v>45351</v></c><c r="G1" s="1"><v>45351.5</v></c></row>
            """, styles: Self.dateStyles)
        let rows = try package.readFirstSheet()
        #expect(rows.first?.cells == [
            .date(year: 2024, month: 2, day: 29),
            .dateTime(year: 2024, month: 2, day: 29, hour: 0, minute: 0, second: 0, millisecond: 0),   // CalamineDifference.dateTypedByFormat
            .dateTime(year: 2024, month: 2, day: 29, hour: 18, minute: 0, second: 0, millisecond: 0),
            .duration(milliseconds: 129_600_000),
            .time(millisecondOfDay: 43_200_000),
            .number("45351"),
            .dateTime(year: 2024, month: 2, day: 29, hour: 12, minute: 0, second: 0, millisecond: 0),   // a time in a date-only format is kept
        ])
    }

    @Test("the 1900 leap-year quirk and the 1904 system", arguments: [
        (1.0, false, "1900-01-01"), (59.0, false, "1900-02-28"), (60.0, false, "1900-02-28"), (61.0, false, "1900-03-01"),
        (2958465.0, false, "9999-12-31"), (0.0, true, "1904-01-01"), (43830.0, true, "2024-01-01"), (45292.0, false, "2024-01-01"),
    ])
    func serials(_ serial: Double, _ date1904: Bool, _ iso: String) throws {
        let cell = XLSXDateConversion.cell(serial: serial, kind: .date, date1904: date1904)
        #expect(cell == XLSXDateConversion.parseISO(iso))
    }

    @Test("format codes are classified", arguments: [
        ("yyyy-mm-dd", XLSXNumberFormat.Kind.date), ("dd/mm/yyyy hh:mm", .dateTime), ("h:mm AM/PM", .time), ("[h]:mm:ss", .duration),
        ("mmm-yy", .date), ("mm:ss", .time), ("0.00", .number), ("#,##0.00 \"days\"", .number), ("[Red]0.00;[Blue]-0.00", .number),
        ("General", .number), ("0.00E+00", .number), ("[$-F800]dddd, mmmm dd, yyyy", .date), ("\"y\"0", .number), ("@", .number),
    ])
    func formatCodes(_ code: String, _ kind: XLSXNumberFormat.Kind) {
        #expect(XLSXNumberFormat.kind(formatCode: code) == kind)
    }

    @Test("the 1904 date system is read from workbookPr")
    func date1904() throws {
        let package = XLSXTestPackage.workbook(sheetData: #"<row r="1"><c s="1"><v>0</v></c></row>"#, styles: Self.dateStyles, date1904: true)
        #expect(try package.readFirstSheet().first?.cells == [.date(year: 1904, month: 1, day: 1)])
    }

    @Test("cells without references follow on; empty rows and styled blanks are skipped")
    func sparseRows() throws {
        let package = XLSXTestPackage.workbook(sheetData: """
            <row r="2"><c><v>1</v></c><c/><c><v>3</v></c><c s="1"/></row><row r="3"><c r="B3" s="1"/></row><row><c r="D4"><v>4</v></c></row>
            """)
        let rows = try package.readFirstSheet()
        #expect(rows == [
            XLSXRow(number: 2, cells: [.number("1"), .empty, .number("3")]),
            XLSXRow(number: 4, cells: [.empty, .empty, .empty, .number("4")]),
        ])
    }

    @Test("sheets by name and index, hidden states, and a helpful error for unknown names")
    func sheetsByName() throws {
        let package = XLSXTestPackage.workbook(
            sheetData: #"<row r="1"><c><v>1</v></c></row>"#,
            sheets: [("Ventes", nil), ("Cachée", "hidden"), ("Secret", "veryHidden")])
        let workbook = try XLSXWorkbook(path: try package.write())
        #expect(workbook.sheets.map(\.visibility) == [.visible, .hidden, .veryHidden])
        #expect(try XLSXFixtures.readAll(workbook.sheet(named: "ventes")).count == 1)
        #expect(try XLSXFixtures.readAll(workbook.sheet(at: 1)).isEmpty)
        let error = #expect(throws: XLSXError.self) { try workbook.sheet(named: "Totaux") }
        #expect(error?.code == .sheetNotFound)
        #expect(error?.message.contains("\"Ventes\", \"Cachée\", \"Secret\"") == true)
        #expect(throws: XLSXError.self) { try workbook.sheet(at: 3) }
    }

    @Test("merged ranges are reported by the reader and the workbook")
    func mergedRanges() throws {
        let package = XLSXTestPackage.workbook(
            sheetData: #"<row r="1"><c><v>1</v></c></row>"#,
            sheetExtra: #"<mergeCells count="2"><mergeCell ref="A1:C2"/><mergeCell ref="D5:D9"/></mergeCells>"#)
        let workbook = try XLSXWorkbook(path: try package.write())
        let expected = [XLSXCellRange(reference: "A1:C2")!, XLSXCellRange(firstRow: 5, firstColumn: 4, lastRow: 9, lastColumn: 4)]
        #expect(try workbook.mergedRanges(forSheetAt: 0) == expected)
        let reader = try workbook.sheet(at: 0)
        _ = try XLSXFixtures.readAll(reader)
        #expect(reader.mergedRanges == expected)
        #expect(expected[0].description == "A1:C2")
    }

    @Test("a workbook without sharedStrings and styles parts reads")
    func minimalParts() throws {
        let package = XLSXTestPackage.workbook(sheetData: #"<row r="1"><c t="inlineStr"><is><t>x</t></is></c></row>"#)
        #expect(try package.readFirstSheet() == [XLSXRow(number: 1, cells: [.string("x")])])
    }

    @Test("a number cell holding text is refused, naming the cell")
    func badNumber() throws {
        let package = XLSXTestPackage.workbook(sheetData: #"<row r="2"><c r="B2"><v>12,5</v></c></row>"#)
        let error = #expect(throws: XLSXError.self) { try package.readFirstSheet() }
        #expect(error?.code == .invalidCell)
        #expect(error?.cell == "B2")
    }
}

@Suite("XLSX cell JSON rendering (sluice inspect --json)")
struct XLSXCellJSONTests {
    @Test("each cell kind renders in the documented format", arguments: [
        (XLSXCell.empty, "null"), (.string("a\"b\n"), #""a\"b\n""#), (.number("1.5E-3"), "1.5E-3"), (.number("007"), "7.0"),
        (.number("42"), "42"), (.bool(true), "true"), (.error("#DIV/0!"), ##"{"error": "#DIV/0!"}"##),
        (.date(year: 2024, month: 2, day: 9), #""2024-02-09""#),
        (.dateTime(year: 2024, month: 2, day: 9, hour: 7, minute: 5, second: 3, millisecond: 0), #""2024-02-09T07:05:03""#),
        (.dateTime(year: 2024, month: 2, day: 9, hour: 7, minute: 5, second: 3, millisecond: 25), #""2024-02-09T07:05:03.025""#),
        (.time(millisecondOfDay: 36_610_000), #""10:10:10""#), (.duration(milliseconds: 918_610_000), #""PT255H10M10S""#),
        (.duration(milliseconds: -1500), #""-PT0H0M1.500S""#),
    ])
    func json(_ cell: XLSXCell, _ expected: String) {
        #expect(cell.jsonFragment == expected)
    }
}
