import SluiceCore
import Testing

@Suite struct ExpressionEvaluationTests {
    typealias F = ExpressionFixture

    @Test(arguments: [
        ("0.1 + 0.2 = 0.3", Value.bool(true)),
        ("0.1 + 0.2", F.decimal("0.3")),
        ("1.10 + 2.205", F.decimal("3.305")),
        ("19.99 * 3", F.decimal("59.97")),
        ("100 * 1.081", F.decimal("108.100")),
        ("10 / 4", F.decimal("2.5")),
        ("1 / 3", F.decimal("0.333333333333")),
        ("2 / 3", F.decimal("0.666666666667")),
        ("7.5 % 2", F.decimal("1.5")),
        ("-7 % 3", .integer(-1)),
        ("9223372036854775807 + 0", .integer(.max)),
        ("1.0 = 1", .bool(true)),
        ("2.50 > 2.4", .bool(true)),
    ])
    func decimalsAreExact(source: String, expected: Value) throws {
        #expect(try F.evaluate(source) == expected, "\(source)")
    }

    @Test func decimalScaleIsKept() throws {
        #expect(try F.evaluate("1.50 + 1.50").description == "3.00")
        #expect(try F.evaluate("Montant * 1.081", ["Montant": F.decimal("100.00")]).description == "108.10000")
        #expect(try F.evaluate("round(Montant * 1.081, 2)", ["Montant": F.decimal("100.00")]).description == "108.10")
    }

    // Three-valued logic: null is neither true nor false.
    @Test(arguments: [
        ("Montant + 1", Value.null),
        ("-Montant", .null),
        ("Montant > 0", .null),
        ("Montant = 0", .null),
        ("Montant != 0", .null),
        ("not (Montant > 0)", .null),
        ("Montant > 0 and false", .bool(false)),
        ("Montant > 0 and true", .null),
        ("Montant > 0 or true", .bool(true)),
        ("Montant > 0 or false", .null),
        ("Montant is null", .bool(true)),
        ("Montant is not null", .bool(false)),
        ("Quantité in (1, 2)", .null),
        ("3 in (1, null)", .null),
        ("1 in (1, null)", .bool(true)),
        ("3 not in (1, null)", .null),
        ("Quantité between 1 and 3", .null),
        ("5 between 1 and Quantité", .null),
        ("5 between 6 and Quantité", .bool(false)),
        ("lower(Pays)", .null),
        ("concat('a', Pays)", .null),
        ("round(Montant, 2)", .null),
        ("coalesce(Montant, Quantité, 7)", .decimal(DecimalNumber(7))),
        ("coalesce(Pays)", .null),
        ("if(Montant > 0, 'yes', 'no')", .string("no")),
        ("if(Actif, 1, 2)", .integer(2)),
        ("year(Date)", .null),
        ("string(Montant)", .null),
    ])
    func nullRules(source: String, expected: Value) throws {
        #expect(try F.evaluate(source) == expected, "\(source)")
    }

    @Test func filterKeepsOnlyTrue() throws {
        let filter = try Expression(parsing: "Montant > 0 and Pays = 'CH'").bind(columns: F.columns)
        #expect(try filter.isTrue(F.row(["Montant": F.decimal("5"), "Pays": .string("CH")])))
        #expect(try !filter.isTrue(F.row(["Montant": F.decimal("5"), "Pays": .string("FR")])))
        #expect(try !filter.isTrue(F.row(["Pays": .string("CH")]))) // null Montant → null → dropped
        let notFilter = try Expression(parsing: "not (Montant > 0)").bind(columns: F.columns)
        #expect(try !notFilter.isTrue(F.row([:])))
        let text = try Expression(parsing: "Pays").bind(columns: F.columns)
        let error = #expect(throws: ExpressionError.self) { try text.isTrue(F.row(["Pays": .string("CH")])) }
        #expect(error == ExpressionError(message: "a condition must give true or false, got text 'CH' in 'Pays'", range: 0 ..< 4))
    }

    @Test(arguments: [
        ("Date + 30", F.date("2026-12-01")),
        ("Date - 1", F.date("2026-10-31")),
        ("Date - date('2026-01-01')", .integer(304)),
        ("add_days(Date, -365)", F.date("2025-11-01")),
        ("days_between(date('2026-01-01'), Date)", .integer(304)),
        ("year(Date) * 10000 + month(Date) * 100 + day(Date)", .integer(20261101)),
        ("weekday(Date)", .integer(7)),
        ("weekday(date('2026-11-02'))", .integer(1)),
        ("date(2024, 2, 29)", F.date("2024-02-29")),
        ("date('2026-11-01') = Date", .bool(true)),
        ("Date = run.date", .bool(true)),
        ("Date < Horodatage", .bool(true)),
        ("date(Horodatage)", F.date("2026-11-01")),
        ("format_date(Date, 'dd.MM.yyyy')", .string("01.11.2026")),
        ("format_date(Date, 'd/M/yy')", .string("1/11/26")),
        ("format_date(Horodatage, 'yyyy-MM-dd HH:mm:ss')", .string("2026-11-01 08:05:09")),
        ("format_date(Horodatage, 'H')", .string("8")),
        ("Horodatage + 1", .datetime(LocalDateTime(iso: "2026-11-02T08:05:09")!)),
    ])
    func dates(source: String, expected: Value) throws {
        let cells: [String: Value] = ["Date": F.date("2026-11-01"), "Horodatage": .datetime(LocalDateTime(iso: "2026-11-01T08:05:09")!)]
        #expect(try F.evaluate(source, cells) == expected, "\(source)")
    }

