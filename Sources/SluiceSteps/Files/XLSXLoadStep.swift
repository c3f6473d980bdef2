import Foundation
import SluiceCore
import SluiceFormats

/// `xlsx` (load): writes one or more datasets as sheets of a workbook in the outbox.
public struct XLSXLoadStep: Step {
    public struct SheetSpec: Decodable, Sendable {
        public var name: String
        /// The dataset for this sheet (default: the step's input).
        public var from: String?
    }

    public struct Configuration: Decodable, Sendable {
        /// The file's name (a template).
        public var file: TemplateSource
        /// The sheet's name (one sheet, from the step's input).
        public var sheet: String?
        /// Several sheets, each from a dataset.
        public var sheets: [SheetSpec]?
    }

    public static let kind = "xlsx"
    public static let stages: Set<StageName> = [.load]
    public static let documentation = StepDocumentation(
        summary: """
        Writes a workbook to `outbox/<pipeline>/`: one sheet from the step's input, or several `sheets` from named \
        datasets. Cells are typed (text stays text even when it starts with `=`; integers, exact decimals, booleans, \
        dates with a date format); the header row is bold and frozen; column widths follow the content. The same \
        data always gives the same bytes.
        """,
        fields: [
            .init("file", "template", required: true, "The file name, e.g. `rapport_ventes_{{run.date}}.xlsx`."),
            .init("sheet", "name", default: "the dataset's name", "The sheet's name."),
            .init("sheets", "list of {name, from}", "Several sheets, each from a dataset."),
        ],
        example: """
        - xlsx:
            file: "rapport_ventes_{{run.date}}.xlsx"
            sheets:
              - { name: Totaux, from: totaux }
              - { name: Ventes, from: ventes }
        """)

    let configuration: Configuration
    public init(configuration: Configuration) { self.configuration = configuration }

    public func check(_ context: inout StepCheckContext) {
        context.check(configuration.file)
        for (i, s) in (configuration.sheets ?? []).enumerated() {
            if let f = s.from, context.datasets[f] == nil {
                context.error("unknown dataset '\(f)'\(Suggestion.didYouMean(f, among: context.datasets.keys))", at: ["sheets", String(i), "from"])
            }
            if !Self.validSheetName(s.name) { context.error("'\(s.name)' cannot be a sheet name (at most 31 characters, none of : \\ / ? * [ ])", at: ["sheets", String(i), "name"]) }
        }
        if let s = configuration.sheet, !Self.validSheetName(s) { context.error("'\(s)' cannot be a sheet name (at most 31 characters, none of : \\ / ? * [ ])", at: ["sheet"]) }
        if configuration.sheet != nil && configuration.sheets != nil { context.error("give 'sheet' or 'sheets', not both") }
    }

    static func validSheetName(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 31 && !s.contains(where: { ":\\/?*[]".contains($0) })
    }

    public func run(_ context: StepContext) throws -> StepOutput {
        let name = try context.outputFileName(configuration.file)
        let path = context.outputDirectory + "/" + name
        var sheets: [(String, Dataset)] = []
        if let specs = configuration.sheets {
            for s in specs {
                guard let d = s.from.map({ context.datasets[$0] }) ?? context.input else {
                    throw StepError(.configuration, "no dataset '\(s.from ?? "")' for sheet \(s.name)")
                }
                sheets.append((s.name, d))
            }
        } else {
            sheets.append((configuration.sheet ?? String((context.inputName ?? "Feuille1").prefix(31)), context.input))
        }
        try TableFiles.writeXLSX(sheets: sheets, path: path)
        return StepOutput(dataset: context.input, outputs: [AttachedFile(name: name, path: path)],
                          summary: ["rows": .integer(Int64(sheets.map(\.1.rows.count).reduce(0, +)))])
    }
}

extension TableFiles {
    static func writeXLSX(_ data: Dataset, path: String, sheet: String) throws {
        try writeXLSX(sheets: [(String(sheet.prefix(31)), data)], path: path)
    }

    static func writeXLSX(sheets: [(String, Dataset)], path: String) throws {
        do {
            // The runner fsyncs a stage's outputs before its checkpoint.
            var writer = try XLSXWriter(path: path, options: .init(sync: false))
            for (name, data) in sheets {
                var widths = data.columns.map { Double(min(60, max(8, $0.name.count + 2))) }
                for row in data.rows.prefix(1000) {
                    for (i, v) in row.enumerated() { widths[i] = min(60, max(widths[i], Double(v.description.count + 2))) }
                }
                try writer.beginSheet(name: name, columnWidths: widths, boldFrozenHeader: true)
                try writer.writeRow(data.columns.map { .string($0.name) })
                for row in data.rows { try writer.writeRow(row.map(cell)) }
            }
            try writer.finish()
        } catch let e as XLSXError {
            throw StepError(.internal, "cannot write \((path as NSString).lastPathComponent): \(e.message)")
        }
    }

    static func cell(_ v: Value) -> XLSXWriter.Cell {
        switch v {
        case .null: .empty
        case let .string(s): .string(s)
        case let .integer(i): .integer(i)
        case let .decimal(d): .number(d.description)
        case let .bool(b): .bool(b)
        case let .date(d): { let c = d.components; return .date(year: c.year, month: c.month, day: c.day) }()
        case let .datetime(t): { let c = t.date.components; return .dateTime(year: c.year, month: c.month, day: c.day, hour: t.hour, minute: t.minute, second: t.second, millisecond: t.millisecond) }()
        }
    }
}
