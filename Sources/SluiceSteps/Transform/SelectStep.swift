import SluiceCore

/// `select`: keep some columns, in the order given.
public struct SelectStep: Step {
    public struct Configuration: Decodable, Sendable {
        public var columns: [String]

        enum CodingKeys: String, CodingKey { case columns }

        public init(from decoder: any Decoder) throws {
            if let keyed = try? decoder.container(keyedBy: CodingKeys.self) {
                columns = try keyed.decode([String].self, forKey: .columns)
            } else {
                columns = try [String](from: decoder)
            }
        }
    }

    public static let kind = "select"
    public static let stages: Set<StageName> = [.transform]
    public static let documentation = StepDocumentation(
        summary: "Keeps the named columns, in that order; the others are dropped.",
        fields: [.init("columns", "list of columns", required: true, "The columns to keep (the list can be written directly after `select:`).")],
        example: """
        - select: [Date, Produit, Montant]
        """)

    let configuration: Configuration
    public init(configuration: Configuration) { self.configuration = configuration }

    public func check(_ context: inout StepCheckContext) {
        var out: [Column] = []
        for (i, name) in configuration.columns.enumerated() {
            if context.requireColumn(name, at: [String(i)]) {
                out.append(Column(name, context.input?.type(of: name) ?? .any))
            }
        }
        context.output = .known(out)
    }

    public func run(_ context: StepContext) throws -> StepOutput {
        let input = context.input
        let indices = try configuration.columns.map { name in
            guard let i = input.columnIndex(name) else { throw missingColumn(name, in: input, step: Self.kind) }
            return i
        }
        var out = Dataset(columns: indices.map { input.columns[$0] }, files: input.files, properties: input.properties)
        out.rows = input.rows.map { row in indices.map { row[$0] } }
        out.rowNumbers = input.rowNumbers
        return StepOutput(dataset: out)
    }
}

/// The error for a column a step needs that the data does not have.
func missingColumn(_ name: String, in dataset: Dataset, step: String) -> StepError {
    StepError(.badInput, "column '\(name)' is missing\(Suggestion.didYouMean(name, among: dataset.columnNames)); the data has: \(dataset.columnNames.joined(separator: ", "))",
              file: dataset.properties["source"], hint: "fix the file's header, or the column name in the '\(step)' step")
}
