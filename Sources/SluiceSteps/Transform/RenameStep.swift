import SluiceCore

/// `rename`: new names for columns.
public struct RenameStep: Step {
    public typealias Configuration = OrderedMapping<String>

    public static let kind = "rename"
    public static let stages: Set<StageName> = [.transform]
    public static let documentation = StepDocumentation(
        summary: "Renames columns: `old: new` pairs. Other columns are kept as they are.",
        fields: [.init("<old name>", "text", required: true, "The new name of the column.")],
        example: """
        - rename: { Montant: Amount, Produit: Product }
        """)

    let configuration: Configuration
    public init(configuration: Configuration) { self.configuration = configuration }

    public func check(_ context: inout StepCheckContext) {
        var columns = context.input?.columns ?? []
        for (old, new) in configuration.entries {
            if context.requireColumn(old, at: [old]), let i = columns.firstIndex(where: { $0.isNamed(old) }) {
                columns[i].name = new
            }
        }
        var seen = Set<String>()
        for c in columns where !seen.insert(c.name).inserted {
            context.error("renaming gives two columns named '\(c.name)'")
        }
        context.output = context.input.map { $0.with(columns) } ?? .open
    }

    public func run(_ context: StepContext) throws -> StepOutput {
        var out = context.input
        for (old, new) in configuration.entries {
            guard let i = out.columnIndex(old) else { throw missingColumn(old, in: out, step: Self.kind) }
            out.columns[i].name = new
        }
        return StepOutput(dataset: out)
    }
}
