import Foundation
@testable import SluiceFormats
import Testing

@Suite("XLS: the record scan before FreeXL, choice by content")
struct XLSRecordScanTests {
    static func le<T: FixedWidthInteger>(_ v: T) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }

    static func record(_ type: UInt16, _ data: [UInt8]) -> [UInt8] { le(type) + le(UInt16(data.count)) + data }

    /// A BIFF8 workbook stream: the globals (with `globals` records after the BOF), then one
    /// worksheet substream per entry of `sheets`, each holding those records.
    static func stream(globals: [[UInt8]] = [], sheets: [[[UInt8]]]) -> [UInt8] {
        let bof = { (kind: UInt16) in record(0x0809, le(UInt16(0x0600)) + le(kind) + [UInt8](repeating: 0, count: 12)) }
        let boundsheet = { (offset: Int) in record(0x0085, le(UInt32(offset)) + [0, 0, 1, 0] + Array("F".utf8)) }
        let eof = record(0x000A, [])
        let globalsLength = bof(5).count + globals.joined().count + boundsheet(0).count * sheets.count + eof.count
        var offsets: [Int] = []
        var at = globalsLength
        for sheet in sheets {
            offsets.append(at)
            at += bof(0x10).count + sheet.joined().count + eof.count
        }
        var out = bof(5) + globals.joined()
        for offset in offsets { out += boundsheet(offset) }
        out += eof
        for sheet in sheets { out += bof(0x10) + sheet.joined() + eof }
        return out
    }

    static func dimension(rows: UInt32, columns: UInt16) -> [UInt8] {
        record(0x0200, le(UInt32(0)) + le(rows) + le(UInt16(0)) + le(columns) + [0, 0])
    }

    static let number = record(0x0203, le(UInt16(0)) + le(UInt16(0)) + le(UInt16(15)) + le((42.5).bitPattern))

    @Test("DIMENSION records are added up; one beyond 65,536 × 256 is named")
    func dimensions() throws {
        let scan = try XLSRecordScan(stream: Self.stream(sheets: [[Self.dimension(rows: 65_536, columns: 256)], [Self.dimension(rows: 10, columns: 3)]]))
        #expect(scan.declaredCells == 65_536 * 256 + 30)
        let error = #expect(throws: XLSXError.self) { try XLSRecordScan(stream: Self.stream(sheets: [[Self.dimension(rows: 4_000_000, columns: 4)]])) }
        #expect(error?.message.contains("4000000 rows × 4 columns") == true, "\(String(describing: error))")
    }

    @Test("a sheet declaring its size after its cells, or twice, is damaged")
    func strayDimension() {
        for sheet in [[Self.dimension(rows: 2, columns: 2), Self.number, Self.dimension(rows: 60_000, columns: 200)],
                      [Self.dimension(rows: 2, columns: 2), Self.dimension(rows: 3, columns: 3)]] {
            let error = #expect(throws: XLSXError.self) { try XLSRecordScan(stream: Self.stream(sheets: [sheet])) }
            #expect(error?.code == .corrupt)
            #expect(error?.message.contains("byte") == true)
        }
    }

    @Test("a record longer than BIFF allows, or running past the stream, is damaged")
    func recordLengths() {
        var long = Self.stream(sheets: [[Self.dimension(rows: 1, columns: 1), Self.number]])
        let tooLong = #expect(throws: XLSXError.self) { try XLSRecordScan(stream: long + Self.le(UInt16(0x0203)) + Self.le(UInt16(9000))) }
        #expect(tooLong == nil || tooLong?.code == .corrupt || tooLong?.code == .truncated)
        long.removeLast(6)  // the last sheet's EOF and part of its NUMBER record
        let cut = #expect(throws: XLSXError.self) { try XLSRecordScan(stream: long) }
        #expect(cut?.code == .corrupt || cut?.code == .truncated)
    }

    @Test("a FILEPASS record means encrypted")
    func filepass() {
        let error = #expect(throws: XLSXError.self) {
            try XLSRecordScan(stream: Self.stream(globals: [Self.record(0x002F, [1, 0, 1, 0])], sheets: [[Self.dimension(rows: 1, columns: 1)]]))
        }
        #expect(error?.code == .encrypted)
    }

    @Test("formula results and boolean and error constants are collected by sheet and cell")
    func formulaResults() throws {
        let formulaBool = Self.record(0x0006, Self.le(UInt16(1)) + Self.le(UInt16(2)) + Self.le(UInt16(15)) + [1, 0, 1, 0, 0, 0, 0xFF, 0xFF] + [UInt8](repeating: 0, count: 6))
        let formulaText = Self.record(0x0006, Self.le(UInt16(2)) + Self.le(UInt16(0)) + Self.le(UInt16(15)) + [0, 0, 0, 0, 0, 0, 0xFF, 0xFF] + [UInt8](repeating: 0, count: 6))
        let string = Self.record(0x0207, Self.le(UInt16(5)) + [0] + Array("Crème".unicodeScalars.map { UInt8($0.value) }))
        let error = Self.record(0x0205, Self.le(UInt16(3)) + Self.le(UInt16(1)) + Self.le(UInt16(15)) + [0x07, 1])
        let scan = try XLSRecordScan(stream: Self.stream(sheets: [[Self.dimension(rows: 1, columns: 1)], [Self.dimension(rows: 4, columns: 3), formulaBool, formulaText, string, error]]))
        #expect(scan.cells[0] == nil)
        #expect(scan.cells[1]?[1 << 8 | 2] == .bool(true))
        #expect(scan.cells[1]?[2 << 8 | 0] == .string("Crème"))
        #expect(scan.cells[1]?[3 << 8 | 1] == .error("#DIV/0!"))
    }

    @Test("a workbook declaring more cells than the limit is refused before FreeXL opens it")
    func declaredCellsLimit() throws {
        let stream = Self.stream(sheets: [[Self.dimension(rows: 60_000, columns: 200)], [Self.dimension(rows: 60_000, columns: 200)]])
        let error = #expect(throws: XLSXError.self) { try XLSRecordScan(stream: stream, limits: XLSLimits(maxDeclaredCells: 20_000_000)) }
        #expect(error?.code == .limitExceeded)
        #expect(error?.message.contains("20000000 cells") == true, "\(String(describing: error))")
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
