import SluiceCore

/// `delta`: compares a dataset with the state this pipeline stored at its last successful
/// run, by key columns. The new state is committed only when the run succeeds, so a failed
/// run compares against the same state next time.
public struct DeltaStep: Step {
    public struct Configuration: Decodable, Sendable {
        public var key: [String]
        /// The state's name (default: the step's `as:` name); two pipelines never share states.
        public var state: String?
        /// Columns compared to decide `updated` (default: every column that is not a key).
        public var compare: [String]?
    }

    public static let kind = "delta"
    public static let stages: Set<StageName> = [.transform]
    public static let documentation = StepDocumentation(
        summary: """
        Compares the input with the state stored at the pipeline's last successful run, by `key`. Produces the \
        changed rows (main dataset, with a `change` column: inserted, updated or deleted) and the datasets \
        `<as>.inserted`, `<as>.updated` (new values) and `<as>.deleted` (last known values). The first run sees every \
        row as inserted. The input becomes the new state when the run succeeds. A key that appears twice fails the run.
        """,
        fields: [
            .init("key", "list of columns", required: true, example: "[Produit]", "The columns that identify a row."),
            .init("compare", "list of columns", default: "all other columns", "The columns whose change makes a row `updated`."),
            .init("state", "name", default: "the step's `as:`", "Name under which the state is kept."),
        ],
        example: """
        - delta: { key: [UnitID] }
          as: changes
        """,
        produces: "`<as>.inserted`, `<as>.updated`, `<as>.deleted`")

    let configuration: Configuration
    public init(configuration: Configuration) { self.configuration = configuration }

    public func check(_ context: inout StepCheckContext) {
        let input = context.input ?? .open
        if configuration.key.isEmpty { context.error("'key' needs at least one column", at: ["key"]) }
        for (i, k) in configuration.key.enumerated() { context.requireColumn(k, at: ["key", String(i)]) }
        for (i, k) in (configuration.compare ?? []).enumerated() { context.requireColumn(k, at: ["compare", String(i)]) }
        context.output = input.with(input.columns + [Column("change", .string)])
        context.extras["inserted"] = input
        context.extras["updated"] = input
        context.extras["deleted"] = input
    }

    public func run(_ context: StepContext) throws -> StepOutput {
        let input = context.input
        let source = input.properties["source"]
        let keyIndices = try configuration.key.map { k in
            guard let i = input.columnIndex(k) else { throw missingColumn(k, in: input, step: Self.kind) }
            return i
        }
        let name = configuration.state ?? context.outputName
        let previous = try context.state.committed(name: name) ?? Dataset(columns: input.columns)
        func keyed(_ d: Dataset, _ indices: [Int], what: String) throws -> [[Value]: Int] {
            var map: [[Value]: Int] = [:]
            for (n, row) in d.rows.enumerated() {
                let key = indices.map { row[$0] }
                if let first = map[key] {
                    let rows = [d.rowNumber(first), d.rowNumber(n)]
                    throw StepError(.badInput, "key \(key.map(\.description).joined(separator: ", ")) appears twice in the \(what) (rows \(rows[0]) and \(rows[1]))",
                                    file: source, place: "row \(rows[1])", rows: rows, hint: "keys must be unique; fix the data or choose other key columns")
                }
                map[key] = n
            }
            return map
        }
        let now = try keyed(input, keyIndices, what: "input")
        let previousKeyIndices = configuration.key.map { previous.columnIndex($0) }
        let before: [[Value]: Int] = previousKeyIndices.contains(nil) ? [:] : try keyed(previous, previousKeyIndices.map { $0! }, what: "stored state")
        let compared = (configuration.compare ?? input.columnNames.filter { !configuration.key.contains($0) })
        let pairs: [(Int, Int?)] = try compared.map { c in
            guard let i = input.columnIndex(c) else { throw missingColumn(c, in: input, step: Self.kind) }
            return (i, previous.columnIndex(c))
        }
        var inserted = Dataset(columns: input.columns, properties: input.properties)
        var updated = Dataset(columns: input.columns, properties: input.properties)
        var deleted = Dataset(columns: previous.columns, properties: input.properties)
        var changes = Dataset(columns: input.columns + [Column("change", .string)], properties: input.properties)
        for row in input.rows {
            let key = keyIndices.map { row[$0] }
            guard let old = before[key] else {
                inserted.rows.append(row)
                changes.rows.append(row + [.string("inserted")])
                continue
            }
            let oldRow = previous.rows[old]
            if pairs.contains(where: { i, j in j == nil || !Value.same(row[i], oldRow[j!]) }) {
                updated.rows.append(row)
                changes.rows.append(row + [.string("updated")])
            }
        }
        for row in previous.rows {
            let key = previousKeyIndices.map { $0.map { row[$0] } ?? .null }
            if now[key] == nil {
                deleted.rows.append(row)
                let aligned = input.columns.map { c in previous.columnIndex(c.name).map { row[$0] } ?? .null }
                changes.rows.append(aligned + [.string("deleted")])
            }
        }
        try context.state.stage(name: name, Dataset(columns: input.columns, rows: input.rows))
        return StepOutput(
            dataset: changes, extras: ["inserted": inserted, "updated": updated, "deleted": deleted],
            summary: ["inserted": .integer(Int64(inserted.rows.count)), "updated": .integer(Int64(updated.rows.count)),
                      "deleted": .integer(Int64(deleted.rows.count)), "unchanged": .integer(Int64(input.rows.count - inserted.rows.count - updated.rows.count))])
    }
}
