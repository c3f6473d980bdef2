import Testing
@testable import SluiceFormats

@Suite("JSONWriter")
struct JSONWriterTests {
    static let sample: JSONValue = [
        "id": 7, "montant": .number("0.10"), "tags": ["a", "b"], "vide": [], "objet": .object([:]),
        "client": ["nom": "Zoé", "actif": true, "note": nil],
    ]

    @Test func compact() throws {
        #expect(try JSONWriter().string(Self.sample)
            == #"{"id":7,"montant":0.10,"tags":["a","b"],"vide":[],"objet":{},"client":{"nom":"Zoé","actif":true,"note":null}}"#)
    }

    @Test func pretty() throws {
        let expected = """
            {
              "id": 7,
              "montant": 0.10,
              "tags": [
                "a",
                "b"
              ],
              "vide": [],
              "objet": {},
              "client": {
                "nom": "Zoé",
                "actif": true,
                "note": null
              }
            }
            """
        #expect(try JSONWriter(style: .pretty).string(Self.sample) == expected)
    }

    @Test(arguments: [
        ("quote \" and backslash \\", #""quote \" and backslash \\""#),
        ("\n\r\t\u{8}\u{C}", #""\n\r\t\b\f""#),
        ("\u{0}\u{1F}\u{1}", #""\u0000\u001f\u0001""#),
        ("a\u{2028}b\u{2029}c", #""a\u2028b\u2029c""#),
        ("é€😀 / \u{7F}", "\"é€😀 / \u{7F}\""),
        ("", #""""#),
    ])
    func escaping(text: String, json: String) throws {
        #expect(try JSONWriter().string(.string(text)) == json)
        #expect(try JSONReader().parse(json) == .string(text))
    }

    @Test func keysAreEscapedToo() throws {
        #expect(try JSONWriter().string(["a\"b\n": 1]) == #"{"a\"b\n":1}"#)
    }

    @Test func invalidNumberTextNamesItsPath() throws {
        let value: JSONValue = ["lines": [["price": 1], ["price": .number("12,50")]]]
        let error = try #require(throws: JSONError.self) { try JSONWriter().string(value) }
        #expect(error.code == .invalidNumber)
        #expect(error.message.contains("$.lines[1].price"))
        #expect(!JSONValue.isValidNumberText("1."))
        #expect(!JSONValue.isValidNumberText(""))
        #expect(JSONValue.isValidNumberText("-0.0e+10"))
    }

    @Test func jsonLinesOutput() throws {
        let bytes = try JSONWriter(style: .pretty).linesBytes([["a": 1], [true], "x"])
        #expect(String(decoding: bytes, as: UTF8.self) == "{\"a\":1}\n[true]\n\"x\"\n")
        #expect(try JSONReader().parseLines(bytes).map(\.value) == [["a": 1], [true], "x"])
    }

    @Test func randomValuesRoundTripInBothStyles() throws {
        var random = SplitMix64Generator(seed: 2024)
        for _ in 0..<200 {
            let value = Self.randomValue(&random, depth: 0)
            for style in [JSONWriter.Style.compact, .pretty] {
                let bytes = try JSONWriter(style: style).bytes(value)
                #expect(try JSONReader().parse(bytes) == value)
                #expect(try JSONWriter(style: style).bytes(value) == bytes)
            }
        }
    }

    static func randomValue(_ random: inout SplitMix64Generator, depth: Int) -> JSONValue {
        let numbers = ["0", "-0", "0.10", "1e400", "-12.5E-3", "42", "99999999999999999999"]
        switch Int.random(in: 0...(depth > 3 ? 3 : 5), using: &random) {
        case 0: return nil
        case 1: return .bool(Bool.random(using: &random))
        case 2: return .number(numbers.randomElement(using: &random)!)
        case 3: return .string(awkwardCSVText(&random) + "\u{0}\u{1B}\\/")
        case 4: return .array((0..<Int.random(in: 0...4, using: &random)).map { _ in randomValue(&random, depth: depth + 1) })
        default:
            let count = Int.random(in: 0...4, using: &random)
            return .object(JSONObject((0..<count).map { _ in (awkwardCSVText(&random), randomValue(&random, depth: depth + 1)) }))
        }
    }
}
