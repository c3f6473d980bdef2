import Foundation
import SluiceCore

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
        if lower.hasSuffix(".xlsx") || lower.hasSuffix(".xlsm") {
            let d = try XLSXExtractStep(configuration: .init(sheet: sheet)).read([file])
            return Inspected(dataset: d, description: "xlsx, sheet '\(d.properties["sheet"] ?? "")'")
        }
        if lower.hasSuffix(".json") || lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") {
            let d = try JSONExtractStep(configuration: .init()).read([file])
            return Inspected(dataset: d, description: "json")
        }
        let d = try CSVExtractStep(configuration: .init()).read([file])
        let delimiter = d.properties["delimiter"].map { $0 == "\t" ? "tab" : "'\($0)'" } ?? "?"
        return Inspected(dataset: d, description: "csv, delimiter \(delimiter), \(d.properties["encoding"] ?? "")")
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
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
