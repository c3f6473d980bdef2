import Foundation
@testable import SluiceFormats
import Testing

@Suite("XLS reader (FreeXL) on workbooks LibreOffice wrote")
struct XLSReaderTests {
    static let available = XLSTestWorkbooks.converted != nil

    static func path(_ name: String) throws -> String {
        try #require(XLSTestWorkbooks.converted?[name], "LibreOffice did not convert \(name).xlsx to .xls")
    }

    @Test("LibreOffice is installed (the test script installs it)")
    func libreOfficeAvailable() {
        #expect(XLSTestWorkbooks.soffice != nil, "soffice not found: the .xls tests need LibreOffice headless")
    }

    @Test("the sample reads cell by cell: accents, Excel's digits, integers, dates, empty cells, row numbers, two sheets",
          .enabled(if: available))
    func sample() throws {
        let workbook = try SpreadsheetWorkbook(path: try Self.path(XLSTestWorkbooks.sampleName))
        #expect(workbook.format == .xls)
        #expect(workbook.sheets.map(\.name) == ["Ventes", "Deuxième"])
        #expect(!workbook.usesDate1904)
        let ventes = try XLSTestWorkbooks.readAll(workbook.sheet(named: "Ventes"))
        #expect(ventes == [
            XLSXRow(number: 1, cells: [.string("Produit"), .string("Montant"), .string("Jour"), .string("Quand"), .string("Quantité")]),
            XLSXRow(number: 2, cells: [.string("Café crème"), .number("0.3"), .date(year: 2026, month: 11, day: 21),
                                       .dateTime(year: 2024, month: 2, day: 29, hour: 13, minute: 45, second: 30, millisecond: 0), .number("3")]),
            XLSXRow(number: 4, cells: [.string("Thé à la menthe"), .number("2153.93"), .date(year: 1900, month: 3, day: 1), .empty, .number("-7")]),
            XLSXRow(number: 5, cells: [.string("  espaces  "), .number("8222.61"), .empty, .empty, .number("1234567890123")]),
        ])
        let second = try XLSTestWorkbooks.readAll(workbook.sheet(at: 1))
        #expect(second == [
            XLSXRow(number: 1, cells: [.empty, .string("seul")]),
            XLSXRow(number: 3, cells: [.empty, .empty, .number("-0.001")]),
        ])
    }

    @Test("FreeXL's own refusal (a chart) is named; formula results, booleans and errors FreeXL misses are read",
          .enabled(if: available))
    func freeXLLimits() throws {
        let error = #expect(throws: XLSXError.self) { try SpreadsheetWorkbook(path: try Self.path("calamine__any_sheets")) }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("a chart") == true, "\(String(describing: error))")
        #expect(error?.suggestion?.contains("save it again as .xlsx") == true)
        let rows = try XLSTestWorkbooks.readAll(SpreadsheetWorkbook(path: try Self.path("tealeg__testcelltypes")).sheet(at: 0))
        // Rows 6 to 8 hold TRUE, =10+20 and =10/0, which LibreOffice writes as formulas: their results come
        // from the record scan, since FreeXL gives formula cells as empty.
        #expect(rows.filter { $0.number >= 6 }.map { $0.cells.first ?? .empty } == [.bool(true), .number("30"), .error("#DIV/0!")])
        #expect(rows.first { $0.number == 5 }?.cells.first == .date(year: 2015, month: 1, day: 1))
    }

    @Test("dates agree with the xlsx they came from, in the 1900 and the 1904 date systems",
          .enabled(if: available), arguments: ["calamine__date", "calamine__date_1904"])
    func datesMatchTheXLSX(_ name: String) throws {
        let xls = try SpreadsheetWorkbook(path: try Self.path(name))
        let xlsx = try XLSXWorkbook(path: XLSXFixtures.directory.appendingPathComponent("\(name).xlsx").path)
        #expect(xls.usesDate1904 == xlsx.usesDate1904)
        #expect(xls.usesDate1904 == name.hasSuffix("1904"))
        let fromXLS = try XLSTestWorkbooks.readAll(xls.sheet(at: 0))
        let fromXLSX = try XLSXFixtures.readAll(xlsx.sheet(at: 0))
        var dates = 0
        for (a, b) in zip(fromXLS, fromXLSX) {
            #expect(a.number == b.number)
            for (x, y) in zip(a.cells, b.cells) {
                switch y {
                case .date, .dateTime:
                    dates += 1
                    #expect(x == y, "\(name) row \(a.number): \(x) from the .xls, \(y) from the xlsx")
                default: break
                }
            }
        }
        #expect(dates >= 2)
    }

    @Test("every text and number cell of the converted fixtures agrees with the xlsx reader (up to column IV, the last an .xls has)",
          .enabled(if: available), arguments: ["generated__wide_and_types", "tealeg__testcelltypes"])
    func textAndNumbersMatchTheXLSX(_ name: String) throws {
        let xls = try SpreadsheetWorkbook(path: try Self.path(name))
        let xlsx = try XLSXWorkbook(path: XLSXFixtures.directory.appendingPathComponent("\(name).xlsx").path)
        #expect(xls.sheets.map(\.name) == xlsx.sheets.filter { $0.kind == .worksheet }.map(\.name))
        var compared = 0
        for (index, info) in xls.sheets.enumerated() {
            let fromXLS = Dictionary(try XLSTestWorkbooks.readAll(xls.sheet(at: index)).map { ($0.number, $0.cells) }) { a, _ in a }
            for row in try XLSXFixtures.readAll(xlsx.sheet(named: info.name)) {
                for (column, expected) in row.cells.enumerated().prefix(256) {
                    let got = fromXLS[row.number].flatMap { column < $0.count ? $0[column] : nil } ?? .empty
                    switch expected {
                    case .string(let s) where !s.isEmpty:
                        compared += 1
                        #expect(got == expected, "\(name) \(info.name)!\(XLSXCellReference(row: row.number, column: column + 1))")
                    case .number(let text):
                        compared += 1
                        let value = try #require(got.doubleValue, "\(name) \(info.name) row \(row.number): \(got)")
                        #expect(SpreadsheetNumber.text(of: Double(text)!) == SpreadsheetNumber.text(of: value), "\(name) row \(row.number): \(got) vs \(text)")
                    default: break
                    }
                }
            }
        }
        #expect(compared > 0)
    }
}
