import SluiceCore

/// `filter`: keep the rows for which a condition is true.
public struct FilterStep: Step {
    public typealias Configuration = ExpressionSource

    public static let kind = "filter"
    public static let stages: Set<StageName> = [.transform]
    public static let documentation = StepDocumentation(
        summary: "Keeps the rows for which the condition is true. A condition that is null (a comparison with an empty cell) drops the row.",
        fields: [.init("(condition)", "expression", required: true, "Written directly after `filter:`; see Expressions.")],
        example: """
        - filter: Montant > 0 and Pays in ('CH', 'FR')
        """)

    let condition: ExpressionSource
    public init(configuration: Configuration) { condition = configuration }

    public func check(_ context: inout StepCheckContext) {
        if let type = context.check(condition), type != .bool, type != .any {
            context.error("the filter '\(condition.expression.source)' is \(type), not a condition", at: condition.location)
        }
    }

    public func run(_ context: StepContext) throws -> StepOutput {
        let input = context.input
        let bound: BoundExpression
        do { bound = try condition.expression.bind(columns: input.columns) } catch {
            throw StepError(.badInput, "cannot apply filter '\(condition.expression.source)': \(error.message)", file: input.properties["source"])
        }
        var out = Dataset(columns: input.columns, files: input.files, properties: input.properties)
        out.rows.reserveCapacity(input.rows.count)
        var kept: [Int] = []
        for (n, row) in input.rows.enumerated() {
            do {
                if try bound.isTrue(row) { out.rows.append(row); kept.append(n) }
            } catch {
                let number = input.rowNumber(n)
                throw StepError(.badInput, "filter '\(condition.expression.source)' failed on row \(number): \(error.message)",
                                file: input.properties["source"], place: "row \(number)", rows: [number])
            }
        }
        out.rowNumbers = input.numbersOfRows(kept)
        return StepOutput(dataset: out, summary: ["kept": .integer(Int64(out.rows.count)), "dropped": .integer(Int64(input.rows.count - out.rows.count))])
    }
}
