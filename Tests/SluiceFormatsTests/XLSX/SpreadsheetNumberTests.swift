import Foundation
@testable import SluiceFormats
import Testing

/// Whether `text` is a number as a person sees it in Excel: at most 15 significant digits (a
/// whole number written as digits may keep more), no trailing fraction zeros, no `+`.
func showsAsExcelDoes(_ text: String) -> Bool {
    if text.hasPrefix("+") { return false }
    let unsigned = text.hasPrefix("-") ? String(text.dropFirst()) : text
    if !unsigned.isEmpty, unsigned.allSatisfy(\.isNumber) { return Int64(text) != nil }
    let mantissa = unsigned.split(separator: "E", maxSplits: 1).first.map(String.init) ?? unsigned
    if mantissa.contains(".") && (mantissa.hasSuffix("0") || mantissa.hasSuffix(".")) { return false }
    let digits = mantissa.filter(\.isNumber)
    let significant = digits.drop { $0 == "0" }.reversed().drop { $0 == "0" }
    return significant.count <= SpreadsheetNumber.significantDigits
}

/// The reference for a double: `%.15g` (15 significant digits of the exact binary value).
func fifteenDigits(_ value: Double) -> Double { Double(String(format: "%.15g", value))! }

@Suite("Spreadsheet numbers: the double rounded to 15 significant digits, shortest form")
struct SpreadsheetNumberTests {
    @Test("producers' long digits read as Excel shows them", arguments: [
        ("2153.9299999999998", "2153.93"),          // Excel
        ("4.84999999999999999991", "4.85"),         // Gnumeric
        ("8222.610000000001", "8222.61"),           // XlsxWriter
        ("3306.69999999999999996", "3306.7"),
        ("0.30000000000000004", "0.3"),             // openpyxl: 0.1 + 0.2
        ("1.2100000000000002", "1.21"),
        ("10.199999999999999", "10.2"),
        ("1051527.3933333333", "1051527.39333333"), // a real 1/3: cut at 15 digits
        ("12.618328720000001", "12.61832872"),
        ("-78.459999999999994", "-78.46"),
        ("1.234567890123457e+17", "123456789012346000"),
        ("61.52083333333334", "61.5208333333333"),
    ])
    func longDigits(_ written: String, _ shown: String) {
        #expect(SpreadsheetNumber.text(written: written) == shown)
    }

    @Test("short numbers keep their digits; integers stay integers", arguments: [
        ("42", "42"), ("-7", "-7"), ("0", "0"), ("-0", "0"), ("-0.0", "0"), ("+5", "5"), ("007", "7"),
        ("0.1", "0.1"), ("-12.340", "-12.34"), ("1.0", "1"), (".5", "0.5"), ("123456789.123456", "123456789.123456"),
        ("12345678901234567", "12345678901234567"), ("-9223372036854775808", "-9223372036854775808"),
        ("1.5E-3", "0.0015"), ("1e+300", "1E+300"), ("1E-25", "1E-25"), ("2.5e3", "2500"), ("99999999999999999999", "1E+20"),
    ])
    func shortDigits(_ written: String, _ shown: String) {
        #expect(SpreadsheetNumber.text(written: written) == shown)
    }

    @Test("doubles computed in a program read as their 15 digits")
    func computedDoubles() {
        #expect(SpreadsheetNumber.text(of: 0.1 + 0.2) == "0.3")
        #expect(SpreadsheetNumber.text(of: 1.1 * 1.1) == "1.21")
        #expect(SpreadsheetNumber.text(of: 1.0 / 3.0) == "0.333333333333333")
        #expect(SpreadsheetNumber.text(of: -0.0) == "0")
        #expect(SpreadsheetNumber.text(of: 1e15) == "1000000000000000")
        #expect(SpreadsheetNumber.text(written: "1e999") == nil)
        #expect(SpreadsheetNumber.text(written: "12,5") == nil)
    }

    @Test("the reader gives every number cell the shown digits, so inspect and the steps agree")
    func readerRounds() throws {
        let package = XLSXTestPackage.workbook(sheetData: """
            <row r="1"><c r="A1"><v>2153.9299999999998</v></c><c r="B1"><v>4.84999999999999999991</v></c>\
            <c r="C1"><f>A1+B1</f><v>8222.610000000001</v></c><c r="D1"><v>42</v></c></row>
            """)
        let cells = try package.readFirstSheet().first?.cells
        #expect(cells == [.number("2153.93"), .number("4.85"), .number("8222.61"), .number("42")])
        #expect(cells?.map(\.jsonFragment) == ["2153.93", "4.85", "8222.61", "42"])
    }

    @Test("random doubles: the text is the double's 15 digits, and short", arguments: [1, 2, 3])
    func randomDoubles(seed: UInt64) {
        var state = seed &* 0x9E37_79B9_7F4A_7C15
        for _ in 0..<5_000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let value = Double(bitPattern: state & ~(1 << 63)) // positive doubles over the whole range
            guard value.isFinite, value != 0 else { continue }
            let text = SpreadsheetNumber.text(of: value)
            #expect(Double(text) == fifteenDigits(value), "\(value) → \(text)")
            #expect(showsAsExcelDoes(text), "\(value) → \(text)")
        }
    }
}

/// With the calamine differential (XLSXDifferentialTests), which requires each first-sheet
/// number to be calamine's double at exactly 15 digits.
@Suite("Every number cell of the fixture corpus reads without a spurious tail")
struct XLSXNumberDigitsTests {
    static let workbooks: [URL] = (XLSXFixtures.names(in: XLSXFixtures.directory).map { XLSXFixtures.directory.appendingPathComponent("\($0).xlsx") }
        + XLSXFixtures.names(in: XLSXFixtures.adversarialDirectory).map { XLSXFixtures.adversarialDirectory.appendingPathComponent("\($0).xlsx") })

    @Test("every number cell of every sheet shows at most 15 significant digits")
    func everyNumberCell() throws {
        var numbers = 0, long = 0
        var bad: [String] = []
        for url in Self.workbooks {
            guard let workbook = try? XLSXWorkbook(path: url.path) else { continue }
            for index in workbook.sheets.indices {
                guard let reader = try? workbook.sheet(at: index) else { continue }
                while let row = try? reader.nextRow() {
                    for (c, cell) in row.cells.enumerated() {
                        guard case .number(let text) = cell else { continue }
                        numbers += 1
                        if !showsAsExcelDoes(text) { bad.append("\(url.lastPathComponent) \(workbook.sheets[index].name)!\(XLSXCellReference(row: row.number, column: c + 1)): \(text)") }
                        if text.filter(\.isNumber).count > 12 { long += 1 }
                    }
                }
            }
        }
        #expect(numbers > 1000, "the corpus should hold many number cells, found \(numbers)")
        #expect(long > 0, "some cells should still have long (real) digits")
        #expect(bad.isEmpty, "\(bad.count) cells with a spurious tail: \(bad.prefix(10).joined(separator: "; "))")
    }
}
