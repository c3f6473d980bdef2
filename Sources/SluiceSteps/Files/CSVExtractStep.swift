import SluiceCore
import SluiceFormats

/// `csv` (extract): reads the run's CSV input files into rows.
public struct CSVExtractStep: Step {
    public enum Types: String, Decodable, Sendable { case infer, text }

    public struct Configuration: Decodable, Sendable {
        /// `;`, `,`, `tab`, `|`; default: detected among `; , tab`.
        public var delimiter: String?
        /// `auto` (UTF-8, else Windows-1252), `utf-8`, `windows-1252`, `latin-1`.
        public var encoding: String?
        /// Whether the first line names the columns.
        public var header: Bool?
        /// `infer` (numbers, dates and booleans typed when a whole column fits) or `text`.
        public var types: Types?
        /// The columns the file must have (in any order): makes them known to `sluice validate`.
        public var columns: [String]?
        /// Only input files matching these patterns (default: `*.csv`, `*.txt`, `*.tsv`).
        public var pattern: [String]?
    }

    public static let kind = "csv"
    public static let stages: Set<StageName> = [.extract]
    public static let documentation = StepDocumentation(
        summary: """
        Reads CSV files (French Excel exports with `;` and Windows-1252, Google Sheets with `,` and UTF-8, \
        tab-separated files): the delimiter is detected among `; , tab`, UTF-8 with or without BOM is read, and \
        bytes that are not UTF-8 are read as Windows-1252. Quoted fields may hold delimiters and line breaks. \
        With `types: infer` (the default) a column whose every value is a whole number, a decimal (`12.50`), an \
        ISO date or true/false gets that type, and a number only when it is written as Sluice would print it: \
        leading zeros (`007`, the zip code `08123`) stay text, and so does a column that mixes them with numbers, or \
        holds `+5`, `1e3`, `1 234` or `8,1%` (a `validate` step reads those). Column names are read in Unicode NFC. \
        Several input files are read one after the other and must have the same columns. Empty lines are \
        skipped, but messages name a row as a spreadsheet shows it (the header is row 1, empty lines count, a \
        quoted line break stays in its row). A file of 0 bytes fails the run: "the file is empty (0 bytes)".
        """,
        fields: [
            .init("delimiter", "; , tab |", default: "detected", example: "\";\"", "The field separator."),
            .init("encoding", "auto | utf-8 | windows-1252 | latin-1", default: "auto", "The text encoding."),
            .init("header", "bool", default: "true", "The first line names the columns (else column1, column2...)."),
            .init("types", "infer | text", default: "infer", "Type columns from their values, or keep every cell as text."),
            .init("columns", "list", example: "[Produit, Montant]", "Columns the file must have; a missing one fails the run, and later steps are checked against them."),
            .init("pattern", "list of globs", default: "*.csv, *.txt, *.tsv", "Which input files to read."),
        ],
        example: """
        - csv: { delimiter: ";", encoding: windows-1252 }
          as: ventes
        """)

    let configuration: Configuration
    public init(configuration: Configuration) { self.configuration = configuration }

    public func check(_ context: inout StepCheckContext) {
        if let d = configuration.delimiter, CSVDelimiter(d) == nil {
            context.error("delimiter '\(d)' is not one of ';', ',', 'tab', '|'", at: ["delimiter"])
        }
        if let e = configuration.encoding, CSVReader.EncodingChoice(name: e) == nil {
            context.error("encoding '\(e)' is not one of auto, utf-8, windows-1252, latin-1", at: ["encoding"])
        }
        if let cols = configuration.columns {
            context.output = .partial(cols.map { Column($0, configuration.types == .text ? .string : .any) })
        } else {
            context.output = .open
        }
    }

    public func run(_ context: StepContext) throws -> StepOutput {
        let files = InputSelection.files(context, patterns: configuration.pattern, extensions: ["csv", "txt", "tsv"])
        if files.isEmpty {
            throw StepError(.badInput, "no CSV file among the inputs (\(context.inputFiles.map(\.name).joined(separator: ", ")))",
                            file: context.inputFiles.first?.name, hint: "the csv step reads *.csv, *.txt and *.tsv; set 'pattern' for other names")
        }
        let data = try read(files)
        return StepOutput(dataset: data, summary: ["rows": .integer(Int64(data.rows.count)), "encoding": .string(data.properties["encoding"] ?? "")])
    }

