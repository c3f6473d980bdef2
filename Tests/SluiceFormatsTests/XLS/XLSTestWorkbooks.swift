import Foundation
@testable import SluiceFormats

/// .xls workbooks written by LibreOffice (headless) for the tests, from xlsx files our writer
/// made or from the shared fixtures: converted once per test process, in one LibreOffice run.
enum XLSTestWorkbooks {
    static let soffice: String? = ["/usr/bin/soffice", "/usr/local/bin/soffice", "/usr/lib/libreoffice/program/soffice"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The sample workbook's sheets as written (see ``writeSample(to:)``).
    static let sampleName = "sample"

    /// Paths of the converted workbooks by name (`sample`, `calamine__date_1904`...), or nil without LibreOffice.
    static let converted: [String: String]? = {
        guard let soffice else { return nil }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-xls-tests-\(getpid())")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var sources = [folder.appendingPathComponent("\(sampleName).xlsx").path]
        do { try writeSample(to: sources[0]) } catch { return nil }
        for name in fixtures { sources.append(XLSXFixtures.directory.appendingPathComponent("\(name).xlsx").path) }
        let out = folder.appendingPathComponent("xls").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: soffice)
        process.arguments = ["-env:UserInstallation=file://\(folder.path)/profile", "--headless", "--convert-to", "xls", "--outdir", out] + sources
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        process.waitUntilExit()
        var paths: [String: String] = [:]
        for source in sources {
            let name = (source as NSString).lastPathComponent.replacingOccurrences(of: ".xlsx", with: "")
            let path = out + "/" + name + ".xls"
            if FileManager.default.fileExists(atPath: path) { paths[name] = path }
        }
        return paths
    }()

    /// Shared fixtures converted too: the 1900 and 1904 date systems, several sheets, many types.
    static let fixtures = ["calamine__date", "calamine__date_1904", "calamine__any_sheets", "generated__wide_and_types", "tealeg__testcelltypes"]

    /// Two sheets: accents, numbers with binary tails, integers, dates, date-times, an empty row and empty cells.
    static func writeSample(to path: String) throws {
        var writer = try XLSXWriter(path: path, options: .init(strings: .shared))
        try writer.beginSheet(name: "Ventes")
        try writer.writeRow([.string("Produit"), .string("Montant"), .string("Jour"), .string("Quand"), .string("Quantité")])
        try writer.writeRow([.string("Café crème"), .number("0.30000000000000004"), .date(year: 2026, month: 11, day: 21),
                             .dateTime(year: 2024, month: 2, day: 29, hour: 13, minute: 45, second: 30, millisecond: 0), .integer(3)])
        try writer.writeRow([])
        try writer.writeRow([.string("Thé à la menthe"), .number("2153.9299999999998"), .date(year: 1900, month: 3, day: 1),
                             .empty, .integer(-7)])
        try writer.writeRow([.string("  espaces  "), .number("8222.610000000001"), .empty, .empty, .integer(1_234_567_890_123)])
        try writer.beginSheet(name: "Deuxième")
        try writer.writeRow([.empty, .string("seul")])
        try writer.writeRow([])
        try writer.writeRow([.empty, .empty, .number("-0.001")])
        try writer.finish()
    }

    /// Every row of a sheet.
    static func readAll(_ reader: any SpreadsheetRowReader) throws -> [XLSXRow] {
        var rows: [XLSXRow] = []
        while let row = try reader.nextRow() { rows.append(row) }
        return rows
    }
}
