import SluiceCore
import SluiceFormats

/// `json` (extract): an array of objects, or JSON Lines, into rows.
public struct JSONExtractStep: Step {
    public struct Configuration: Decodable, Sendable {
        /// Dotted path to the array inside the document (`data.items`); default: the document itself.
        public var path: String?
        public var pattern: [String]?
    }

    public static let kind = "json"
    public static let stages: Set<StageName> = [.extract]
    public static let documentation = StepDocumentation(
        summary: """
        Reads JSON files: one document holding an array of objects (or an object whose `path` leads to one), or JSON \
        Lines (one object per line). Columns are every key seen, in order of first appearance. Numbers keep their exact \
        value (whole numbers become integers, others exact decimals); nested objects and arrays are kept as JSON text; \
        a missing key is an empty cell. Messages name a row by its line in JSON Lines, by its position in an array. \
        A file of 0 bytes fails the run: "the file is empty (0 bytes)".
        """,
        fields: [
            .init("path", "dotted path", "Where the array is inside the document, e.g. `data.items`."),
            .init("pattern", "list of globs", default: "*.json, *.jsonl, *.ndjson", "Which input files to read."),
        ],
        example: """
        - json: { path: units }
          as: units
        """)

    let configuration: Configuration
    public init(configuration: Configuration) { self.configuration = configuration }

    public func check(_ context: inout StepCheckContext) { context.output = .open }

    public func run(_ context: StepContext) throws -> StepOutput {
        let files = InputSelection.files(context, patterns: configuration.pattern, extensions: ["json", "jsonl", "ndjson"])
        if files.isEmpty {
            throw StepError(.badInput, "no JSON file among the inputs (\(context.inputFiles.map(\.name).joined(separator: ", ")))",
                            file: context.inputFiles.first?.name, hint: "the json step reads *.json, *.jsonl and *.ndjson; set 'pattern' for other names")
        }
        return StepOutput(dataset: try read(files))
    }

    /// Reads JSON files into one dataset (used by `run` and by `sluice inspect`).
    public func read(_ files: [AttachedFile]) throws -> Dataset {
        var objects: [(JSONObject, String, Int)] = []
        for file in files {
            try EmptyInputFile.refuse(file)
            let bytes = try FileOperations.readBytes(file.path)
            let reader = JSONReader()
            do {
                if JSONLayout.detect(bytes) == .lines {
                    for line in try reader.parseLines(bytes, source: file.name) {
                        guard case let .object(o) = line.value else {
                            throw StepError(.badInput, "each line must be a JSON object", file: file.name, place: "line \(line.line)")
                        }
                        objects.append((o, file.name, line.line))
                    }
                } else {
                    var value = try reader.parse(bytes, source: file.name)
                    for key in (configuration.path ?? "").split(separator: ".") {
                        guard case let .object(o) = value, let next = o[String(key)] else {
                            throw StepError(.badInput, "the document has no '\(configuration.path!)'", file: file.name,
                                            hint: "check 'path' in the json step")
                        }
                        value = next
                    }
                    guard case let .array(items) = value else {
                        throw StepError(.badInput, "expected an array of objects\(configuration.path.map { " at '\($0)'" } ?? "")", file: file.name,
                                        hint: configuration.path == nil ? "set 'path' to where the array is" : nil)
                    }
                    for (i, item) in items.enumerated() {
                        guard case let .object(o) = item else {
                            throw StepError(.badInput, "item \(i + 1) of the array is not an object", file: file.name, place: "item \(i + 1)")
                        }
                        objects.append((o, file.name, i + 1))
                    }
                }
            } catch let e as JSONError {
                throw StepError(.badInput, e.message, file: file.name, place: e.line.map { "line \($0)" + (e.column.map { ", column \($0)" } ?? "") },
                                hint: "the file is not valid JSON; fix it, then reprocess", cause: e)
            }
        }
        var names: [String] = []
        var index: [String: Int] = [:]
        for (o, _, _) in objects {
            for m in o.members where index[m.key] == nil { index[m.key] = names.count; names.append(m.key) }
        }
        var rows: [[Value]] = []
        rows.reserveCapacity(objects.count)
        var types = Array(repeating: ColumnType?.none, count: names.count)
        for (o, _, _) in objects {
            var row = Array(repeating: Value.null, count: names.count)
            for m in o.members {
                let i = index[m.key]!
                let v = Self.value(m.value)
                row[i] = v
                if let t = v.type { types[i] = types[i] == nil || types[i] == t ? t : (t.isNumeric && types[i]!.isNumeric ? .decimal : .any) }
            }
            rows.append(row)
        }
        let columns = names.enumerated().map { Column($1, types[$0] ?? .string) }
        let source = files.map(\.name).joined(separator: ", ")
        // A row is named by its line in JSON Lines, by its position in an array.
        return Dataset(columns: columns, rows: rows, files: files, properties: ["source": source, "format": "json"], rowNumbers: objects.map(\.2))
    }

    static func value(_ j: JSONValue) -> Value {
        switch j {
        case .null: return .null
        case let .bool(b): return .bool(b)
        case let .string(s): return .string(s)
        case let .number(text):
            if let i = Int64(text) { return .integer(i) }
            if let d = DecimalNumber(parsing: text) { return .decimal(d) }
            return .string(text)
        case .array, .object:
            return .string((try? JSONWriter().string(j)) ?? "")
        }
    }
}