    /// Reads CSV files into one dataset (used by `run` and by `sluice inspect`).
    public func read(_ files: [AttachedFile]) throws -> Dataset {
        var options = CSVReader.Options()
        options.delimiter = configuration.delimiter.flatMap(CSVDelimiter.init)
        options.encoding = configuration.encoding.flatMap(CSVReader.EncodingChoice.init(name:)) ?? .auto
        options.header = configuration.header == false ? .none : .firstRecord
        var header: [String]?
        var text: [[String]] = []
        var rowNumbers: [Int] = []
        var properties: [String: String] = ["format": "csv"]
        for file in files {
            try EmptyInputFile.refuse(file)
            let reader: CSVReader
            do { reader = try CSVReader(path: file.path, displayName: file.name, options: options) } catch let e as CSVError {
                throw StepError(.badInput, e.message, file: file.name, place: e.line.map { "line \($0)" }, hint: csvHint(e), cause: e)
            }
            properties["source"] = properties["source"].map { $0 + ", " + file.name } ?? file.name
            properties["delimiter"] = String(UnicodeScalar(reader.delimiter.byte))
            properties["encoding"] = reader.encoding.rawValue
            if let h = header, h != reader.header {
                throw StepError(.badInput, "the columns differ from those of the first file (\(h.joined(separator: ", ")) vs \(reader.header.joined(separator: ", ")))",
                                file: file.name, place: "line 1", hint: "send files with the same header, or one file per run")
            }
            header = reader.header
            var iterator = reader.makeIterator()
            do {
                while let record = try iterator.next() {
                    if record.hasExtraFields {
                        throw StepError(.badInput, "line has \(record.fieldCount) fields but the header has \(record.expectedFieldCount)",
                                        file: file.name, place: "line \(record.line)", rows: [record.row],
                                        hint: "a field probably holds an unquoted '\(String(UnicodeScalar(reader.delimiter.byte)))'; quote it or fix the line")
                    }
                    text.append(record.fields)
                    rowNumbers.append(record.row)
                }
            } catch let e as CSVError {
                throw StepError(.badInput, e.message, file: file.name, place: e.line.map { "line \($0)" }, hint: csvHint(e), cause: e)
            }
        }
        let names = header ?? []
        if let required = configuration.columns {
            let missing = required.filter { !names.contains($0) }
            if !missing.isEmpty {
                throw StepError(.badInput, "missing column\(missing.count > 1 ? "s" : "") \(missing.map { "'\($0)'\(Suggestion.didYouMean($0, among: names))" }.joined(separator: ", ")); \(names.isEmpty ? "the file has no header line" : "the file has: \(names.joined(separator: ", "))")",
                                file: files[0].name, place: "line 1", hint: "fix the header line of the file, then reprocess")
            }
        }
        var columns: [Column] = []
        var rows = Array(repeating: [Value](), count: text.count)
        for i in rows.indices { rows[i].reserveCapacity(names.count) }
        for (c, name) in names.enumerated() {
            let type: ColumnType = configuration.types == .text ? .string : ValueParser.inferType(text.lazy.map { $0[c] })
            columns.append(Column(name, type))
            for r in text.indices { rows[r].append(type == .string ? .string(text[r][c]) : ValueParser.typed(text[r][c], as: type)) }
        }
        return Dataset(columns: columns, rows: rows, files: files, properties: properties, rowNumbers: rowNumbers)
    }

    func csvHint(_ e: CSVError) -> String {
        if e.code == .unterminatedQuote { return "a quote (\") opened here is never closed; fix or remove it" }
        if e.code == .invalidEncoding { return "save the file as UTF-8, or set encoding: windows-1252" }
        return "fix the file, then run `sluice reprocess` on this run"
    }
}
