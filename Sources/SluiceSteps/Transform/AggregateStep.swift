import SluiceCore

/// `aggregate`: group rows and total them.
public struct AggregateStep: Step {
    public struct Configuration: Decodable, Sendable {
        public var by: [String]?
        public var sum: [String]?
        public var avg: [String]?
        public var min: [String]?
        public var max: [String]?
        /// `true` for a `count` column, or the column's name.
        public var count: CountSetting?
        /// Also produce `<as>.totals`: one row of grand totals.
        public var totals: Bool?
        /// Append a grand-total row labelled with this text in the first `by` column.
        public var totalsRow: String?
    }

    public enum CountSetting: Decodable, Sendable {
        case named(String)
        case off

        public init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let b = try? c.decode(Bool.self) { self = b ? .named("count") : .off } else { self = .named(try c.decode(String.self)) }
        }

        var name: String? { if case let .named(n) = self { n } else { nil } }
    }

    public static let kind = "aggregate"
    public static let stages: Set<StageName> = [.transform]
    public static let documentation = StepDocumentation(
        summary: """
        Groups rows by the `by` columns (sorted by them) and computes, per group: `sum` (the column keeps its name), \
        `avg`, `min`, `max` (named `<column>_avg`, ...), and `count`. Sums are exact: integers stay integers, \
        decimals keep every digit. Empty cells are left out of sums, averages, minimums and maximums. Without `by`, \
        the one row of totals is written also over no rows (sums and counts 0, averages, minimums and maximums empty).
        """,
        fields: [
            .init("by", "list of columns", example: "[Produit]", "Group by these columns; without it, one row for the whole input."),
            .init("sum", "list of columns", example: "[Montant]", "Columns to add up."),
            .init("avg", "list of columns", "Columns to average (exact decimal, 12 digits after the point at most)."),
            .init("min", "list of columns", "Smallest value per group."),
            .init("max", "list of columns", "Largest value per group."),
            .init("count", "true or a name", default: "false", "Add a column with the number of rows per group."),
            .init("totals", "bool", default: "false", "Also produce the dataset `<as>.totals` with the grand totals."),
            .init("totals-row", "text", "Append a grand-total row, labelled with this text in the first `by` column."),
        ],
        example: """
        - aggregate: { by: [Produit], sum: [Montant], count: Ventes, totals: true }
          as: totaux
        """,
        produces: "`<as>.totals` when `totals: true`")

    let configuration: Configuration
    public init(configuration: Configuration) { self.configuration = configuration }

    struct Plan {
        var by: [Int]
        var measures: [(function: String, column: Int, name: String)]
        var count: String?
    }

    var functions: [(String, [String])] {
        [("sum", configuration.sum ?? []), ("avg", configuration.avg ?? []), ("min", configuration.min ?? []), ("max", configuration.max ?? [])]
    }

    func outputName(_ function: String, _ column: String) -> String { function == "sum" ? column : column + "_" + function }

    public func check(_ context: inout StepCheckContext) {
        let input = context.input ?? .open
        var out: [Column] = []
        for (i, b) in (configuration.by ?? []).enumerated() where context.requireColumn(b, at: ["by", String(i)]) {
            out.append(Column(b, input.type(of: b) ?? .any))
        }
        for (function, cols) in functions {
            for (i, c) in cols.enumerated() where context.requireColumn(c, at: [function, String(i)]) {
                let t = input.type(of: c) ?? .any
                if (function == "sum" || function == "avg") && !(t.isNumeric || t == .any) {
                    context.error("cannot \(function) column '\(c)': it holds \(t), not numbers", at: [function, String(i)])
                }
                out.append(Column(outputName(function, c), function == "avg" ? .decimal : t))
            }
        }
        if let n = configuration.count?.name { out.append(Column(n, .integer)) }
        if out.isEmpty { context.error("say what to compute: by, sum, avg, min, max or count") }
        context.output = .known(out)
        if configuration.totals == true { context.extras["totals"] = .known(out) }
    }

    public func run(_ context: StepContext) throws -> StepOutput {
        let input = context.input
        func index(_ name: String) throws -> Int {
            guard let i = input.columnIndex(name) else { throw missingColumn(name, in: input, step: Self.kind) }
            return i
        }
        var plan = Plan(by: try (configuration.by ?? []).map(index), measures: [], count: configuration.count?.name)
        for (function, cols) in functions {
            for c in cols { plan.measures.append((function, try index(c), outputName(function, c))) }
        }
        for m in plan.measures where m.function == "sum" || m.function == "avg" {
            if let bad = input.rows.firstIndex(where: { !$0[m.column].isNull && $0[m.column].decimalValue == nil }) {
                throw StepError(.badInput, "cannot \(m.function) column '\(input.columns[m.column].name)': row \(input.rowNumber(bad)) holds '\(input.rows[bad][m.column])', not a number",
                                file: input.properties["source"], place: "row \(input.rowNumber(bad))", rows: [input.rowNumber(bad)],
                                hint: "add a `validate` step with `type: decimal` for this column before aggregating")
            }
        }
        // Group.
        var groups: [[Value]: Accumulator] = [:]
        var keys: [[Value]] = []
        var grand = Accumulator(measures: plan.measures.count)
        for row in input.rows {
            let key = plan.by.map { row[$0] }
            if groups[key] == nil { groups[key] = Accumulator(measures: plan.measures.count); keys.append(key) }
            try groups[key]!.add(row, plan)
            try grand.add(row, plan)
        }
        keys.sort { a, b in
            for (x, y) in zip(a, b) { let o = Value.order(x, y); if o != 0 { return o < 0 } }
            return false
        }
        var columns = plan.by.map { input.columns[$0] }
        for m in plan.measures {
            let t = input.columns[m.column].type
            columns.append(Column(m.name, m.function == "avg" ? .decimal : (m.function == "sum" && t == .any ? .decimal : t)))
        }
        if let n = plan.count { columns.append(Column(n, .integer)) }
        var out = Dataset(columns: columns, properties: input.properties)
        for key in keys { out.rows.append(try key + groups[key]!.values(plan)) }
        var extras: [String: Dataset] = [:]
        let totals = try grand.values(plan, types: columns.suffix(plan.measures.count + (plan.count == nil ? 0 : 1)).map(\.type))
        // Without `by`, the whole input is one group, also when it has no rows: its totals
        // (0 for sums and counts, empty for averages, minimums and maximums) are the answer.
        if plan.by.isEmpty && keys.isEmpty { out.rows.append(totals) }
        if configuration.totals == true {
            extras["totals"] = Dataset(columns: columns, rows: [plan.by.map { _ in Value.null } + totals])
        }
        if let label = configuration.totalsRow {
            out.rows.append(plan.by.enumerated().map { i, _ in i == 0 ? .string(label) : .null } + totals)
        }
        return StepOutput(dataset: out, extras: extras, summary: ["groups": .integer(Int64(keys.count))])
    }

    struct Accumulator {
        var sums: [DecimalNumber]
        var allIntegers: [Bool]
        var counts: [Int64]
        var mins: [Value]
        var maxs: [Value]
        var rows: Int64 = 0

        init(measures: Int) {
            sums = Array(repeating: DecimalNumber(0), count: measures)
            allIntegers = Array(repeating: true, count: measures)
            counts = Array(repeating: 0, count: measures)
            mins = Array(repeating: .null, count: measures)
            maxs = Array(repeating: .null, count: measures)
        }

        mutating func add(_ row: [Value], _ plan: Plan) throws {
            rows += 1
            for (i, m) in plan.measures.enumerated() {
                let v = row[m.column]
                if v.isNull { continue }
                counts[i] += 1
                switch m.function {
                case "sum", "avg":
                    if case .decimal = v { allIntegers[i] = false }
                    do { sums[i] = try DecimalNumber.add(sums[i], v.decimalValue!) } catch {
                        throw StepError(.badInput, "the sum of '\(m.name)' is too large for exact decimals")
                    }
                case "min":
                    if mins[i].isNull || Value.order(v, mins[i]) < 0 { mins[i] = v }
                default:
                    if maxs[i].isNull || Value.order(v, maxs[i]) > 0 { maxs[i] = v }
                }
            }
        }

        /// The group's figures; `types` (the output columns' types, when known) makes a sum
        /// over no value a decimal 0 in a decimal column.
        func values(_ plan: Plan, types: [ColumnType]? = nil) throws -> [Value] {
            var out: [Value] = []
            for (i, m) in plan.measures.enumerated() {
                switch m.function {
                case "sum" where counts[i] == 0 && types?[i] == .decimal: out.append(.decimal(DecimalNumber(0)))
                case "sum": out.append(allIntegers[i] ? .integer(sums[i].significand) : .decimal(sums[i]))
                case "avg": out.append(counts[i] == 0 ? .null : .decimal(try DecimalNumber.divide(sums[i], DecimalNumber(counts[i]))))
                case "min": out.append(mins[i])
                default: out.append(maxs[i])
                }
            }
            if plan.count != nil { out.append(.integer(rows)) }
            return out
        }
    }
}
