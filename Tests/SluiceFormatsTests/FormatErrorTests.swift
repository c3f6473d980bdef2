import Foundation
import Testing
import SluiceErrors
@testable import SluiceFormats

@Suite("FormatError: one error for every format")
struct FormatErrorTests {
    @Test func csvAndJSONErrorsReadAsCompilerMessages() throws {
        let csv = try #require(throws: CSVError.self) { try readCSV("a,b\n\"open,2\n") }
        #expect(csv.code == .unterminatedQuote)
        #expect(csv.description == "test.csv:2:1: " + csv.message)
        let json = try #require(throws: JSONError.self) { try JSONReader().parse(Array("[1,]".utf8), source: "o.json") }
        #expect(json.code == .syntax)
        #expect(json.place == InputPlace(file: "o.json", line: 1, column: 4, byteOffset: 3))
        #expect(json.description.hasPrefix("o.json:1:4: "))
    }

    @Test func remembersWhereItWasThrown() throws {
        let error = try #require(throws: FormatError.self) { try JSONReader().parse(Array("{".utf8)) }
        #expect(error.thrownAt.fileID == "SluiceFormats/JSONParser.swift")
        #expect(error.thrownAt.line > 0)
        #expect(error.detailedDescription().hasSuffix("└─ Thrown at: \(error.thrownAt)"))
    }

    @Test func aWorkbookErrorNamesItsPartAndCellAfterTheMessageAndKeepsItsCause() {
        let zip = ZipError(.truncated, "the archive ends early", entry: "xl/workbook.xml")
        let error = FormatError.wrapping(zip, part: nil, cell: "B7")
        #expect(error.code == .truncated)
        #expect(error.description == "the archive ends early (part xl/workbook.xml, cell B7)")
        let tree = error.detailedDescription().split(separator: "\n").map(String.init)
        #expect(tree[0] == "FormatError: truncated")
        #expect(tree[3 ... 6] == ["├─ Cause:", "│  └─ ZipError: truncated", "│     ├─ Message: the archive ends early", "│     ├─ Place: part xl/workbook.xml"])
        #expect(zip.thrownAt.fileID == "SluiceFormatsTests/FormatErrorTests.swift")
        #expect(error.thrownAt.fileID == "SluiceFormatsTests/FormatErrorTests.swift")
    }

    @Test func ioAndFileSystemAreOneCode() {
        #expect(FormatError.Code.io == .fileSystem)
        #expect(FormatError.Code.syntax != .corrupt)
    }

    @Test func equalityIgnoresTheThrowSite() {
        let a = FormatError(.syntax, "x", source: "f", line: 1, sourceLine: 1)
        let b = FormatError(.syntax, "x", source: "f", line: 1, sourceLine: 2)
        #expect(a == b)
        #expect(a != FormatError(.syntax, "x", source: "f", line: 2))
    }
}
