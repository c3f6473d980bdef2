import Foundation
@testable import SluiceFormats
import Testing

@Suite("XLS: numbers as Excel shows them, checks before FreeXL, choice by content")
struct XLSPreflightTests {
    @Test("a double reads as Excel shows it: 15 significant digits, then its shortest form")
    func excelDigits() {
        let cases: [(Double, String)] = [
            (0.1 + 0.2, "0.3"), (2153.9299999999998, "2153.93"), (8222.610000000001, "8222.61"), (4.85, "4.85"),
            (3306.7, "3306.7"), (42, "42"), (-7, "-7"), (-0.0, "0"), (0.5, "0.5"), (-0.001, "-0.001"),
            (2_147_483_648, "2147483648"), (123_456_789_012_345_678, "123456789012346000"), (1e15, "1000000000000000"),
            (1.5e-10, "1.5E-10"), (1e300, "1E+300"), (-2.5e-300, "-2.5E-300"), (0.000123, "0.000123"),
            (1.0 / 3.0, "0.333333333333333"), (2.0 / 3.0, "0.666666666666667"), (99999999999999.99, "100000000000000"), (1234.5678, "1234.5678"),
        ]
        for (value, text) in cases { #expect(ExcelNumberText.text(value) == text, "\(value)") }
        #expect(ExcelNumberText.text(.infinity) == nil)
        #expect(ExcelNumberText.text(.nan) == nil)
    }

    static func dimension8(rows: UInt32, columns: UInt16) -> [UInt8] {
        [0x00, 0x02, 0x0E, 0x00] + le(UInt32(0)) + le(rows) + le(UInt16(0)) + le(columns) + [0, 0]
    }

    static func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }

    static func scan(_ bytes: [UInt8]) -> XLSPreflight.Findings {
        var findings = XLSPreflight.Findings()
        XLSPreflight.scan(bytes, upTo: bytes.count, into: &findings)
        return findings
    }

    @Test("DIMENSION records are added up; one beyond 65,536 × 256 is named")
    func dimensions() {
        let two = Self.scan([1, 2, 3] + Self.dimension8(rows: 65_536, columns: 256) + [9] + Self.dimension8(rows: 10, columns: 3))
        #expect(two.declaredCells == 65_536 * 256 + 30)
        #expect(two.impossibleDimension == nil)
        let huge = Self.scan(Self.dimension8(rows: 4_000_000, columns: 4))
        #expect(huge.impossibleDimension?.rows == 4_000_000)
        // The reserved word must be zero and the bounds in order: random bytes rarely pass for a record.
        var noise = Self.dimension8(rows: 4_000_000, columns: 4)
        noise[16] = 7
        #expect(Self.scan(noise).impossibleDimension == nil)
    }

    @Test("a FILEPASS record right after the workbook's BOF means encrypted")
    func filepass() {
        let bof: [UInt8] = [0x09, 0x08, 0x10, 0x00, 0x00, 0x06, 0x05, 0x00] + [UInt8](repeating: 0, count: 12)
        #expect(Self.scan(bof + [0x2F, 0x00, 0x36, 0x00]).encrypted)
        #expect(!Self.scan(bof + [0x42, 0x00, 0x02, 0x00]).encrypted)
    }

    @Test("a workbook declaring more cells than the limit is refused before FreeXL opens it")
    func declaredCellsLimit() throws {
        let path = XLSXFixtures.temporaryPath("declared.xls")
        try Data(XLSXFileSignature.ole2 + [UInt8](repeating: 0, count: 504) + Self.dimension8(rows: 60_000, columns: 200)
                 + Self.dimension8(rows: 60_000, columns: 200)).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: XLSXError.self) { try XLSWorkbook(path: path, limits: XLSLimits(maxDeclaredCells: 20_000_000)) }
        #expect(error?.code == .limitExceeded)
        #expect(error?.message.contains("24000000 cells") == true, "\(String(describing: error))")
    }

    @Test("a file larger than the limit is refused by its size")
    func fileSizeLimit() throws {
        let path = XLSXFixtures.temporaryPath("large.xls")
        try Data(XLSXFileSignature.ole2 + [UInt8](repeating: 0, count: 4096)).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: XLSXError.self) { try XLSWorkbook(path: path, limits: XLSLimits(maxFileBytes: 1000)) }
        #expect(error?.code == .limitExceeded)
    }

    @Test("the content decides: a zip named .xls is read as xlsx, HTML named .xls is named as such")
    func byContent() throws {
        let zipNamedXLS = XLSXFixtures.temporaryPath("really-xlsx.xls")
        try FileManager.default.copyItem(atPath: XLSXFixtures.directory.appendingPathComponent("calamine__date.xlsx").path, toPath: zipNamedXLS)
        #expect(try SpreadsheetWorkbook(path: zipNamedXLS).format == .xlsx)

        let html = XLSXFixtures.temporaryPath("export.xls")
        try Data("<html><body><table><tr><td>1</td></tr></table></body></html>".utf8).write(to: URL(fileURLWithPath: html))
        let error = #expect(throws: XLSXError.self) { try SpreadsheetWorkbook(path: html) }
        #expect(error?.code == .notSpreadsheet)
        #expect(error?.message.contains("HTML page renamed .xls (") == true, "\(String(describing: error))")
        #expect(error?.suggestion == nil, "the message already says what to do")
    }

    @Test("an encrypted xlsx (OLE2 with an EncryptedPackage) is named password-protected, not read as .xls")
    func encryptedXLSX() throws {
        let path = XLSXFixtures.temporaryPath("locked.xlsx")
        let name = Array("EncryptedPackage".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        try Data(XLSXFileSignature.ole2 + [UInt8](repeating: 0, count: 1000) + name + [UInt8](repeating: 0, count: 100)).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: XLSXError.self) { try SpreadsheetWorkbook(path: path) }
        #expect(error?.code == .encrypted)
        #expect(error?.suggestion == nil)
    }
}
