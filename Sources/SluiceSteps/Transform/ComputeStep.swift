import SluiceCore

/// `compute`: new or replaced columns from expressions, in the order written.
public struct ComputeStep: Step {
    public typealias Configuration = OrderedMapping<ExpressionSource>

    public static let kind = "compute"
    public static let stages: Set<StageName> = [.transform]
    public static let documentation = StepDocumentation(
        summary: "Adds columns (or replaces them) with the value of an expression per row. Later columns can use earlier ones.",
        fields: [.init("<column>", "expression", required: true, "The column's value for each row.")],
        example: """
        - compute:
            TTC: round(Montant * 1.081, 2)
            Mois: format_date(Date, 'yyyy-MM')
        """)

    let columns: Configuration
    public init(configuration: Configuration) { columns = configuration }

    public func check(_ context: inout StepCheckContext) {
        var schema = context.input ?? .open
        for (name, expression) in columns.entries {
            let type = context.check(expression, schema: schema) ?? .any
            var cols = schema.columns
            if let i = cols.firstIndex(where: { $0.isNamed(name) }) { cols[i].type = type } else { cols.append(Column(name, type)) }
            schema = schema.with(cols)
        }
        context.output = schema
    }

    public func run(_ context: StepContext) throws -> StepOutput {
        var data = context.input
        for (name, expression) in columns.entries {
            let bound: BoundExpression
            do { bound = try expression.expression.bind(columns: data.columns) } catch {
                throw StepError(.badInput, "cannot compute '\(name)': \(error.message)", file: data.properties["source"])
            }
            let target = data.columnIndex(name)
            var type: ColumnType?
            for n in data.rows.indices {
                let v: Value
                do { v = try bound.evaluate(data.rows[n]) } catch {
                    let number = data.rowNumber(n)
                    throw StepError(.badInput, "computing '\(name)' = \(expression.expression.source) failed on row \(number): \(error.message)",
                                    file: data.properties["source"], place: "row \(number)", rows: [number])
                }
                if let t = v.type { type = type == nil || type == t ? t : (t.isNumeric && type!.isNumeric ? .decimal : .any) }
                if let target { data.rows[n][target] = v } else { data.rows[n].append(v) }
            }
            let column = Column(name, type ?? .any)
            if let target { data.columns[target] = column } else { data.columns.append(column) }
        }
        return StepOutput(dataset: data)
    }
}
