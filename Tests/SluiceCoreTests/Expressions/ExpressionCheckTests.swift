import SluiceCore
import Testing

@Suite struct ExpressionCheckTests {
    let scope = ExpressionFixture.scope

    @Test(arguments: [
        ("Montant * 1.081", ColumnType.decimal),
        ("Quantité * 2", .integer),
        ("Quantité / 2", .decimal),
        ("Quantité + Montant", .decimal),
        ("Pays + '-' + Pays", .string),
        ("Date + 30", .date),
        ("Date - 1", .date),
        ("Date - run.date", .integer),
        ("Horodatage + 1", .datetime),
        ("Montant > 0 and Pays = 'CH'", .bool),
        ("Date < Horodatage", .bool),
        ("totaux.rows > 0", .bool),
        ("totaux.Montant.sum", .decimal),
        ("seuil", .integer),
        ("Brut + 1", .any),
        ("Brut", .any),
        ("null", .any),
        ("coalesce(Quantité, Montant)", .decimal),
        ("coalesce(null, Pays)", .string),
        ("if(Actif, Quantité, 0.5)", .decimal),
        ("if(Actif, Date, Horodatage)", .datetime),
        ("min(Quantité, 3)", .integer),
        ("max(Montant, 3)", .decimal),
        ("round(Montant, 2)", .decimal),
        ("round(Quantité)", .integer),
        ("floor(Montant)", .integer),
        ("length(Pays)", .integer),
        ("format_date(Date, 'dd.MM.yyyy')", .string),
        ("matches(Pays, '^[A-Z]{2}$')", .bool),
        ("date('2026-11-01')", .date),
        ("add_days(Horodatage, 2)", .datetime),
        ("decimal(Pays)", .decimal),
        ("string(Date)", .string),
        ("Montant is null", .bool),
        ("Brut > 3 and Brut", .bool),
    ])
    func resultTypes(source: String, expected: ColumnType) throws {
        #expect(try Expression(parsing: source).check(in: scope) == expected, "\(source)")
    }

    @Test(arguments: [
        ("Montnt > 0", "unknown column 'Montnt'; did you mean 'Montant'?", 0 ..< 6),
        ("Quantite > 0", "unknown column 'Quantite'; did you mean 'Quantité'?", 0 ..< 8),
        ("Pays = 'CH' and `Prix unitair` > 0", "unknown column 'Prix unitair'; did you mean 'Prix unitaire'?", 16 ..< 30),
        ("totuax.rows > 0", "unknown variable 'totuax.rows'; did you mean 'totaux.rows'?", 0 ..< 11),
        ("lowr(Pays)", "unknown function 'lowr'; did you mean 'lower'?", 0 ..< 4),
        ("Pays > 5", "cannot compare string with integer (convert with decimal() or string())", 0 ..< 8),
        ("Date = '2026-11-01'", "cannot compare date with string (convert with date('2026-11-01'))", 0 ..< 19),
        ("Montant + Pays", "operator '+' cannot combine decimal and string; use concat()", 0 ..< 14),
        ("Actif * 2", "operator '*' cannot combine bool and integer", 0 ..< 9),
        ("Pays - 'x'", "operator '-' cannot combine string and string", 0 ..< 10),
        ("Montant > 0 and Quantité", "'and' needs a true/false condition, got integer", 16 ..< 24),
        ("not Pays", "'not' needs a true/false condition, got string", 4 ..< 8),
        ("-Pays", "cannot negate a string value", 0 ..< 5),
        ("Montant = null", "a comparison with null is never true; use 'is null'", 0 ..< 14),
        ("Actif < true", "cannot order booleans", 0 ..< 12),
        ("Pays in ('CH', 3)", "cannot compare string with integer", 15 ..< 16),
        ("Quantité between 1 and 'z'", "cannot compare integer with string", 0 ..< 26),
        ("round(Pays)", "argument 1 of round(number, digits?) must be a number, got string", 6 ..< 10),
        ("round(Montant, 1.5)", "argument 2 of round(number, digits?) must be an integer, got decimal", 15 ..< 18),
        ("lower(Pays, Pays)", "wrong number of arguments: lower(text) was given 2 arguments", 0 ..< 17),
        ("if(Pays, 1, 2)", "the condition of if() needs a true/false condition, got string", 3 ..< 7),
        ("if(Actif, 1, 'x')", "mix integer and string", 13 ..< 16),
        ("coalesce(Pays, Date)", "mix string and date", 15 ..< 19),
        ("matches(Pays, '(')", "invalid regular expression '('", 14 ..< 17),
        ("matches(Pays, Pays)", "must be a literal string", 14 ..< 18),
        ("format_date(Date, 'DD.MM.YYYY')", "'DD' is not a field", 18 ..< 30),
        ("date('2026-02-30')", "'2026-02-30' is not a date", 5 ..< 17),
        ("date(2026, 2)", "wrong number of arguments", 0 ..< 13),
        ("year(Pays)", "must be a date, got string", 5 ..< 9),
        ("min(Actif, true)", "must be a number, text or date, got bool", 4 ..< 9),
    ])
    func checkErrors(source: String, message: String, range: Range<Int>) throws {
        let expression = try Expression(parsing: source)
        let error = #expect(throws: ExpressionError.self) { try expression.check(in: scope) }
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "no error")")
        #expect(error?.range == range, "\(source): \(String(describing: error?.range))")
    }

    @Test func singleNamesPreferColumnsThenVariables() throws {
        let scope = ExpressionScope(columns: .known([Column("rows", .string)]), variables: ["rows": .integer, "n": .integer])
        #expect(try Expression(parsing: "rows").check(in: scope) == .string)
        #expect(try Expression(parsing: "n").check(in: scope) == .integer)
    }

    @Test func openSchemaAcceptsAnyColumnAsUntyped() throws {
        let scope = ExpressionScope(columns: .open, variables: ["run.date": .date])
        #expect(try Expression(parsing: "Anything + 1").check(in: scope) == .any)
        #expect(try Expression(parsing: "Anything > run.date").check(in: scope) == .bool)
        let error = #expect(throws: ExpressionError.self) { try Expression(parsing: "run.dat").check(in: scope) }
        #expect(error?.message == "unknown variable 'run.dat'; did you mean 'run.date'?")
    }

    @Test func unknownVariableWithoutVariablesSaysSo() throws {
        let scope = ExpressionScope(columns: .known([]))
        let error = #expect(throws: ExpressionError.self) { try Expression(parsing: "totaux.rows > 0").check(in: scope) }
        #expect(error?.message == "unknown variable 'totaux.rows' (no variables are available here)")
    }

    @Test func bindChecksToo() throws {
        let expression = try Expression(parsing: "Montnt > 0")
        let error = #expect(throws: ExpressionError.self) { try expression.bind(columns: ExpressionFixture.columns) }
        #expect(error?.message.contains("did you mean 'Montant'?") == true)
    }
}
