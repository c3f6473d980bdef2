import Testing
@testable import SluiceFormats

@Suite("CSVReader: delimiter detection")
struct CSVDelimiterDetectorTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var input: String
        var expected: CSVDelimiter
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "semicolon", input: "Date;Produit;Montant\n2024-01-02;Café;3\n2024-01-03;Thé;4\n", expected: .semicolon),
        Case(name: "comma", input: "Date,Produit,Montant\n2024-01-02,Café,3\n2024-01-03,Thé,4\n", expected: .comma),
        Case(name: "tab", input: "Date\tProduit\tMontant\n2024-01-02\tCafé\t3\n", expected: .tab),
        Case(name: "semicolon with decimal commas", input: "Produit;Montant\nA;1,50\nB;2,30\nC;12\n", expected: .semicolon),
        Case(name: "semicolon vs comma tie goes to semicolon", input: "A;1,50\nB;2,30\n", expected: .semicolon),
        Case(name: "comma with quoted semicolons", input: "nom,note\n\"a;b;c\",x\n\"d;e\",y\n", expected: .comma),
        Case(name: "semicolon with quoted commas and newlines", input: "nom;adresse\nA;\"1, rue X,\nParis\"\nB;\"2, rue Y\"\n", expected: .semicolon),
        Case(name: "comma with unquoted semicolons in text", input: "Name,Note\nA,x;y\nB,z;w;v\n", expected: .comma),
        Case(name: "tab with commas in values", input: "a\tb\tc\n1,5\t2,5\t3\n4\t5\t6\n", expected: .tab),
        Case(name: "inconsistent: header width decides", input: "a;b;c\n1;2;3\n4;5\n6;7;8;9\n", expected: .semicolon),
        Case(name: "header only", input: "a,b,c", expected: .comma),
        Case(name: "one column keeps values whole", input: "Montant\n1,50\n2,30\n", expected: .semicolon),
        Case(name: "CRLF and BOM", input: "\u{FEFF}x;y\r\n1;2\r\n", expected: .semicolon),
    ]

    @Test(arguments: cases)
    func detects(_ c: Case) throws {
        let reader = try CSVReader(bytes: Array(c.input.utf8))
        #expect(reader.delimiter == c.expected)
        #expect(reader.delimiterWasDetected)
    }

    @Test func oneColumnFileReadsValuesWhole() throws {
        let reader = try CSVReader(bytes: Array("Montant\n1,50\n2,30\n".utf8))
        #expect(try reader.readAll().map(\.fields) == [["1,50"], ["2,30"]])
    }

    @Test func explicitDelimiterIsNotDetected() throws {
        let reader = try CSVReader(bytes: Array("a;b\n1;2\n".utf8), options: .init(delimiter: .comma))
        #expect(reader.delimiter == .comma)
        #expect(!reader.delimiterWasDetected)
        #expect(reader.header == ["a;b"])
    }

    @Test func detectionLooksPastTheSampleCut() throws {
        // More than 64 KiB: the sample ends inside a record and inside a quoted field.
        var text = "id;texte\n"
        for n in 0..<3000 { text += "\(n);\"ligne, avec virgule \(n)\n et retour\"\n" }
        let reader = try CSVReader(bytes: Array(text.utf8))
        #expect(reader.delimiter == .semicolon)
        #expect(try reader.readAll().count == 3000)
    }
}
