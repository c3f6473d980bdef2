import Testing
@testable import SluiceFormats

@Suite("CSVReader: header names")
struct CSVHeaderNamesTests {
    @Test(arguments: [
        (["Date", "Montant", "Montant"], ["Date", "Montant", "Montant_2"], 1),
        (["Montant", "Montant", "Montant"], ["Montant", "Montant_2", "Montant_3"], 2),
        (["A", "", "C"], ["A", "column2", "C"], 1),
        (["", "  ", "x"], ["column1", "column2", "x"], 2),
        (["A", "A", "A_2"], ["A", "A_3", "A_2"], 1),
        (["", "column1"], ["column1_2", "column1"], 1),
        (["a", "A", " a"], ["a", "A", " a"], 0),
        ([], [], 0),
    ] as [([String], [String], Int)])
    func uniqueNames(raw: [String], expected: [String], warnings: Int) {
        let result = CSVHeaderNames.unique(raw, line: 1, source: "x.csv")
        #expect(result.names == expected)
        #expect(result.warnings.count == warnings)
        #expect(Set(result.names).count == result.names.count)
    }

    @Test func readerReportsRenamesAsWarnings() throws {
        let reader = try CSVReader(bytes: Array("\n\nDate;Montant;;Montant\n1;2;3;4\n".utf8), source: "ventes.csv")
        #expect(reader.header == ["Date", "Montant", "column3", "Montant_2"])
        #expect(reader.warnings.map(\.line) == [3, 3])
        #expect(reader.warnings.map(\.field) == [3, 4])
        #expect(reader.warnings[1].description == "ventes.csv:3: warning: column 4 repeats the header 'Montant' (first in column 2); named it 'Montant_2'")
        #expect(reader.warnings[0].message == "column 3 has an empty header; named it 'column3'")
        #expect(try reader.readAll().map(\.line) == [4])
    }

    @Test func quotedHeaderNames() throws {
        let reader = try CSVReader(bytes: Array("\"Prix, TTC\";\"Nom \"\"court\"\"\"\n1;2\n".utf8))
        #expect(reader.header == ["Prix, TTC", "Nom \"court\""])
    }
}
