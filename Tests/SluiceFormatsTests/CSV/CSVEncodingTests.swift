import Testing
@testable import SluiceFormats

@Suite("CSVReader: encodings")
struct CSVEncodingTests {
    /// A French Excel export: semicolons, Windows-1252, CRLF.
    static let frenchExcel: [UInt8] =
        Array("Produit;Montant;Note\r\n".utf8)
        + Array("Caf".utf8) + [0xE9] + Array(";12,50 ".utf8) + [0x80] + Array(";".utf8)
        + [0x93] + Array("top".utf8) + [0x94] + Array(" ".utf8) + [0x9C] + Array("uvre ".utf8) + [0x8A, 0x92] + Array("\r\n".utf8)

    @Test func semicolonWindows1252File() throws {
        let reader = try CSVReader(bytes: Self.frenchExcel, source: "ventes.csv")
        #expect(reader.encoding == .windows1252)
        #expect(reader.delimiter == .semicolon)
        #expect(reader.delimiterWasDetected)
        #expect(!reader.hadByteOrderMark)
        #expect(reader.header == ["Produit", "Montant", "Note"])
        let records = try reader.readAll()
        #expect(records.map(\.fields) == [["Café", "12,50 €", "“top” œuvre Š’"]])
    }

    @Test func everyWindows1252ByteDecodes() throws {
        // Python's cp1252 for defined bytes; C1 code points for 0x81 0x8D 0x8F 0x90 0x9D.
        let expectedHigh: [UInt32] = [
            0x20AC, 0x81, 0x201A, 0x192, 0x201E, 0x2026, 0x2020, 0x2021, 0x2C6, 0x2030, 0x160, 0x2039, 0x152, 0x8D, 0x17D, 0x8F,
            0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x2DC, 0x2122, 0x161, 0x203A, 0x153, 0x9D, 0x17E, 0x178,
        ]
        // Every byte except the ones with a meaning in CSV (quote, CR, LF, comma).
        let special: Set<UInt8> = [0x22, 0x0A, 0x0D, 0x2C]
        let bytes = (0...255).map(UInt8.init).filter { !special.contains($0) }
        for encoding in [CSVReader.EncodingChoice.windows1252, .latin1] {
            let reader = try CSVReader(bytes: bytes, options: .init(delimiter: .comma, encoding: encoding, header: .none))
            let field = try #require(try reader.readAll().first?.fields.first)
            let scalars = field.unicodeScalars.map(\.value)
            let expected = bytes.map { byte -> UInt32 in
                if encoding == .windows1252 && byte >= 0x80 && byte < 0xA0 { return expectedHigh[Int(byte) - 0x80] }
                return UInt32(byte)
            }
            #expect(scalars == expected, "\(encoding)")
        }
    }

    @Test func decodingAndEncodingTablesAgree() {
        for byte in UInt8.min...UInt8.max {
            for encoding in [CSVEncoding.windows1252, .latin1] {
                let scalar = Windows1252.scalar(of: byte, encoding: encoding)
                #expect(Windows1252.byte(for: scalar, encoding: encoding) == byte, "\(encoding) 0x\(String(byte, radix: 16))")
            }
        }
        #expect(Windows1252.byte(for: 0x80, encoding: .windows1252) == nil)
        #expect(Windows1252.byte(for: 0x20AC, encoding: .latin1) == nil)
    }

