import Foundation
import SluiceCore
import SluiceFormats

/// `csv` (load): writes a dataset to a CSV file in the outbox.
public struct CSVLoadStep: Step {
    public struct Configuration: Decodable, Sendable {
        /// The file's name (a template).
        public var file: TemplateSource
        public var delimiter: String?
        /// Start with a UTF-8 byte order mark, so Excel shows accents.
        public var bom: Bool?
        public var encoding: String?
        /// `,` to write decimals with a comma.
        public var decimalSeparator: ValueParser.DecimalSeparator?
        public var header: Bool?
    }

    public static let kind = "csv"
    public static let stages: Set<StageName> = [.load]
    public static let documentation = StepDocumentation(
        summary: """
        Writes the dataset to a CSV file published to `outbox/<pipeline>/`. Fields are quoted only when needed; \
        lines end with CRLF; decimals keep their exact digits; dates are written yyyy-MM-dd.
        """,
        fields: [
            .init("file", "template", required: true, "The file name, e.g. `rapport_{{run.date}}.csv`."),
            .init("delimiter", "; , tab |", default: ",", "The field separator."),
            .init("bom", "bool", default: "false", "Start with a UTF-8 byte order mark (Excel then reads accents right)."),
            .init("encoding", "utf-8 | windows-1252", default: "utf-8", "The text encoding."),
            .init("decimal-separator", "'.' or ','", default: "'.'", "How decimals are written."),
            .init("header", "bool", default: "true", "Write the column names first."),
        ],
        example: """
        - csv: { file: "totaux_{{run.date}}.csv", delimiter: ";", bom: true }
          from: totaux
        """)

    let configuration: Configuration
    public init(configuration: Configuration) { self.configuration = configuration }

    public func check(_ context: inout StepCheckContext) {
        context.check(configuration.file)
        if let d = configuration.delimiter, CSVDelimiter(d) == nil { context.error("delimiter '\(d)' is not one of ';', ',', 'tab', '|'", at: ["delimiter"]) }
        if let e = configuration.encoding, CSVEncoding(name: e) == nil { context.error("encoding '\(e)' is not one of utf-8, windows-1252, latin-1", at: ["encoding"]) }
    }

    public func run(_ context: StepContext) throws -> StepOutput {
        let name = try context.outputFileName(configuration.file)
        let path = context.outputDirectory + "/" + name
        let options = CSVWriter.Options(
            delimiter: configuration.delimiter.flatMap(CSVDelimiter.init) ?? .comma, lineEnding: .crlf,
            byteOrderMark: configuration.bom ?? false, encoding: configuration.encoding.flatMap(CSVEncoding.init(name:)) ?? .utf8)
        try TableFiles.writeCSV(context.input, path: path, options: options, header: configuration.header ?? true,
                                decimalComma: configuration.decimalSeparator == .comma)
        return StepOutput(dataset: context.input, outputs: [AttachedFile(name: name, path: path)],
                          summary: ["rows": .integer(Int64(context.input.rows.count))])
    }
}

/// Writing datasets to files, shared by the load steps and the rejects file.
enum TableFiles {
    static func text(_ v: Value, decimalComma: Bool) -> String {
        if decimalComma, case let .decimal(d) = v { return d.description.split(separator: ".", omittingEmptySubsequences: false).joined(separator: ",") }
        return v.description
    }

    static func writeCSV(_ data: Dataset, path: String, options: CSVWriter.Options, header: Bool, decimalComma: Bool = false) throws {
        do {
            var writer = try CSVWriter(path: path, options: options)
            if header { try writer.writeRow(data.columnNames) }
            for row in data.rows { try writer.writeRow(row.map { text($0, decimalComma: decimalComma) }) }
            try writer.close()
        } catch let e as CSVError {
            throw StepError(.badInput, "cannot write \((path as NSString).lastPathComponent): \(e.message)",
                            place: e.row.map { "row \($0)" }, hint: e.code == .unrepresentableCharacter ? "use encoding: utf-8" : nil, cause: e)
        }
    }
}
