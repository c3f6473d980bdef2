import SluiceCore
import Testing

/// Prints evaluations per second (no timing assertion). For a meaningful number run it in
/// release: `swift test -c release --scratch-path .build-expr --filter ExpressionThroughput`.
@Suite struct ExpressionThroughputTests {
    @Test(arguments: ["Montant > 0", "Montant > 0 and Pays = 'CH'", "Montant * 1.081", "Quantité * 2 + 1", "coalesce(Pays, 'x')"])
    func throughput(source: String) throws {
        let columns = [Column("Montant", .decimal), Column("Pays", .string), Column("Quantité", .integer)]
        var rows: [[Value]] = []
        for i in 0 ..< 1000 {
            let amount = DecimalNumber(significand: Int64(i * 37 % 2000 - 500), scale: 2)
            let country = i % 3 == 0 ? "CH" : "FR"
            rows.append([.decimal(amount), .string(country), .integer(Int64(i))])
        }
        let bound = try Expression(parsing: source).bind(columns: columns)
        let passes = 200
        var nonNull = 0
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            for _ in 0 ..< passes {
                for row in rows where try !bound.evaluate(row).isNull { nonNull += 1 }
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let count = passes * rows.count
        print("expression throughput: \(source): \(Int(Double(count) / seconds)) evaluations/s")
        #expect(nonNull == count)
    }
}