    @Test func utf8WithBOM() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("Nom,Ville\nZoé,Genève\n".utf8)
        let reader = try CSVReader(bytes: bytes)
        #expect(reader.encoding == .utf8)
        #expect(reader.hadByteOrderMark)
        #expect(reader.delimiter == .comma)
        #expect(reader.header == ["Nom", "Ville"])
        #expect(try reader.readAll().map(\.fields) == [["Zoé", "Genève"]])
    }

    @Test func utf8WithoutBOMIsDetected() throws {
        let reader = try CSVReader(bytes: Array("Nom;Prix\n“Zoé”;12 €\n".utf8))
        #expect(reader.encoding == .utf8)
        #expect(!reader.hadByteOrderMark)
        #expect(try reader.readAll().map(\.fields) == [["“Zoé”", "12 €"]])
    }

    @Test func explicitUTF8NamesLineAndByteColumnOfBadByte() throws {
        let bytes = Array("a;b\r\nok;fine\r\nx;caf".utf8) + [0xE9] + Array(";\n".utf8)
        let error = try #require(throws: CSVError.self) {
            try CSVReader(bytes: bytes, source: "ventes.csv", options: .init(encoding: .utf8))
        }
        #expect(error.code == .invalidEncoding)
        #expect(error.line == 3)
        #expect(error.column == 6)
        #expect(error.description.hasPrefix("ventes.csv:3:6: byte 0xE9 is not valid UTF-8"))
    }

    @Test(arguments: [
        ([0xC0, 0x80] as [UInt8], "overlong"),
        ([0xED, 0xA0, 0x80], "surrogate"),
        ([0xF4, 0x90, 0x80, 0x80], "above U+10FFFF"),
        ([0xE2, 0x82], "truncated"),
        ([0x80], "lone continuation"),
        ([0xFF], "invalid byte"),
    ])
    func invalidUTF8SequencesFallBackToWindows1252(bytes: [UInt8], why: String) throws {
        let reader = try CSVReader(bytes: Array("a\n".utf8) + bytes, options: .init(delimiter: .comma))
        #expect(reader.encoding == .windows1252, "\(why)")
        let explicit = try #require(throws: CSVError.self) {
            try CSVReader(bytes: Array("a\n".utf8) + bytes, options: .init(delimiter: .comma, encoding: .utf8))
        }
        #expect(explicit.line == 2 && explicit.column == 1, "\(why)")
    }

    @Test func validMultiByteSequencesAreUTF8() throws {
        let text = "a\n" + String(repeating: "é€😀ü中", count: 40) + "\n"
        let reader = try CSVReader(bytes: Array(text.utf8), options: .init(delimiter: .comma))
        #expect(reader.encoding == .utf8)
        #expect(try reader.readAll().first?.fields.first == String(repeating: "é€😀ü中", count: 40))
    }

    @Test func bomThenInvalidUTF8IsAnErrorEvenInAuto() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("a\nb".utf8) + [0xE9]
        let error = try #require(throws: CSVError.self) { try CSVReader(bytes: bytes) }
        #expect(error.code == .invalidEncoding)
        #expect(error.line == 2 && error.column == 2)
    }

    @Test func explicitLatin1ReadsC1Controls() throws {
        let reader = try CSVReader(bytes: Array("a\n".utf8) + [0x80, 0xE9], options: .init(delimiter: .comma, encoding: .latin1))
        #expect(reader.encoding == .latin1)
        #expect(try reader.readAll().first?.fields.first == "\u{80}é")
    }

    @Test func quotedWindows1252FieldsWithEscapes() throws {
        let bytes = Array("a;b\n\"".utf8) + [0xE9] + Array("t\"\"".utf8) + [0xE9] + Array("\";x\n".utf8)
        let reader = try CSVReader(bytes: bytes)
        #expect(reader.encoding == .windows1252)
        #expect(try reader.readAll().map(\.fields) == [["ét\"é", "x"]])
    }

    @Test func utf16IsRejectedWithAHint() throws {
        let error = try #require(throws: CSVError.self) { try CSVReader(bytes: [0xFF, 0xFE, 0x61, 0x00]) }
        #expect(error.code == .unsupportedEncoding)
        #expect(error.message.contains("UTF-16"))
    }

    @Test func encodingNames() {
        #expect(CSVEncoding(name: "UTF-8") == .utf8)
        #expect(CSVEncoding(name: "cp1252") == .windows1252)
        #expect(CSVEncoding(name: "ISO-8859-1") == .latin1)
        #expect(CSVEncoding(name: "ebcdic") == nil)
        #expect(CSVReader.EncodingChoice(name: "auto") == .auto)
        #expect(CSVReader.EncodingChoice(name: "windows-1252") == .windows1252)
    }
}
