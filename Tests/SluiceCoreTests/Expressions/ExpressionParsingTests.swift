import SluiceCore
import Testing

@Suite struct ExpressionParsingTests {
    @Test(arguments: [
        ("1 + 2 * 3", Value.integer(7)),
        ("(1 + 2) * 3", .integer(9)),
        ("10 - 4 - 3", .integer(3)),
        ("20 / 4 / 5", .decimal(DecimalNumber(1))),
        ("-2 * 3", .integer(-6)),
        ("- (2 + 3)", .integer(-5)),
        ("7 % 4 + 1", .integer(4)),
        ("1 + 2 = 3", .bool(true)),
        ("not 1 = 2", .bool(true)),
        ("true or false and false", .bool(true)),
        ("(true or false) and false", .bool(false)),
        ("not true or true", .bool(true)),
        ("not (true or true)", .bool(false)),
        ("1 < 2 and 2 <= 2 and 3 > 2 and 3 >= 3", .bool(true)),
        ("1 == 1 and 1 != 2 and 1 <> 2", .bool(true)),
        ("2 in (1, 2, 3)", .bool(true)),
        ("5 not in (1, 2, 3)", .bool(true)),
        ("2 between 1 and 3 and true", .bool(true)),
        ("4 not between 1 and 3", .bool(true)),
        ("null is null and 1 is not null", .bool(true)),
        ("TRUE AND NOT FALSE", .bool(true)),
        ("'it''s'", .string("it's")),
        ("\"say \"\"hi\"\"\"", .string("say \"hi\"")),
        ("3.50", .decimal(DecimalNumber(significand: 350, scale: 2))),
        ("-3.50", .decimal(DecimalNumber(significand: -350, scale: 2))),
        ("UPPER('a') = 'A'", .bool(true)),
    ])
    func precedence(source: String, expected: Value) throws {
        let value = try ExpressionFixture.evaluate(source)
        #expect(value == expected, "\(source)")
    }

    @Test(arguments: [
        ("", "empty expression", 0 ..< 0),
        ("1 +", "expected a value", 3 ..< 3),
        ("(1 + 2", "expected ')'", 6 ..< 6),
        ("Montant > 0 Pays", "unexpected 'Pays'", 12 ..< 16),
        ("'abc", "unterminated string", 0 ..< 4),
        ("`Prix", "unterminated name", 0 ..< 5),
        ("1 < 2 < 3", "cannot be chained", 6 ..< 7),
        ("a && b", "write 'and'", 2 ..< 4),
        ("a || b", "write 'or'", 2 ..< 4),
        ("!a", "write 'not'", 0 ..< 1),
        ("x in 1, 2", "expected '('", 5 ..< 6),
        ("x is 3", "expected 'null'", 5 ..< 6),
        ("x between 1 or 2", "expected 'and'", 12 ..< 14),
        ("3abc", "cannot start with a digit", 0 ..< 2),
        ("99999999999999999999", "too large", 0 ..< 20),
        ("Prix # 2", "unexpected character '#'", 5 ..< 6),
        ("round(1,", "expected a value", 8 ..< 8),
        ("totaux.", "expected a name after '.'", 7 ..< 7),
        ("Quantité é @", "unexpected character '@'", 11 ..< 12),
    ])
    func syntaxErrors(source: String, message: String, range: Range<Int>) {
        #expect {
            _ = try Expression(parsing: source)
        } throws: { error in
            guard let error = error as? ExpressionError else { return false }
            return error.message.contains(message) && error.range == range
        }
    }

    @Test func syntaxErrorReportsCharacterOffsetsAfterNonASCII() throws {
        // 'é' is one character: the '?' is at offset 11.
        let error = #expect(throws: ExpressionError.self) { try Expression(parsing: "Quantité > ?") }
        #expect(error?.range == 11 ..< 12)
        #expect(error?.caretLine(for: "Quantité > ?") == "Quantité > ?\n           ^")
    }

    @Test func namesUnicodeBackticksAndPaths() throws {
        let e = try Expression(parsing: "Quantité * `Prix unitaire` > totaux.Montant.sum and `Prix unitaire` > run.date")
        #expect(e.referencedNames == ["Quantité", "Prix unitaire", "totaux.Montant.sum", "run.date"])
        let quoted = try Expression(parsing: "`a``b` = 1")
        #expect(quoted.referencedNames == ["a`b"])
        let dotted = try Expression(parsing: "totaux.`Prix unitaire`.sum > 0")
        #expect(dotted.referencedNames == ["totaux.Prix unitaire.sum"])
    }

    @Test func functionNamesAreNotNames() throws {
        let e = try Expression(parsing: "round(Montant, 2) > year(Date) and COALESCE(Pays, 'CH') = 'CH'")
        #expect(e.referencedNames == ["Montant", "Date", "Pays"])
    }

    @Test func equalityAndDescriptionFollowTheSource() throws {
        let a = try Expression(parsing: "Montant > 0")
        let b = try Expression(parsing: "Montant > 0")
        #expect(a == b)
        #expect(Set([a, b]).count == 1)
        #expect(a.description == "Montant > 0")
        #expect(a.source == "Montant > 0")
    }
}
