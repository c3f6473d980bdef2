import ArgumentParser
import Foundation
import SluiceCore
import SluiceFormats
import SluiceSteps

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "What Sluice sees in a file (csv, json, jsonl, xlsx, xls): typed rows, or a summary of its columns; for an .eml message: its headers, attachments and defects.")

    @Argument(help: "The file.")
    var file: String

    @Option(help: "For xlsx and xls: the sheet, by name or 1-based index (default: the first).")
    var sheet: String?

    @Flag(name: .long, help: "One JSON array per row (the first line holds the column names; for xlsx and xls, every row of the sheet as it is); for .eml, one JSON object.")
    var json = false

    @Flag(name: .long, help: "Row count and, per column: type, nulls, min and max.")
    var summary = false

    func run() throws {
        if MessageInspector.isMessage(file) {
            let report = try MessageInspector.inspect(path: file)
            if json { try printJSON(report) } else { printMessage(report) }
            return
        }
        if json && !summary && FileInspector.isWorkbook(file) {
            try FileInspector.streamWorkbookRows(path: file, sheet: sheet) { FileHandle.standardOutput.write(Data($0.utf8)) }
            return
        }
        let inspected = try FileInspector.read(path: file, sheet: sheet)
        if summary {
            let s = FileInspector.summary(inspected.dataset)
            if json { try printJSON(s); return }
            print("\(file): \(inspected.description)")
            print("\(s.rows) rows, \(s.columns.count) columns")
            for c in s.columns {
                print("  \(c.name)  \(c.type)  nulls=\(c.nulls)\(c.min.map { "  min=\($0)" } ?? "")\(c.max.map { "  max=\($0)" } ?? "")")
            }
            return
        }
        if json {
            FileInspector.streamJSONLines(inspected.dataset) { FileHandle.standardOutput.write(Data($0.utf8)) }
            return
        }
        print("\(file): \(inspected.description)")
        print(inspected.dataset.columns.map { "\($0.name) (\($0.type))" }.joined(separator: " | "))
        for row in inspected.dataset.rows.prefix(50) { print(row.map(\.description).joined(separator: " | ")) }
        if inspected.dataset.rows.count > 50 { print("… \(inspected.dataset.rows.count - 50) more rows (--json prints all)") }
    }
}
