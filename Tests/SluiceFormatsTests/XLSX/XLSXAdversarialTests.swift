import Foundation
@testable import SluiceFormats
import Testing

/// What each corpus file in `xlsx/adversarial/` must end in (its `.meta.json` says why).
private let adversarialOutcomes: [String: (code: XLSXError.Code?, fragment: String)] = [
    "adv_deep_nesting": (.limitExceeded, "nest deeper than 256"),
    "adv_external_relationship": (nil, "169.254.169.254"),     // reads normally; the target is reported, never opened
    "adv_html_renamed": (.notSpreadsheet, "HTML page"),
    "adv_lying_uncompressed_size": (.corrupt, "more than the 1000 bytes it declares"),
    "adv_quadratic_blowup": (.unsafeContent, "DOCTYPE"),
    "adv_truncated_half": (.truncated, "incomplete"),
]

@Suite("XLSX reader on hostile input")
struct XLSXAdversarialTests {
    static let names = XLSXFixtures.names(in: XLSXFixtures.adversarialDirectory)

    @Test("every adversarial corpus file has a decided outcome")
    func everyFileIsClassified() {
        #expect(Self.names.count >= 6)
        #expect(Set(Self.names).subtracting(adversarialOutcomes.keys).isEmpty, "unclassified: \(Set(Self.names).subtracting(adversarialOutcomes.keys))")
    }

