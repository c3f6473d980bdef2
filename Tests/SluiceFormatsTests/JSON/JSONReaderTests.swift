import Foundation
import Testing
@testable import SluiceFormats

@Suite("JSONReader: documents")
struct JSONReaderTests {
    let reader = JSONReader()

    @Test func parsesEveryKindOfValue() throws {
        let value = try reader.parse(#" { "a" : [1, -2.5, true, false, null, "x"], "b": {}, "c": [], "d": {"e": "f"} } "#)
        let expected: JSONValue = ["a": [1, .number("-2.5"), true, false, nil, "x"], "b": .object([:]), "c": [], "d": ["e": "f"]]
        #expect(value == expected)
        #expect(value["a"]?[1]?.numberText == "-2.5")
        #expect(value["d"]?["e"]?.stringValue == "f")
        #expect(value["a"]?[2]?.boolValue == true)
        #expect(value["a"]?[4]?.isNull == true)
        #expect(value["missing"] == nil)
        #expect(value["a"]?[99] == nil)
    }

    @Test(arguments: ["0", "-0", "0.10", "1e400", "-1E-400", "123456789012345678901234567890.000000000000000000001", "2.50", "1E+2", "0e0"])
    func numberTextIsPreserved(text: String) throws {
        #expect(try reader.parse(text) == .number(text))
        #expect(try reader.parse("[\(text)]") == .array([.number(text)]))
        #expect(try JSONWriter().string(.number(text)) == text)
    }

    @Test func keyOrderIsKept() throws {
        let value = try reader.parse(#"{"z": 1, "a": 2, "m": 3, "a": 4}"#)
        let object = try #require(value.objectValue)
        #expect(object.keys == ["z", "a", "m", "a"])
        #expect(object["a"] == 4)
        #expect(object.count == 4)
    }

    @Test(arguments: [
        (#""\"\\\/\b\f\n\r\t""#, "\"\\/\u{8}\u{C}\n\r\t"),
        (#""\u00e9\u20AC""#, "é€"),
        (#""\ud83d\ude00""#, "😀"),
        (#""\u0000""#, "\u{0}"),
        (#""café 😀 中""#, "café 😀 中"),
        (#""a\u2028b""#, "a\u{2028}b"),
        (#""""#, ""),
    ])
    func stringEscapes(json: String, expected: String) throws {
        #expect(try reader.parse(json) == .string(expected))
    }

    @Test func byteOrderMarkIsAccepted() throws {
        #expect(try reader.parse([0xEF, 0xBB, 0xBF] + Array("{\"a\":1}".utf8)) == ["a": 1])
    }

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var name: String
        var json: String
        var line: Int
        var column: Int
        var message: String
        var testDescription: String { name }
    }

    static let errorCases: [ErrorCase] = [
        ErrorCase(name: "trailing comma in array", json: "[1, 2,]", line: 1, column: 7, message: "trailing commas are not allowed"),
        ErrorCase(name: "trailing comma in object", json: "{\n  \"a\": 1,\n}", line: 3, column: 1, message: "trailing commas are not allowed"),
        ErrorCase(name: "line comment", json: "{\n  // note\n  \"a\": 1\n}", line: 2, column: 3, message: "expected a string key in double quotes, found '/'"),
        ErrorCase(name: "comment as value", json: "[/* x */ 1]", line: 1, column: 2, message: "comments are not allowed"),
        ErrorCase(name: "missing colon", json: "{\"a\" 1}", line: 1, column: 6, message: "expected ':' after the key \"a\", found '1'"),
        ErrorCase(name: "missing comma", json: "[1 2]", line: 1, column: 4, message: "expected ',' or ']' after an array element, found '2'"),
        ErrorCase(name: "missing brace", json: "{\"a\": 1", line: 1, column: 8, message: "expected ',' or '}' after an object member, found the end of the input"),
        ErrorCase(name: "single quotes", json: "{'a': 1}", line: 1, column: 2, message: "expected a string key in double quotes, found '''"),
        ErrorCase(name: "leading zero", json: "[01]", line: 1, column: 3, message: "no leading zeros"),
        ErrorCase(name: "bare decimal point", json: "[1.]", line: 1, column: 4, message: "expected a digit after the decimal point"),
        ErrorCase(name: "plus sign", json: "+1", line: 1, column: 1, message: "expected a value, found '+'"),
        ErrorCase(name: "NaN", json: "NaN", line: 1, column: 1, message: "expected a value, found 'N'"),
        ErrorCase(name: "bad literal", json: "[tru]", line: 1, column: 5, message: "expected 'true', found ']'"),
        ErrorCase(name: "empty document", json: "  ", line: 1, column: 3, message: "expected a value, found the end of the input"),
        ErrorCase(name: "two values", json: "{} {}", line: 1, column: 4, message: "expected the end of the document"),
        ErrorCase(name: "raw newline in string", json: "[\"a\nb\"]", line: 1, column: 4, message: "control character U+000A"),
        ErrorCase(name: "unterminated string", json: "[\"abc", line: 1, column: 2, message: "unterminated string"),
        ErrorCase(name: "bad escape", json: #"["a\x"]"#, line: 1, column: 4, message: "invalid escape"),
        ErrorCase(name: "short unicode escape", json: #"["\u12"]"#, line: 1, column: 3, message: "expected 4 hexadecimal digits"),
        ErrorCase(name: "lone high surrogate", json: #"["\ud83d x"]"#, line: 1, column: 3, message: "unpaired high surrogate"),
        ErrorCase(name: "lone low surrogate", json: #"["\ude00"]"#, line: 1, column: 3, message: "unpaired low surrogate"),
        ErrorCase(name: "column counts characters", json: "{\"clé\": \"été\" x}", line: 1, column: 15, message: "found 'x'"),
        ErrorCase(name: "error on a later line", json: "{\n  \"a\": [\n    1,\n    2\n  ]\n  \"b\": 2\n}", line: 6, column: 3, message: "expected ',' or '}'"),
    ]

    @Test(arguments: errorCases)
    func errorsNamePositionAndExpectation(_ c: ErrorCase) throws {
        let error = try #require(throws: JSONError.self) { try reader.parse(c.json, source: "doc.json") }
        #expect(error.line == c.line)
        #expect(error.column == c.column)
        #expect(error.message.contains(c.message), "\(error.message)")
        #expect(error.description.hasPrefix("doc.json:\(c.line):\(c.column): "))
    }

    @Test func invalidUTF8InAString() throws {
        let error = try #require(throws: JSONError.self) { try reader.parse(Array("{\"a\": \"caf".utf8) + [0xE9, 0x22, 0x7D]) }
        #expect(error.code == .invalidEncoding)
        #expect(error.line == 1 && error.column == 11)
        #expect(error.byteOffset == 10)
    }

    @Test func depthLimit() throws {
        let deep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        let error = try #require(throws: JSONError.self) { try reader.parse(deep) }
        #expect(error.code == .tooDeep)
        #expect(error.column == 513)
        let allowed = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(throws: Never.self) { try reader.parse(allowed) }
        let shallow = JSONReader(options: .init(maxDepth: 2))
        #expect(throws: JSONError.self) { try shallow.parse(#"{"a": {"b": []}}"#) }
        #expect(try shallow.parse(#"{"a": {"b": 1}}"#) == ["a": ["b": 1]])
    }

    @Test func readsAFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-\(UUID().uuidString).json").path
        try Data(#"{"total": 129.90}"#.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(try reader.parse(contentsOfFile: path)["total"]?.numberText == "129.90")
        let missing = try #require(throws: JSONError.self) { try reader.parse(contentsOfFile: path + ".missing") }
        #expect(missing.code == .fileSystem)
    }

    @Test func agreesWithFoundationOnStructure() throws {
        // Foundation as an oracle for everything but numbers' text.
        let json = #"{"name":"Zoé \"Z\" \u00e9\ud83d\ude00","list":[true,null,{"k":"v"}],"empty":{}}"#
        let ours = try reader.parse(json)
        let theirs = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect(ours["name"]?.stringValue == theirs?["name"] as? String)
        #expect(ours["list"]?.arrayValue?.count == (theirs?["list"] as? [Any])?.count)
    }
}
