import Foundation
import SluiceCore
import SluiceFormats

/// `sluice inspect`: what Sluice sees in a file, read the way the extract steps read it.
public enum FileInspector {
    public struct Inspected: Sendable {
        public var dataset: Dataset
        /// `csv, delimiter ';', windows-1252` ...
        public var description: String
    }

    public struct ColumnSummary: Encodable, Sendable {
        public var name: String
        public var type: String
        public var nulls: Int
        public var min: String?
        public var max: String?
    }

    public struct Summary: Encodable, Sendable {
        public var rows: Int
        public var columns: [ColumnSummary]
    }

    public static func read(path: String, sheet: String?) throws -> Inspected {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StepError(.badInput, "no such file", file: path)
        }
        let name = (path as NSString).lastPathComponent
        let file = AttachedFile(name: name, path: path)
        let lower = name.lowercased()
        if isWorkbook(lower) {
            let d = try XLSXExtractStep(configuration: .init(sheet: sheet)).read([file])
            return Inspected(dataset: d, description: "\(d.properties["format"] ?? "xlsx"), sheet '\(d.properties["sheet"] ?? "")'")
        }
        if lower.hasSuffix(".json") || lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") {
            let d = try JSONExtractStep(configuration: .init()).read([file])
            return Inspected(dataset: d, description: "json")
        }
        let d = try CSVExtractStep(configuration: .init()).read([file])
        let delimiter = d.properties["delimiter"].map { $0 == "\t" ? "tab" : "'\($0)'" } ?? "?"
        return Inspected(dataset: d, description: "csv, delimiter \(delimiter), \(d.properties["encoding"] ?? "")")
    }

    /// Whether `path` is read as a workbook: named .xlsx, .xlsm or .xls, or an OLE2 compound file
    /// whatever its name (an .xls saved under another name).
    public static func isWorkbook(_ path: String) -> Bool {
        let lower = path.lowercased()
        if lower.hasSuffix(".xlsx") || lower.hasSuffix(".xlsm") || lower.hasSuffix(".xls") { return true }
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 8)) ?? Data()
        return head == Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1])
    }

    /// Streams a sheet as it is in the workbook, one JSON array per row from row 1 to the last
    /// row with a value (an empty row is `[]`, so line N is row N), cells from column A:
    /// strings, numbers (as Excel shows them: 15 significant digits), booleans, null for empty,
    /// dates and times as ISO 8601 strings, durations as `PT..H..M..S`, errors as
    /// `{"error": "#DIV/0!"}`. Memory does not grow with the number of rows.
    public static func streamWorkbookRows(path: String, sheet: String?, write: (String) -> Void) throws {
        try EmptyInputFile.refuse(AttachedFile(name: path, path: path))
        do {
            let workbook = try SpreadsheetWorkbook(path: path)
            let reader: any SpreadsheetRowReader
            if let sheet, workbook.sheets.contains(where: { $0.name == sheet }) || Int(sheet) == nil {
                reader = try workbook.sheet(named: sheet)
            } else if let sheet, let n = Int(sheet) {
                guard n >= 1 && n <= workbook.sheets.count else {
                    throw StepError(.badInput, "the workbook has \(workbook.sheets.count) sheet(s), not \(n)", file: path)
                }
                reader = try workbook.sheet(at: n - 1)
            } else {
                reader = try workbook.sheet(at: 0)
            }
            var buffer = ""
            var nextNumber = 1
            while let row = try reader.nextRow() {
                while nextNumber < row.number {
                    buffer += "[]\n"
                    nextNumber += 1
                    if buffer.utf8.count > 1 << 16 { write(buffer); buffer = "" }
                }
                nextNumber = max(nextNumber, row.number + 1)
                buffer += "[" + row.cells.map(\.jsonFragment).joined(separator: ",") + "]\n"
                if buffer.utf8.count > 1 << 16 { write(buffer); buffer = "" }
            }
            write(buffer)
        } catch let e as XLSXError {
            throw StepError(.badInput, e.message, file: path, place: e.cell.map { "cell \($0)" }, hint: e.suggestion, cause: e)
        }
    }

    public static func summary(_ d: Dataset) -> Summary {
        Summary(rows: d.rows.count, columns: d.columns.enumerated().map { i, c in
            var nulls = 0
            var minV: Value = .null
            var maxV: Value = .null
            for row in d.rows {
                let v = row[i]
                if v.isNull || v == .string("") { nulls += 1; continue }
                if minV.isNull || Value.order(v, minV) < 0 { minV = v }
                if maxV.isNull || Value.order(v, maxV) > 0 { maxV = v }
            }
            return ColumnSummary(name: c.name, type: c.type.rawValue, nulls: nulls,
                                 min: minV.isNull ? nil : minV.description, max: maxV.isNull ? nil : maxV.description)
        })
    }

    /// A dataset as JSON lines: the column names, then one array per row, with `[]` for the rows
    /// of the file that hold nothing (empty lines of a CSV), so line N is row N of the file
    /// when its header is on row 1.
    public static func streamJSONLines(_ d: Dataset, write: (String) -> Void) {
        var out = jsonLine(d.columns.map { .string($0.name) }) + "\n"
        var previous: Int?
        for (i, row) in d.rows.enumerated() {
            let number = d.rowNumber(i)
            if let previous, number > previous + 1 { out += String(repeating: "[]\n", count: number - previous - 1) }
            previous = number
            out += jsonLine(row) + "\n"
            if out.utf8.count > 1 << 16 { write(out); out = "" }
        }
        write(out)
    }

    /// One row as a JSON array: strings, numbers (exact), booleans, null, dates as ISO strings.
    public static func jsonLine(_ row: [Value]) -> String {
        "[" + row.map { v -> String in
            switch v {
            case .null: return "null"
            case let .integer(i): return String(i)
            case let .decimal(d): return d.description
            case let .bool(b): return b ? "true" : "false"
            default: return quote(v.description)
            }
        }.joined(separator: ",") + "]"
    }

    static func quote(_ s: String) -> String {
        (try? JSONWriter().string(.string(s))) ?? "\"\""
    }
}