    @Test("each adversarial corpus file ends in its clean error, quickly", arguments: names)
    func adversarialFile(_ name: String) throws {
        let outcome = try #require(adversarialOutcomes[name])
        let path = XLSXFixtures.adversarialDirectory.appendingPathComponent("\(name).xlsx").path
        let start = ContinuousClock.now
        if let code = outcome.code {
            let error = #expect(throws: XLSXError.self) {
                let workbook = try XLSXWorkbook(path: path)
                _ = try XLSXFixtures.readAll(workbook.sheet(at: 0))
            }
            #expect(error?.code == code, "\(name): \(error.map { "\($0)" } ?? "no error")")
            #expect(error?.description.contains(outcome.fragment) == true, "\(name): \(error.map { "\($0)" } ?? "")")
        } else {
            let workbook = try XLSXWorkbook(path: path)
            #expect(workbook.externalTargets.contains { $0.contains(outcome.fragment) })
            let rows = try XLSXFixtures.readAll(workbook.sheet(at: 0))
            #expect(rows == [XLSXRow(number: 1, cells: [.string("hello"), .number("42")])])
        }
        #expect(ContinuousClock.now - start < .seconds(10))
    }

    @Test("a <!DOCTYPE in a sheet is refused")
    func doctypeInSheet() throws {
        var package = XLSXTestPackage.workbook(sheetData: "")
        package.replace("xl/worksheets/sheet1.xml", #"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&a;</t></is></c></row></sheetData></worksheet>"#)
        let error = #expect(throws: XLSXError.self) { try package.readFirstSheet() }
        #expect(error?.code == .unsafeContent)
        #expect(error?.part == "xl/worksheets/sheet1.xml")
    }

    @Test("a dimension and a cell far beyond the data allocate nothing dense")
    func farReferences() throws {
        let package = XLSXTestPackage.workbook(
            sheetData: #"<row r="1048576"><c r="B1048576"><v>7</v></c></row>"#,
            sheetExtra: "")
        var p = package
        p.replace("xl/worksheets/sheet1.xml", #"<worksheet><dimension ref="A1:XFD1048576"/><sheetData><row r="1048576"><c r="B1048576"><v>7</v></c></row></sheetData></worksheet>"#)
        let rows = try p.readFirstSheet()
        #expect(rows == [XLSXRow(number: 1_048_576, cells: [.empty, .number("7")])])
    }

    @Test("a cell reference beyond column XFD is refused", arguments: ["XFE1", "A1048577", "1A", "AAAAA1"])
    func referenceBeyondGrid(_ reference: String) throws {
        let package = XLSXTestPackage.workbook(sheetData: #"<row r="1"><c r="\#(reference)"><v>1</v></c></row>"#)
        let error = #expect(throws: XLSXError.self) { try package.readFirstSheet() }
        #expect(error?.code == .invalidCell)
    }

    @Test("a row number beyond 1,048,576 is refused")
    func rowBeyondGrid() throws {
        let package = XLSXTestPackage.workbook(sheetData: #"<row r="1048577"><c><v>1</v></c></row>"#)
        let error = #expect(throws: XLSXError.self) { try package.readFirstSheet() }
        #expect(error?.code == .invalidCell)
    }

    @Test("a shared-string index out of range is refused, naming the cell")
    func sharedStringOutOfRange() throws {
        let package = XLSXTestPackage.workbook(sheetData: #"<row r="3"><c r="C3" t="s"><v>5</v></c></row>"#, sharedStrings: ["a", "b"])
        let error = #expect(throws: XLSXError.self) { try package.readFirstSheet() }
        #expect(error?.code == .invalidCell)
        #expect(error?.cell == "C3")
        #expect(error?.message.contains("out of range") == true)
    }

    @Test("duplicate zip entry names are refused")
    func duplicateEntries() throws {
        var package = XLSXTestPackage.workbook(sheetData: "")
        package.add("xl/workbook.xml", "<workbook/>")
        let error = #expect(throws: XLSXError.self) { try package.readFirstSheet() }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("two entries") == true)
    }

    @Test("a part inflating past the per-part cap is refused (zip bomb)")
    func perPartCap() throws {
        let cells = String(repeating: #"<c><v>1</v></c>"#, count: 20_000)
        let package = XLSXTestPackage.workbook(sheetData: "<row>\(cells)</row>")
        var limits = XLSXLimits()
        limits.maxPartBytes = 100_000
        let error = #expect(throws: XLSXError.self) { try package.readFirstSheet(limits: limits) }
        #expect(error?.code == .limitExceeded)
    }

    @Test("parts inflating past the total cap are refused (zip bomb)")
    func totalCap() throws {
        let rows = (1...2000).map { "<row r=\"\($0)\"><c><v>\($0)</v></c></row>" }.joined()
        let package = XLSXTestPackage.workbook(sheetData: rows)
        var limits = XLSXLimits()
        limits.maxTotalBytes = 20_000
        let error = #expect(throws: XLSXError.self) { try package.readFirstSheet(limits: limits) }
        #expect(error?.code == .limitExceeded)
    }

    @Test("a cell text above the length cap is refused")
    func longText() throws {
        let text = String(repeating: "x", count: 200_000)
        let package = XLSXTestPackage.workbook(sheetData: #"<row><c t="inlineStr"><is><t>\#(text)</t></is></c></row>"#)
        let error = #expect(throws: XLSXError.self) { try package.readFirstSheet() }
        #expect(error?.code == .limitExceeded)
    }

    @Test("nesting beyond the depth limit inside a sheet is refused")
    func deepSheet() throws {
        let deep = String(repeating: "<x>", count: 10_000) + String(repeating: "</x>", count: 10_000)
        let package = XLSXTestPackage.workbook(sheetData: "<row><c><v>1</v>\(deep)</c></row>")
        let error = #expect(throws: XLSXError.self) { try package.readFirstSheet() }
        #expect(error?.code == .limitExceeded)
    }

    @Test("a file cut anywhere fails cleanly", arguments: [0.1, 0.5, 0.9, 0.99])
    func truncatedAnywhere(_ fraction: Double) throws {
        let rows = (1...3000).map { "<row r=\"\($0)\"><c t=\"inlineStr\"><is><t>row \($0)</t></is></c></row>" }.joined()
        let full = try XLSXTestPackage.workbook(sheetData: rows).write()
        let data = try Data(contentsOf: URL(fileURLWithPath: full))
        let cut = XLSXFixtures.temporaryPath("cut.xlsx")
        try data.prefix(Int(Double(data.count) * fraction)).write(to: URL(fileURLWithPath: cut))
        let error = #expect(throws: XLSXError.self) {
            let workbook = try XLSXWorkbook(path: cut)
            _ = try XLSXFixtures.readAll(workbook.sheet(at: 0))
        }
        #expect(error?.code == .truncated)
    }

    @Test("a flipped byte in compressed data is caught (CRC or inflate error)")
    func corruptedByte() throws {
        let rows = (1...500).map { "<row r=\"\($0)\"><c><v>\($0)</v></c></row>" }.joined()
        let path = try XLSXTestPackage.workbook(sheetData: rows).write(level: 0)
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        let marker = Array("<v>250</v>".utf8)
        let index = try #require(data.firstRange(of: Data(marker))).lowerBound
        data[index + 3] = UInt8(ascii: "9")
        try data.write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: XLSXError.self) {
            let workbook = try XLSXWorkbook(path: path)
            _ = try XLSXFixtures.readAll(workbook.sheet(at: 0))
        }
        #expect(error?.code == .corrupt)
    }

    @Test("non-zip files are named for what they are", arguments: [
        ("Date;Montant\n2024-01-02;12.50\n", "CSV"),
        ("<html><body><table><tr><td>1</td></tr></table></body></html>", "HTML"),
        ("just some words\n", "plain text"),
        ("", "empty"),
    ])
    func notAZip(_ content: String, _ fragment: String) throws {
        let path = XLSXFixtures.temporaryPath("renamed.xlsx")
        try Data(content.utf8).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: XLSXError.self) { try XLSXWorkbook(path: path) }
        #expect(error?.message.contains(fragment) == true, "\(error.map { "\($0)" } ?? "")")
    }

    @Test("a legacy .xls (OLE2 without an encrypted package) is named as such")
    func legacyXLS() throws {
        let path = XLSXFixtures.temporaryPath("old.xlsx")
        try Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 1024)).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: XLSXError.self) { try XLSXWorkbook(path: path) }
        #expect(error?.code == .legacyFormat)
    }

    @Test("the encrypted corpus workbook is named password-protected")
    func encrypted() throws {
        let path = XLSXFixtures.directory.appendingPathComponent("calamine__pass_protected.xlsx").path
        let error = #expect(throws: XLSXError.self) { try XLSXWorkbook(path: path) }
        #expect(error?.code == .encrypted)
        #expect(error?.message.contains("password-protected; save it without a password") == true)
    }
}
