import Foundation
import Testing
@testable import SluiceFormats

@Suite("CSVWriter")
struct CSVWriterTests {
    static func text(_ rows: [[String]], _ options: CSVWriter.Options = .init()) throws -> String {
        String(decoding: try CSVWriter.encode(rows, options: options), as: UTF8.self)
    }

    @Test(arguments: [
        ("plain", "plain"),
        ("", ""),
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("l1\nl2", "\"l1\nl2\""),
        ("l1\rl2", "\"l1\rl2\""),
        (" lead", "\" lead\""),
        ("trail ", "\"trail \""),
        ("\ttab", "\"\ttab\""),
        ("in side", "in side"),
        ("a;b", "a;b"),
        ("café €", "café €"),
        ("\"", "\"\"\"\""),
    ])
    func quotesOnlyWhenNeeded(field: String, written: String) throws {
        #expect(try Self.text([["x", field]], .init(lineEnding: .lf)) == "x,\(written)\n")
    }

    @Test func semicolonDelimiterQuotesSemicolonsNotCommas() throws {
        #expect(try Self.text([["1,50", "a;b"]], .init(delimiter: .semicolon, lineEnding: .lf)) == "1,50;\"a;b\"\n")
    }

    @Test func lineEndings() throws {
        #expect(try Self.text([["a", "b"], ["1", "2"]]) == "a,b\r\n1,2\r\n")
        #expect(try Self.text([["a", "b"], ["1", "2"]], .init(lineEnding: .lf)) == "a,b\n1,2\n")
    }

    @Test func singleEmptyFieldIsWrittenQuoted() throws {
        #expect(try Self.text([["h"], [""], ["x"]], .init(lineEnding: .lf)) == "h\n\"\"\nx\n")
        #expect(try Self.text([[]], .init(lineEnding: .lf)) == "\n")
        #expect(try Self.text([["", ""]], .init(lineEnding: .lf)) == ",\n")
    }

    @Test func byteOrderMark() throws {
        let bytes = try CSVWriter.encode([["é"]], options: .init(byteOrderMark: true))
        #expect(bytes == [0xEF, 0xBB, 0xBF, 0xC3, 0xA9, 0x0D, 0x0A])
        let none = try CSVWriter.encode([["é"]])
        #expect(none == [0xC3, 0xA9, 0x0D, 0x0A])
        let error = try #require(throws: CSVError.self) {
            try CSVWriter.encode([["é"]], options: .init(byteOrderMark: true, encoding: .windows1252))
        }
        #expect(error.code == .invalidOption)
    }

    @Test func windows1252Output() throws {
        let bytes = try CSVWriter.encode(
            [["Café", "12 €", "“œ” \"q\""]], options: .init(delimiter: .semicolon, lineEnding: .lf, encoding: .windows1252))
        let expected: [UInt8] = Array("Caf".utf8) + [0xE9, 0x3B] + Array("12 ".utf8) + [0x80, 0x3B]
            + [0x22, 0x93, 0x9C, 0x94, 0x20, 0x22, 0x22, 0x71, 0x22, 0x22, 0x22, 0x0A]
        #expect(bytes == expected)
    }

    @Test func unrepresentableCharacterNamesRowAndColumn() throws {
        let rows = [["Nom", "Ville"], ["Zoé", "Genève"], ["Łukasz", "Kraków"]]
        let error = try #require(throws: CSVError.self) {
            try CSVWriter.encode(rows, options: .init(encoding: .windows1252), source: "clients.csv")
        }
        #expect(error.code == .unrepresentableCharacter)
        #expect(error.row == 3 && error.column == 1)
        #expect(error.description == "clients.csv: row 3, column 1: 'Ł' (U+0141) cannot be written in windows-1252; use UTF-8 output or replace the character")
        let latin = try #require(throws: CSVError.self) { try CSVWriter.encode([["€"]], options: .init(encoding: .latin1)) }
        #expect(latin.message.contains("U+20AC"))
    }

    @Test func undefinedWindows1252BytesRoundTrip() throws {
        let text = "\u{81}\u{8D}\u{8F}\u{90}\u{9D}"
        let bytes = try CSVWriter.encode([[text]], options: .init(lineEnding: .lf, encoding: .windows1252))
        #expect(bytes == [0x81, 0x8D, 0x8F, 0x90, 0x9D, 0x0A])
        let reader = try CSVReader(bytes: bytes, options: .init(delimiter: .comma, encoding: .windows1252, header: .none))
        #expect(try reader.readAll().first?.fields == [text])
    }

    @Test func writesAFileInSmallBuffersAndCloses() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-csvw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("out.csv").path
        let rows = (0..<500).map { ["\($0)", "valeur \($0), \"q\"", "é\n€"] }
        let options = CSVWriter.Options(delimiter: .semicolon, byteOrderMark: true, fsync: true, bufferSize: 100)
        var writer = try CSVWriter(path: path, options: options)
        try writer.writeRow(["id", "texte", "autre"])
        try writer.writeRows(rows)
        #expect(writer.rowsWritten == 501)
        try writer.close()
        try writer.close()
        let written = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(written == (try CSVWriter.encode([["id", "texte", "autre"]] + rows, options: options)))
        #expect(throws: CSVError.self) { try writer.writeRow(["late"]) }
        let reader = try CSVReader(path: path)
        #expect(reader.header == ["id", "texte", "autre"])
        #expect(try reader.readAll().map(\.fields) == rows)
    }

    @Test func failedRowLeavesNothingBehind() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-csvw-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("out.csv").path
        var writer = try CSVWriter(path: path, options: .init(lineEnding: .lf, encoding: .windows1252))
        try writer.writeRow(["a", "b"])
        #expect(throws: CSVError.self) { try writer.writeRow(["ok", "漢字"]) }
        try writer.writeRow(["c", "d"])
        try writer.close()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "a,b\nc,d\n")
    }

    @Test func cannotCreateInAMissingDirectory() {
        let error = #expect(throws: CSVError.self) { _ = try CSVWriter(path: "/nonexistent-sluice-dir/x.csv") }
        #expect(error?.code == .fileSystem)
    }

    @Test func outputIsDeterministic() throws {
        let rows = [["a", "b,c", "d\"e"], ["é", "", " "]]
        #expect(try CSVWriter.encode(rows) == (try CSVWriter.encode(rows)))
    }
}
