import SluiceCore
import SluiceFormats

/// `json` (load): writes a dataset as JSON to the outbox.
public struct JSONLoadStep: Step {
    public enum Layout: String, Decodable, Sendable { case array, lines }

    public struct Configuration: Decodable, Sendable {
        public var file: TemplateSource
        /// `array` (one document) or `lines` (JSON Lines).
        public var format: Layout?
    }

    public static let kind = "json"
    public static let stages: Set<StageName> = [.load]
    public static let documentation = StepDocumentation(
        summary: """
        Writes the dataset as JSON to `outbox/<pipeline>/`: an array of objects (pretty-printed) or JSON Lines. \
        Integers and decimals are JSON numbers with their exact digits; dates are `"yyyy-MM-dd"` strings; empty cells are null.
        """,
        fields: [
            .init("file", "template", required: true, "The file name."),
            .init("format", "array | lines", default: "array", "One document, or one object per line."),
        ],
        example: """
        - json: { file: "changes_{{run.date}}.json", format: lines }
          from: changes
        """)

    let configuration: Configuration
    public init(configuration: Configuration) { self.configuration = configuration }

    public func check(_ context: inout StepCheckContext) { context.check(configuration.file) }

    static func json(_ v: Value) -> JSONValue {
        switch v {
        case .null: .null
        case let .string(s): .string(s)
        case let .integer(i): .number(String(i))
        case let .decimal(d): .number(d.description)
        case let .bool(b): .bool(b)
        case .date, .datetime: .string(v.description)
        }
    }

    public func run(_ context: StepContext) throws -> StepOutput {
        let name = try context.outputFileName(configuration.file)
        let path = context.outputDirectory + "/" + name
        let data = context.input
        let objects: [JSONValue] = data.rows.map { row in
            .object(JSONObject(data.columns.enumerated().map { ($1.name, Self.json(row[$0])) }))
        }
        let bytes: [UInt8]
        if configuration.format == .lines {
            bytes = try JSONWriter().linesBytes(objects)
        } else {
            bytes = try JSONWriter(style: .pretty).bytes(.array(objects)) + [10]
        }
        try FileOperations.write(bytes, to: path)
        return StepOutput(dataset: data, outputs: [AttachedFile(name: name, path: path)], summary: ["rows": .integer(Int64(data.rows.count))])
    }
}