    @Test(arguments: [
        ("lower('ÉTÉ')", Value.string("été")),
        ("upper(Pays)", .string("CH")),
        ("trim('  a b \t')", .string("a b")),
        ("length('Quantité')", .integer(8)),
        ("substr('Quantité', 6)", .string("ité")),
        ("substr('Quantité', 1, 3)", .string("Qua")),
        ("substr('abc', 0, 2)", .string("ab")),
        ("substr('abc', 5)", .string("")),
        ("contains('Lausanne', 'sann')", .bool(true)),
        ("starts_with(Pays, 'c')", .bool(true)),
        ("ends_with(Pays, 'x')", .bool(false)),
        ("replace('a-b-c', '-', '+')", .string("a+b+c")),
        ("replace('abc', '', 'x')", .string("abc")),
        ("concat(Pays, '-', 42, '-', 1.50, '-', true)", .string("ch-42-1.50-true")),
        ("Pays + '!'", .string("ch!")),
        ("matches('CHE-123.456.789', '^CHE-[0-9]{3}\\.[0-9]{3}\\.[0-9]{3}$')", .bool(true)),
        ("matches(Pays, '^[A-Z]+$')", .bool(false)),
        ("matches('abc', 'b')", .bool(true)),
        ("round(2.5)", .decimal(DecimalNumber(3))),
        ("round(-2.5)", .decimal(DecimalNumber(-3))),
        ("round(1.005, 2)", F.decimal("1.01")),
        ("round(2.5, 2)", F.decimal("2.50")),
        ("round(1250, -2)", .integer(1300)),
        ("round(1234.5, -2)", F.decimal("1200")),
        ("abs(-3)", .integer(3)),
        ("abs(-3.25)", F.decimal("3.25")),
        ("floor(-2.5)", .integer(-3)),
        ("ceil(-2.5)", .integer(-2)),
        ("floor(2.5)", .integer(2)),
        ("ceil(2.1)", .integer(3)),
        ("ceil(7)", .integer(7)),
        ("min(3, 1.5, 2)", F.decimal("1.5")),
        ("max(3, 1.5, 2)", F.decimal("3")),
        ("max('a', 'b')", .string("b")),
        ("min(Date, date('2020-01-01'))", F.date("2020-01-01")),
        ("decimal(' 12.50 ')", F.decimal("12.50")),
        ("decimal(3)", F.decimal("3")),
        ("integer('42')", .integer(42)),
        ("integer(-2.7)", .integer(-2)),
        ("integer('3.9')", .integer(3)),
        ("string(1.50)", .string("1.50")),
        ("string(Date)", .string("2026-11-01")),
        ("coalesce(null, Pays)", .string("ch")),
        ("if(Pays = 'ch', 1, 2.5)", F.decimal("1")),
        ("if(null, 1, 2)", .integer(2)),
    ])
    func functions(source: String, expected: Value) throws {
        let value = try F.evaluate(source, ["Pays": .string("ch"), "Date": F.date("2026-11-01")])
        #expect(value == expected, "\(source) gave \(value)")
        #expect(value.type == expected.type, "\(source) gave \(value.type.map(\.rawValue) ?? "null")")
    }

