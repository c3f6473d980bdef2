import Testing
@testable import SluiceFormats

/// SplitMix64: a small, seeded generator so property tests are reproducible.
struct SplitMix64Generator: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Awkward strings: quotes, every delimiter, CR/LF/CRLF, spaces at the ends, accents, emoji,
/// Windows-1252 specials, empty strings.
func awkwardCSVText(_ random: inout SplitMix64Generator, windows1252Only: Bool = false) -> String {
    let pieces = [
        "\"", "\"\"", ",", ";", "\t", "|", "\n", "\r", "\r\n", " ", "a", "Z", "0", "1,50", "é", "€", "œ", "’", "“x”",
        "Š", "ÿ", "\u{81}", "x\"y", "\"q\"",
    ]
    let wide = ["😀", "中文", "🇨🇭", "\u{2028}", "ł"]
    let all = windows1252Only ? pieces : pieces + wide
    let length = Int.random(in: 0...6, using: &random)
    return (0..<length).map { _ in all.randomElement(using: &random)! }.joined()
}

@Suite("CSV writer → reader round trip")
struct CSVRoundTripTests {
    static let configurations: [(CSVWriter.Options, CSVReader.EncodingChoice, Bool)] = [
        (.init(delimiter: .comma), .auto, false),
        (.init(delimiter: .semicolon, lineEnding: .lf, byteOrderMark: true), .utf8, false),
        (.init(delimiter: .tab, lineEnding: .lf), .auto, false),
        (.init(delimiter: .pipe), .auto, false),
        (.init(delimiter: .semicolon, encoding: .windows1252), .windows1252, true),
    ]

    @Test(arguments: 0..<configurations.count)
    func randomTablesSurviveARoundTrip(configuration: Int) throws {
        let (writeOptions, encoding, windows1252Only) = Self.configurations[configuration]
        var random = SplitMix64Generator(seed: 0x5EED_0000 + UInt64(configuration))
        for _ in 0..<60 {
            let columns = Int.random(in: 1...6, using: &random)
            let rowCount = Int.random(in: 0...12, using: &random)
            // Header names must be unique and non-blank to come back unchanged.
            let header = (0..<columns).map { "h\($0)" + awkwardCSVText(&random, windows1252Only: windows1252Only) }
            let rows = (0..<rowCount).map { _ in
                (0..<columns).map { _ in awkwardCSVText(&random, windows1252Only: windows1252Only) }
            }
            let bytes = try CSVWriter.encode([header] + rows, options: writeOptions)
            let reader = try CSVReader(
                bytes: bytes, options: .init(delimiter: writeOptions.delimiter, encoding: encoding, extraFields: .error))
            #expect(reader.header == header)
            let records = try reader.readAll()
            #expect(records.map(\.fields) == rows)
            #expect(records.allSatisfy { !$0.isPadded && !$0.hasExtraFields })
            // Line numbers grow strictly.
            #expect(zip(records, records.dropFirst()).allSatisfy { $0.line < $1.line })
        }
    }

    @Test func detectionAgreesOnGeneratedFiles() throws {
        var random = SplitMix64Generator(seed: 42)
        for delimiter in CSVDelimiter.detectable {
            let rows = (0..<20).map { r in (0..<4).map { c in "r\(r)c\(c)" + (Bool.random(using: &random) ? awkwardCSVText(&random) : "") } }
            let bytes = try CSVWriter.encode([["a", "b", "c", "d"]] + rows, options: .init(delimiter: delimiter))
            let reader = try CSVReader(bytes: bytes)
            #expect(reader.delimiter == delimiter)
            #expect(try reader.readAll().map(\.fields) == rows)
        }
    }
}
