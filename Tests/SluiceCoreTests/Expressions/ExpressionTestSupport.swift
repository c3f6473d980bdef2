import SluiceCore

/// A small dataset shape shared by the expression tests.
enum ExpressionFixture {
    static let columns: [Column] = [
        Column("Montant", .decimal), Column("Quantité", .integer), Column("Pays", .string),
        Column("Date", .date), Column("Prix unitaire", .decimal), Column("Actif", .bool),
        Column("Brut", .any), Column("Horodatage", .datetime),
    ]

    static let variables: [String: Value] = [
        "totaux.rows": .integer(3), "run.date": .date(LocalDate(year: 2026, month: 11, day: 1)!),
        "totaux.Montant.sum": .decimal(DecimalNumber(parsing: "120.50")!), "seuil": .integer(10),
    ]

    static var scope: ExpressionScope {
        ExpressionScope(columns: .known(columns), variables: variables.mapValues { $0.type ?? .any })
    }

    /// A row in `columns` order; unspecified cells are null.
    static func row(_ cells: [String: Value]) -> [Value] {
        columns.map { cells[$0.name] ?? .null }
    }

    static func evaluate(_ source: String, _ cells: [String: Value] = [:]) throws -> Value {
        try Expression(parsing: source).bind(columns: columns, variables: variables).evaluate(row(cells))
    }

    static func decimal(_ text: String) -> Value { .decimal(DecimalNumber(parsing: text)!) }
    static func date(_ text: String) -> Value { .date(LocalDate(iso: text)!) }
}
