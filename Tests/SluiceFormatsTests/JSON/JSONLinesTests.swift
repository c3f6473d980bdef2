import Foundation
import Testing
@testable import SluiceFormats

@Suite("JSON Lines and layout detection")
struct JSONLinesTests {
    let reader = JSONReader()

    @Test func oneValuePerNonEmptyLine() throws {
        let text = "{\"id\": 1, \"montant\": 0.10}\r\n\n   \n[1,2]\n\"x\"\n42"
        let lines = try reader.parseLines(Array(text.utf8))
        #expect(lines.map(\.line) == [1, 4, 5, 6])
        #expect(lines.map(\.value) == [["id": 1, "montant": .number("0.10")], [1, 2], "x", 42])
    }

    @Test func badLineIsNamedAndSkippable() throws {
        let text = "{\"a\": 1}\n{\"a\": 2,}\n\n  {\"a\" 3}\n{\"a\": 4}\n"
        #expect(throws: JSONError.self) { try reader.parseLines(Array(text.utf8)) }
        var iterator = reader.lines(Array(text.utf8), source: "orders.jsonl")
        #expect(try iterator.next()?.value == ["a": 1])
        let second = try #require(throws: JSONError.self) { try iterator.next() }
        #expect(second.line == 2 && second.column == 9)
        #expect(second.description.hasPrefix("orders.jsonl:2:9: expected a string key after ','"))
        let fourth = try #require(throws: JSONError.self) { try iterator.next() }
        #expect(fourth.line == 4 && fourth.column == 8)
        #expect(try iterator.next() == JSONLine(line: 5, value: ["a": 4]))
        #expect(try iterator.next() == nil)
    }

    @Test func aValueCannotSpanLines() throws {
        let error = try #require(throws: JSONError.self) { try reader.parseLines(Array("{\"a\":\n1}\n".utf8)) }
        #expect(error.line == 1)
        #expect(error.message.contains("found the end of the input"))
    }

    @Test func byteOrderMarkOnTheFirstLine() throws {
        let lines = try reader.parseLines([0xEF, 0xBB, 0xBF] + Array("1\n2\n".utf8))
        #expect(lines.map(\.value) == [1, 2])
    }

    @Test(arguments: [
        ("{\"a\": 1}\n{\"a\": 2}\n", JSONLayout.lines),
        ("1\n2", .lines),
        ("\"a\"\n\"b\"", .lines),
        ("[1,\n 2]\n", .document),
        ("{\n  \"a\": \"}\\\"{\",\n  \"b\": [1, {\"c\": 2}]\n}\n", .document),
        ("{\"a\": 1}\n", .document),
        ("{\"a\": 1}  \r\n   \n", .document),
        ("", .document),
        ("{\"a\": 1} {\"b\": 2}\n", .document),
        ("{\"a\": \"x\ny\"", .document),
        ("\u{FEFF}{\"a\": 1}\r\n{\"a\": 2}\r\n", .lines),
        ("{\"a\":1,}\n{\"b\":2}\n", .lines),
    ])
    func detectsLayout(text: String, expected: JSONLayout) {
        #expect(JSONLayout.detect(Array(text.utf8)) == expected)
    }

    @Test func detectsLayoutOfFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-json-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let single = directory.appendingPathComponent("one.jsonl").path
        try Data("{\"a\": 1}\n".utf8).write(to: URL(fileURLWithPath: single))
        #expect(try JSONLayout.detect(contentsOfFile: single) == .lines)
        let document = directory.appendingPathComponent("one.json").path
        try Data("{\"a\": 1}\n".utf8).write(to: URL(fileURLWithPath: document))
        #expect(try JSONLayout.detect(contentsOfFile: document) == .document)
        var lines = try reader.lines(contentsOfFile: single)
        #expect(try lines.next()?.value == ["a": 1])
    }
}
