import Testing
import SluiceErrors

@Suite("InputPlace: where a problem is, rendered around a message")
struct InputPlaceTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var place: InputPlace
        var placed: String
        var described: String
        var testDescription: String { placed }
    }

    static let cases: [Case] = [
        Case(place: InputPlace(file: "ventes.csv", line: 14, column: 9), placed: "ventes.csv:14:9: bad", described: "ventes.csv:14:9"),
        Case(place: InputPlace(line: 3, column: 2), placed: "line 3:2: bad", described: "line 3:2"),
        Case(place: InputPlace(file: "a.eml"), placed: "a.eml: bad", described: "a.eml"),
        Case(place: InputPlace(column: 4, row: 3), placed: "bad", described: "column 4, row 3"),
        Case(place: InputPlace(part: "xl/worksheets/sheet1.xml", cell: "B7"), placed: "bad (part xl/worksheets/sheet1.xml, cell B7)",
             described: "part xl/worksheets/sheet1.xml, cell B7"),
        Case(place: InputPlace(file: "t.xlsx", sheet: "Totaux", cell: "A1"), placed: "t.xlsx: bad (sheet Totaux, cell A1)", described: "t.xlsx, sheet Totaux, cell A1"),
        Case(place: InputPlace(file: "o.json", line: 1, column: 11, byteOffset: 10), placed: "o.json:1:11: bad", described: "o.json:1:11, byte 10"),
        Case(place: InputPlace(), placed: "bad", described: "unknown"),
    ]

    @Test(arguments: cases) func rendersAroundTheMessage(_ c: Case) {
        #expect(c.place.placing("bad") == c.placed)
        #expect(c.place.description == c.described)
        #expect(c.place.isEmpty == (c.described == "unknown"))
    }
}

@Suite("UserFacingError: the detailed description tree")
struct UserFacingErrorTests {
    struct Failure: UserFacingError {
        var code: String
        var message: String
        var place = InputPlace()
        var cause: (any Error & Sendable)?
        var thrownAt = ThrowSite(fileID: "Mod/File.swift", line: 7)
        var description: String { place.placing(message) }
    }

    struct Plain: Error, CustomStringConvertible { var description: String { "disk full" } }

    @Test func nestsCausesThatShareTheShape() {
        let inner = Failure(code: "truncated", message: "the archive ends early", place: InputPlace(part: "a.xml"), cause: Plain(),
                            thrownAt: ThrowSite(fileID: "Mod/Zip.swift", line: 3))
        let outer = Failure(code: "corrupt", message: "the workbook is damaged", place: InputPlace(file: "t.xlsx"), cause: inner)
        #expect(outer.detailedDescription() == """
            Failure: corrupt
            ├─ Message: the workbook is damaged
            ├─ Place: t.xlsx
            ├─ Cause:
            │  └─ Failure: truncated
            │     ├─ Message: the archive ends early
            │     ├─ Place: part a.xml
            │     ├─ Cause: SluiceErrorsTests.UserFacingErrorTests.Plain: disk full
            │     └─ Thrown at: Mod/Zip.swift:3
            └─ Thrown at: Mod/File.swift:7
            """)
    }

    @Test func leavesOutWhatIsNotKnown() {
        let error = Failure(code: "syntax", message: "expected a value")
        #expect(error.detailedDescription() == "Failure: syntax\n├─ Message: expected a value\n└─ Thrown at: Mod/File.swift:7")
    }
}

@Suite("InputPlace: the place in words, as error.json's `place` reads, and back")
struct InputPlaceWordsTests {
    @Test(arguments: [
        ("line 14", InputPlace(file: "f", line: 14)),
        ("line 3, column 5", InputPlace(file: "f", line: 3, column: 5)),
        ("row 7", InputPlace(file: "f", row: 7)),
        ("sheet Totaux 2026, cell B7", InputPlace(file: "f", sheet: "Totaux 2026", cell: "B7")),
        ("header", InputPlace(file: "f", detail: "header")),
        ("item 3", InputPlace(file: "f", detail: "item 3")),
    ])
    func wordsReadIntoFieldsAndBack(_ words: String, _ place: InputPlace) {
        #expect(InputPlace(file: "f", within: words) == place)
        #expect(place.withinFile == words)
    }

    @Test func nothingKnownIsNoWords() {
        #expect(InputPlace(file: "f", within: nil) == InputPlace(file: "f"))
        #expect(InputPlace(file: "f").withinFile == nil)
        #expect(InputPlace(file: "f", within: "row 2, somewhere") == InputPlace(file: "f", detail: "row 2, somewhere"))
    }
}