    @Test(arguments: [
        ("Quantité / 0", "division by zero in 'Quantité / 0'", 0 ..< 12),
        ("Montant % 0", "division by zero in 'Montant % 0'", 0 ..< 11),
        ("1 + Quantité * 9223372036854775807", "integer overflow in 'Quantité * 9223372036854775807'", 4 ..< 34),
        ("Montant * 9223372036854775807", "decimal overflow", 0 ..< 29),
        ("Brut + 1", "operator '+' cannot combine text 'abc' and integer 1 in 'Brut + 1'", 0 ..< 8),
        ("Brut > 5", "cannot compare text 'abc' with integer 5", 0 ..< 8),
        ("Brut and true", "'and' needs true or false, got text 'abc'", 0 ..< 13),
        ("lower(Brut) = 'abc' and length(Quantité + Brut) > 0", "cannot combine integer 2 and text 'abc'", 31 ..< 46),
        ("date(Pays)", "cannot read text 'x' as a date", 0 ..< 10),
        ("decimal(Pays)", "cannot convert text 'x' to decimal", 0 ..< 13),
        ("date(2026, 2, 30)", "2026-2-30 is not a valid date", 0 ..< 17),
        ("substr(Pays, 1, -1)", "length cannot be negative", 0 ..< 19),
        ("add_days(run.date, 99999999)", "date out of range", 0 ..< 28),
        ("year(Brut)", "argument 1 of year(date) must be a date, got text 'abc'", 0 ..< 10),
    ])
    func runtimeErrorsNameTheExpression(source: String, message: String, range: Range<Int>) throws {
        let bound = try Expression(parsing: source).bind(columns: F.columns, variables: F.variables)
        let row = F.row(["Montant": F.decimal("10.5"), "Quantité": .integer(2), "Brut": .string("abc"), "Pays": .string("x")])
        let error = #expect(throws: ExpressionError.self) { try bound.evaluate(row) }
        #expect(error?.message.contains(message) == true, "\(error?.message ?? "no error")")
        #expect(error?.range == range, "\(source): \(String(describing: error?.range))")
    }

    @Test func untypedColumnsWorkWhenValuesFit() throws {
        #expect(try F.evaluate("Brut + 1", ["Brut": .integer(41)]) == .integer(42))
        #expect(try F.evaluate("Brut > 5", ["Brut": F.decimal("5.5")]) == .bool(true))
        #expect(try F.evaluate("upper(Brut)", ["Brut": .string("a")]) == .string("A"))
    }

    @Test func constantFailuresInUntakenBranchesDoNotFailBind() throws {
        let bound = try Expression(parsing: "if(Quantité > 0, Quantité, 1 / 0)").bind(columns: F.columns)
        // The branches unify to decimal, so the integer branch is widened.
        #expect(try bound.evaluate(F.row(["Quantité": .integer(4)])) == .decimal(DecimalNumber(4)))
        #expect(throws: ExpressionError.self) { try bound.evaluate(F.row(["Quantité": .integer(-1)])) }
    }

    @Test func bindEvaluatesOverRows() throws {
        let columns = [Column("Produit", .string), Column("Montant", .decimal), Column("Quantité", .integer)]
        let rows: [[Value]] = [
            [.string("Pomme"), F.decimal("2.50"), .integer(4)],
            [.string("Poire"), F.decimal("3.10"), .integer(0)],
            [.string("Kiwi"), .null, .integer(2)],
            [.string("Prune"), F.decimal("1.05"), .integer(10)],
        ]
        let compute = try Expression(parsing: "round(Montant * Quantité * (1 + taux), 2)")
            .bind(columns: columns, variables: ["taux": F.decimal("0.081")])
        let filter = try Expression(parsing: "Quantité > 0 and Montant is not null and Produit not in ('Prune')")
            .bind(columns: columns)
        #expect(try rows.map(compute.evaluate).map(\.description) == ["10.81", "0.00", "", "11.35"])
        #expect(try rows.filter(filter.isTrue).map { $0[0] } == [.string("Pomme")])
    }

    @Test func columnsMayBeBoundInAnyOrder() throws {
        let expression = try Expression(parsing: "a - b")
        let ab = try expression.bind(columns: [Column("a", .integer), Column("b", .integer)])
        let ba = try expression.bind(columns: [Column("b", .integer), Column("a", .integer)])
        #expect(try ab.evaluate([.integer(10), .integer(3)]) == .integer(7))
        #expect(try ba.evaluate([.integer(10), .integer(3)]) == .integer(-7))
    }

    @Test func variablesAreConstants() throws {
        let bound = try Expression(parsing: "totaux.rows > 0 and run.date >= date('2026-01-01')")
            .bind(columns: [], variables: F.variables)
        #expect(try bound.isTrue([]))
        let none = try Expression(parsing: "totaux.rows > 0").bind(columns: [], variables: ["totaux.rows": .integer(0)])
        #expect(try !none.isTrue([]))
    }
}

@Suite struct BoundExpressionSharingTests {
    @Test func oneBoundExpressionServesConcurrentTasks() async throws {
        let bound = try Expression(parsing: "matches(Code, '^[A-Z]{2}-[0-9]+$') and length(Code) > 3")
            .bind(columns: [Column("Code", .string)])
        let counts = await withTaskGroup(of: Int.self) { group in
            for task in 0 ..< 4 {
                group.addTask {
                    var hits = 0
                    for i in 0 ..< 500 {
                        let code = (i + task) % 2 == 0 ? "CH-\(i)" : "ch-\(i)"
                        if (try? bound.isTrue([.string(code)])) == true { hits += 1 }
                    }
                    return hits
                }
            }
            return await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(counts.reduce(0, +) == 1000)
    }
}
