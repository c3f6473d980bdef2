import SluiceCore
@testable import SluiceSteps
import Testing

/// Numbers and dates as people write them, read by `validate` (through `ValueParser`).
@Suite struct ValueParserTests {
    static let comma = ValueParser(decimalSeparator: .comma)
    static let dot = ValueParser(decimalSeparator: .dot)

    @Test(arguments: [
        ("1 234,50", "1234.50"), ("1\u{00A0}234,50", "1234.50"), ("1\u{202F}234\u{202F}567,5", "1234567.5"),
        ("1'234,50", "1234.50"), ("1’234,50", "1234.50"), ("-1 234,5", "-1234.5"), ("\u{2212}3,20", "-3.20"),
        ("12", "12"), ("  12,5 ", "12.5"), ("0,5", "0.5"),
        ("8,1%", "0.081"), ("12,5 %", "0.125"), ("12,5\u{202F}%", "0.125"), ("-2%", "-0.02"), ("100%", "1.00"),
    ])
    func decimalCommaForms(text: String, expected: String) throws {
        let d = try #require(Self.comma.decimal(text), "\(text)")
        #expect(d.description == expected, "\(text)")
    }

    @Test(arguments: [("12.5 %", "0.125"), ("8.1%", "0.081"), ("1'234.50", "1234.50"), ("1 234.5", "1234.5"), ("+3.5", "3.5")])
    func decimalDotForms(text: String, expected: String) throws {
        #expect(Self.dot.decimal(text)?.description == expected, "\(text)")
    }

    /// A misplaced grouping character or an exponent is a reject, never a guess.
    @Test(arguments: ["1 23,4", "12 34", "1 2345", "1'23'456", "1  234", " 1 234 ,5", "1 234,5 6", "1e3", "1E3", "1,5e2",
                      "12,", "1,2,3", "1.234,5", "%", "12%%", "abc", "12 CHF", ",", "1 ,5", "5 %3"])
    func decimalRejects(text: String) {
        #expect(Self.comma.decimal(text) == nil, "\(text) → \(String(describing: Self.comma.decimal(text)))")
    }

    @Test func dotColumnsRefuseCommasAndExponents() {
        #expect(Self.dot.decimal("12,5") == nil)
        #expect(Self.dot.decimal("1e3") == nil)
        #expect(Self.dot.decimal("1.2E-2") == nil)
        #expect(Self.dot.decimal("1 23.4") == nil)
    }

    @Test func integersAreGroupedByThreeAndWhole() {
        #expect(Self.comma.integer("1 234") == 1234)
        #expect(Self.comma.integer("1'234'567") == 1_234_567)
        #expect(Self.comma.integer("-12") == -12)
        for bad in ["1 23", "12 34", "1,5", "12%", "1e3", "1 234,0"] {
            #expect(Self.comma.integer(bad) == nil, "\(bad)")
        }
    }

    /// CSV columns are typed only when every value prints back exactly as it was written.
    @Test(arguments: [
        (["08123", "1234"], ColumnType.string), (["0", "10", "-3"], .integer), (["1.50", "2"], .decimal),
        (["007"], .string), (["+5"], .string), (["1e3"], .string), (["-0"], .string), ([".5"], .string),
        (["5."], .string), (["0.5", "-0.25"], .decimal), (["00.5"], .string), (["1 234"], .string),
        (["2026-11-21", ""], .date), (["true", "false"], .bool), (["", ""], .string),
    ])
    func inferKeepsValuesAsWritten(column: [String], expected: ColumnType) {
        #expect(ValueParser.inferType(column) == expected, "\(column)")
    }

    @Test func leadingZeroValuesStayText() {
        let column = ["08123", "1204", "75001"]
        let type = ValueParser.inferType(column)
        #expect(column.map { ValueParser.typed($0, as: type) } == column.map { Value.string($0) })
    }
}
