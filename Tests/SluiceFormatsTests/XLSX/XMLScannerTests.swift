@testable import SluiceFormats
import Testing

/// Tests of the byte-level XML scanner (kept beside the XLSX tests, its only user).
@Suite("XMLScanner")
struct XMLScannerTests {
    /// Renders the token stream as text: `<name a=v>`, `</name>`, `"text"`.
    private func tokens(_ xml: String, chunkSize: Int = .max, limits: XMLScannerLimits = .init()) throws -> [String] {
        let scanner = XMLScanner(source: XMLBytesSource(xml, chunkSize: chunkSize), limits: limits, initialCapacity: 64)
        var out: [String] = []
        while true {
            switch try scanner.next() {
            case .endOfDocument: return out
            case .startTag:
                var text = "<" + String(decoding: UnsafeBufferPointer(start: scanner.bytes + scanner.localNameStart, count: scanner.nameEnd - scanner.localNameStart), as: UTF8.self)
                var cursor = scanner.nameEnd
                while let a = scanner.nextAttribute(&cursor) {
                    let name = try scanner.string(a.localNameStart, a.nameEnd)
                    text += " \(name)=\(try scanner.string(a.valueStart, a.valueEnd))"
                }
                out.append(text + (scanner.isSelfClosing ? "/>" : ">"))
            case .endTag:
                out.append("</" + String(decoding: UnsafeBufferPointer(start: scanner.bytes + scanner.localNameStart, count: scanner.nameEnd - scanner.localNameStart), as: UTF8.self) + ">")
            case .text:
                var bytes: [UInt8] = []
                try scanner.appendText(to: &bytes)
                out.append("\"" + String(decoding: bytes, as: UTF8.self) + "\"")
            }
        }
    }

    @Test("tokens, prefixes, entities, CDATA, comments and line ends", arguments: [1, 3, 7, Int.max])
    func tokenStream(_ chunkSize: Int) throws {
        let xml = "\u{FEFF}<?xml version=\"1.0\"?>\r\n<x:a  k='v>1' x:m=\"&lt;&#233;&#x1F600;\"><!-- c > --><b/>t&amp;u\r\nv<![CDATA[<raw&>]]></x:a>"
        #expect(try tokens(xml, chunkSize: chunkSize) == [
            "\"\n\"", "<a k=v>1 m=<é😀>", "<b/>", "\"t&u\nv\"", "\"<raw&>\"", "</a>",
        ])
    }

    @Test("DOCTYPE is refused in any case")
    func doctype() {
        let error = #expect(throws: XMLError.self) { try tokens("<?xml version='1.0'?><!doctype x><x/>") }
        #expect(error?.code == .doctypeRefused)
    }

    @Test("depth beyond the limit is refused")
    func depth() {
        let xml = String(repeating: "<a>", count: 300) + String(repeating: "</a>", count: 300)
        let error = #expect(throws: XMLError.self) { try tokens(xml) }
        #expect(error?.code == .depthExceeded)
        #expect((try? tokens(xml, limits: .init(maxDepth: 300))) != nil)
    }

    @Test("a token longer than the limit is refused")
    func tokenSize() {
        let xml = "<a>" + String(repeating: "x", count: 5000) + "</a>"
        let error = #expect(throws: XMLError.self) { try tokens(xml, limits: .init(maxTokenBytes: 1024)) }
        #expect(error?.code == .tokenTooLarge)
    }

    @Test("unknown entities, truncation and stray end tags are errors", arguments: [
        ("<a>&nbsp;</a>", XMLError.Code.unknownEntity), ("<a><b>", .truncated), ("<a attr=\"x", .truncated), ("</a>", .malformed),
        ("<a>&#xZZ;</a>", .malformed), ("<a>a & b</a>", .malformed),
    ])
    func errors(_ xml: String, _ code: XMLError.Code) {
        let error = #expect(throws: XMLError.self) { try tokens(xml) }
        #expect(error?.code == code)
    }

    @Test("UTF-16 parts are refused")
    func utf16() {
        let source = XMLBytesSource([0xFF, 0xFE, 0x3C, 0x00])
        let error = #expect(throws: XMLError.self) { _ = try XMLScanner(source: source).next() }
        #expect(error?.code == .unsupportedEncoding)
    }
}
