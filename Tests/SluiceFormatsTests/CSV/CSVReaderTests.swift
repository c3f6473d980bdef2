import Foundation
import Testing
@testable import SluiceFormats

/// Reads `text` (UTF-8) with the given options and returns the reader and all records.
func readCSV(_ text: String, _ options: CSVReader.Options = .init(delimiter: .comma)) throws -> (CSVReader, [CSVRecord]) {
    let reader = try CSVReader(bytes: Array(text.utf8), source: "test.csv", options: options)
    return (reader, try reader.readAll())
}

@Suite("CSVReader: RFC 4180 quoting and lines")
struct CSVReaderTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var input: String
        var rows: [[String]]
        var testDescription: String { name }
    }

    static let quotingCases: [Case] = [
        Case(name: "plain", input: "a,b\n1,2\n", rows: [["1", "2"]]),
        Case(name: "quoted field", input: "a,b\n\"x\",y\n", rows: [["x", "y"]]),
        Case(name: "doubled quotes", input: "a,b\n\"say \"\"hi\"\"\",y\n", rows: [["say \"hi\"", "y"]]),
        Case(name: "delimiter inside quotes", input: "a,b\n\"1,5\",y\n", rows: [["1,5", "y"]]),
        Case(name: "LF inside quotes", input: "a,b\n\"line1\nline2\",y\n", rows: [["line1\nline2", "y"]]),
        Case(name: "CRLF inside quotes kept", input: "a,b\r\n\"l1\r\nl2\",y\r\n", rows: [["l1\r\nl2", "y"]]),
        Case(name: "CRLF endings", input: "a,b\r\n1,2\r\n3,4\r\n", rows: [["1", "2"], ["3", "4"]]),
        Case(name: "CR endings", input: "a,b\r1,2\r3,4", rows: [["1", "2"], ["3", "4"]]),
        Case(name: "mixed endings", input: "a,b\n1,2\r\n3,4\r5,6", rows: [["1", "2"], ["3", "4"], ["5", "6"]]),
        Case(name: "last line without newline", input: "a,b\n1,2", rows: [["1", "2"]]),
        Case(name: "trailing empty fields kept", input: "a,b,c\n1,,\n", rows: [["1", "", ""]]),
        Case(name: "empty quoted field", input: "a,b\n\"\",x\n", rows: [["", "x"]]),
        Case(name: "only quotes", input: "a\n\"\"\"\"\n", rows: [["\""]]),
        Case(name: "stray quote in unquoted field kept", input: "a,b\n5\",x\"y\n", rows: [["5\"", "x\"y"]]),
        Case(name: "text after closing quote appended", input: "a,b\n\"ab\"c,d\n", rows: [["abc", "d"]]),
        Case(name: "space before quote makes it literal", input: "a,b\n \"x\",y\n", rows: [[" \"x\"", "y"]]),
        Case(name: "spaces kept", input: "a,b\n  x , y \n", rows: [["  x ", " y "]]),
        Case(name: "empty lines skipped", input: "a,b\n\n1,2\n\r\n\n3,4\n\n", rows: [["1", "2"], ["3", "4"]]),
        Case(name: "delimiter-only line is a record", input: "a,b\n,\n", rows: [["", ""]]),
        Case(name: "unicode", input: "nom,ville\nZoë,Zürich 🇨🇭\n", rows: [["Zoë", "Zürich 🇨🇭"]]),
        Case(name: "trailing delimiter at end of file", input: "a,b\n1,", rows: [["1", ""]]),
    ]

    @Test(arguments: quotingCases)
    func quoting(_ c: Case) throws {
        let (_, records) = try readCSV(c.input)
        #expect(records.map(\.fields) == c.rows)
    }

    @Test func recordsCarryTheLineWhereTheyStart() throws {
        let text = "h1,h2\n\na,\"multi\nline\"\nb,c\r\n\"x\r\ny\",z\nlast,one"
        let (_, records) = try readCSV(text)
        #expect(records.map(\.line) == [3, 5, 6, 8])
    }

    @Test func emptyLinesCanBeKept() throws {
        let (_, records) = try readCSV("a,b\n1,2\n\n3,4\n", .init(delimiter: .comma, skipEmptyLines: false))
        #expect(records.map(\.fields) == [["1", "2"], ["", ""], ["3", "4"]])
        #expect(records.map(\.line) == [2, 3, 4])
        #expect(records[1].isPadded && records[1].fieldCount == 1)
    }

    @Test(arguments: [
        ("a,b\n1,\"open\n2,3\n", 2, 3),
        ("\"never closed", 1, 1),
        ("a,b\n1,2\n3,4\nx,\"y\n", 4, 3),
        ("a,b\n\"ok\r\nstill\",1\n2,\"bad", 4, 3),
    ])
    func unterminatedQuoteNamesTheLineWhereItOpened(input: String, line: Int, column: Int) throws {
        // The first record is read when the reader is made (it sizes the columns), so the
        // error may come from either step.
        let error = try #require(throws: CSVError.self) {
            try CSVReader(bytes: Array(input.utf8), source: "ventes.csv", options: .init(delimiter: .comma, header: .none)).readAll()
        }
        #expect(error.code == .unterminatedQuote)
        #expect(error.line == line)
        #expect(error.column == column)
        #expect(error.description.hasPrefix("ventes.csv:\(line):\(column): unterminated quoted field"))
    }

    @Test func iteratorStopsAfterAnUnterminatedQuote() throws {
        let reader = try CSVReader(bytes: Array("a\n1\n\"2\n3\n".utf8), options: .init(delimiter: .comma))
        var iterator = reader.makeIterator()
        #expect(try iterator.next()?.fields == ["1"])
        #expect(throws: CSVError.self) { try iterator.next() }
        #expect(try iterator.next() == nil)
    }

    @Test func headerNamesAndDefaults() throws {
        let (reader, records) = try readCSV("Date,Produit,Montant\n2024-01-02,Café,3.50\n")
        #expect(reader.header == ["Date", "Produit", "Montant"])
        #expect(reader.warnings.isEmpty)
        #expect(records.count == 1)
        #expect(records[0][2] == "3.50")
        #expect(records[0][7] == "")
    }

    @Test func noHeaderNamesColumnsAfterTheFirstRecord() throws {
        let (reader, records) = try readCSV("1,2,3\n4,5,6\n", .init(delimiter: .comma, header: .none))
        #expect(reader.header == ["column1", "column2", "column3"])
        #expect(records.map(\.fields) == [["1", "2", "3"], ["4", "5", "6"]])
        #expect(records.map(\.line) == [1, 2])
    }

    @Test func shortRecordsArePaddedAndFlagged() throws {
        let (_, records) = try readCSV("a,b,c\n1\n1,2,3\n")
        #expect(records[0].fields == ["1", "", ""])
        #expect(records[0].isPadded)
        #expect(records[0].fieldCount == 1)
        #expect(!records[1].isPadded && !records[1].hasExtraFields)
    }

    @Test func extraFieldsAreKeptAndFlaggedByDefault() throws {
        let (_, records) = try readCSV("a,b\n1,2,3,4\n")
        #expect(records[0].fields == ["1", "2", "3", "4"])
        #expect(records[0].hasExtraFields)
        #expect(records[0].fieldCount == 4 && records[0].expectedFieldCount == 2)
    }

    @Test func extraFieldsCanBeAnError() throws {
        let reader = try CSVReader(
            bytes: Array("a,b\n1,2\n1,2,3\n4,5\n".utf8), source: "ventes.csv", options: .init(delimiter: .comma, extraFields: .error))
        var iterator = reader.makeIterator()
        #expect(try iterator.next()?.fields == ["1", "2"])
        let error = try #require(throws: CSVError.self) { try iterator.next() }
        #expect(error.code == .tooManyFields)
        #expect(error.line == 3)
        #expect(error.description.hasPrefix("ventes.csv:3: record has 3 fields but the header has 2"))
        // The bad record was consumed; iteration goes on.
        #expect(try iterator.next()?.fields == ["4", "5"])
    }

    @Test func emptyInputHasNoHeaderAndNoRecords() throws {
        for text in ["", "\n\n", "\r\n"] {
            let (reader, records) = try readCSV(text)
            #expect(reader.header.isEmpty)
            #expect(records.isEmpty)
        }
    }

    @Test func blankRecordIsDetected() throws {
        let (_, records) = try readCSV("a;b;c\n;;\n1;;\n", .init(delimiter: .semicolon))
        #expect(records.map(\.isBlank) == [true, false])
    }

    @Test func iteratorsAreIndependent() throws {
        let reader = try CSVReader(bytes: Array("a\n1\n2\n".utf8), options: .init(delimiter: .comma))
        var first = reader.makeIterator()
        _ = try first.next()
        var second = reader.makeIterator()
        #expect(try second.next()?.fields == ["1"])
        #expect(try first.next()?.fields == ["2"])
    }

    @Test func otherDelimiters() throws {
        let (_, pipe) = try readCSV("a|b\n\"x|y\"|z\n", .init(delimiter: .pipe))
        #expect(pipe.map(\.fields) == [["x|y", "z"]])
        let (_, tab) = try readCSV("a\tb\n1\t\"2\t3\"\n", .init(delimiter: .tab))
        #expect(tab.map(\.fields) == [["1", "2\t3"]])
    }

    @Test func delimiterFromText() {
        #expect(CSVDelimiter(";") == .semicolon)
        #expect(CSVDelimiter("\t") == .tab)
        #expect(CSVDelimiter("tab") == .tab)
        #expect(CSVDelimiter("|") == .pipe)
        #expect(CSVDelimiter("\"") == nil)
        #expect(CSVDelimiter("\n") == nil)
        #expect(CSVDelimiter("ab") == nil)
        #expect(CSVDelimiter("é") == nil)
        #expect(CSVDelimiter("a") == nil)
    }

    @Test func readsFromAFileAndNamesItInErrors() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-csv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("clients.csv").path
        try Data("id;nom\n1;Zoé\n".utf8).write(to: URL(fileURLWithPath: good))
        let reader = try CSVReader(path: good)
        #expect(reader.source == "clients.csv")
        #expect(reader.delimiter == .semicolon)
        #expect(try reader.readAll().map(\.fields) == [["1", "Zoé"]])

        let bad = directory.appendingPathComponent("ventes.csv").path
        try Data("a;b\n1;2\n3;\"oops\n".utf8).write(to: URL(fileURLWithPath: bad))
        let error = try #require(throws: CSVError.self) { try CSVReader(path: bad).readAll() }
        #expect(error.description.hasPrefix("ventes.csv:3:3: "))

        let missing = try #require(throws: CSVError.self) { try CSVReader(path: directory.appendingPathComponent("none.csv").path) }
        #expect(missing.code == .fileSystem)
        #expect(missing.message.contains("none.csv"))
    }

    @Test("a record's row is the row a spreadsheet shows it on: header and empty lines count, quoted line breaks do not")
    func spreadsheetRows() throws {
        let text = "a,b\r\n1,2\r\n\r\n\"two\nlines\",3\r\n4,5\r\n\n\n6,7"
        let (_, records) = try readCSV(text)
        #expect(records.map(\.fields) == [["1", "2"], ["two\nlines", "3"], ["4", "5"], ["6", "7"]])
        #expect(records.map(\.row) == [2, 4, 5, 8])
        #expect(records.map(\.line) == [2, 4, 6, 9])
        let (_, kept) = try readCSV(text, .init(delimiter: .comma, skipEmptyLines: false))
        #expect(kept.map(\.row) == [2, 3, 4, 5, 6, 7, 8])
        let (_, noHeader) = try readCSV("\n1,2\n3,4\n", .init(delimiter: .comma, header: .none))
        #expect(noHeader.map(\.row) == [2, 3])
    }
}
