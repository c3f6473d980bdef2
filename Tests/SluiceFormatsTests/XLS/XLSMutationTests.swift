import Foundation
@testable import SluiceFormats
import SluiceTesting
import Testing

/// Damaged copies of .xls files LibreOffice wrote (cut short at many points, bytes flipped and
/// words overwritten anywhere, random garbage behind the OLE2 signature): reading never crashes
/// or hangs, and either succeeds or throws a clean ``XLSXError``. FreeXL 1.0.6 alone crashes on
/// about one random byte flip in 1,500 (a record's length off by one, a stray DIMENSION record);
/// ``XLSRecordScan`` refuses those streams before FreeXL sees them.
@Suite("XLS reader on damaged copies")
struct XLSMutationTests {
    static let seeds = [XLSTestWorkbooks.sampleName, "generated__wide_and_types", "calamine__date_1904"]

    /// Reads every sheet; returns the error, if any. Anything but an ``XLSXError`` fails the test.
    static func readFully(_ bytes: [UInt8], _ label: String) -> XLSXError? {
        let path = XLSXFixtures.temporaryPath("\(label).xls")
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let workbook = try SpreadsheetWorkbook(path: path)
            for index in workbook.sheets.indices { _ = try XLSTestWorkbooks.readAll(workbook.sheet(at: index)) }
            return nil
        } catch let error as XLSXError {
            if error.message.isEmpty { Issue.record("\(label): the error names no reason") }
            return error
        } catch {
            Issue.record("\(label): not an XLSXError: \(error)")
            return nil
        }
    }

    static func find(_ pattern: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        var i = start
        while i + pattern.count <= bytes.count {
            if Array(bytes[i..<(i + pattern.count)]) == pattern { return i }
            i += 1
        }
        return nil
    }

    static func seed(_ name: String) throws -> [UInt8] {
        let path = try #require(XLSTestWorkbooks.converted?[name])
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test("cut short at every 97th byte: a clean error (or the part before the cut)", .enabled(if: XLSTestWorkbooks.converted != nil), arguments: seeds)
    func truncated(_ name: String) throws {
        let bytes = try Self.seed(name)
        let start = ContinuousClock.now
        var errors = 0
        for cut in stride(from: 0, to: bytes.count, by: 97) {
            if Self.readFully(Array(bytes[..<cut]), "\(name)-cut\(cut)") != nil { errors += 1 }
        }
        #expect(errors > 0)
        #expect(Self.readFully(Array(bytes[..<0]), "\(name)-empty")?.message.contains("0 bytes") == true)
        #expect(ContinuousClock.now - start < .seconds(120))
    }

    @Test("bytes flipped and words overwritten: never a crash or a hang", .enabled(if: XLSTestWorkbooks.converted != nil), arguments: seeds)
    func flipped(_ name: String) throws {
        let bytes = try Self.seed(name)
        var g = SeededGenerator(state: UInt64(name.utf8.count) &* 7919 &+ 1)
        for round in 0..<1500 {
            var copy = bytes
            for _ in 0..<(1 + g.next(12)) {
                let at = g.next(copy.count)
                if g.next(2) == 0 {
                    copy[at] = UInt8(g.next(256))
                } else {
                    // Overwrite a 16- or 32-bit field with an extreme value (sizes, counts, sectors).
                    let word: [UInt8] = [[0xFF, 0xFF, 0xFF, 0xFF], [0x00, 0x00, 0x00, 0x00], [0xFE, 0xFF, 0xFF, 0xFF], [0x00, 0x01, 0x00, 0x00]][g.next(4)]
                    for k in 0..<min(word.count, copy.count - at) { copy[at + k] = word[k] }
                }
            }
            let start = ContinuousClock.now
            _ = Self.readFully(copy, "\(name)-flip\(round)")
            #expect(ContinuousClock.now - start < .seconds(10), "\(name) round \(round) took too long")
        }
    }

    @Test("a stray DIMENSION record among a sheet's cells (on which FreeXL crashes) is refused as damaged", .enabled(if: XLSTestWorkbooks.converted != nil))
    func strayDimension() throws {
        var bytes = try Self.seed(XLSTestWorkbooks.sampleName)
        // The first NUMBER record (type 0x0203, 14 bytes) after the first sheet's DIMENSION becomes a DIMENSION.
        let dimension = try #require(Self.find([0x00, 0x02, 0x0E, 0x00], in: bytes, from: 0))
        let number = try #require(Self.find([0x03, 0x02, 0x0E, 0x00], in: bytes, from: dimension))
        bytes[number] = 0x00
        let error = Self.readFully(bytes, "stray-dimension")
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("declares its size twice") == true, "\(String(describing: error))")
    }

    @Test("random garbage behind the OLE2 signature is a clean error")
    func garbage() {
        var g = SeededGenerator(state: 42)
        for round in 0..<300 {
            var bytes = XLSXFileSignature.ole2
            for _ in 0..<g.next(20_000) { bytes.append(UInt8(g.next(256))) }
            let error = Self.readFully(bytes, "garbage\(round)")
            #expect(error != nil, "garbage \(round) read as a workbook")
        }
    }

    @Test("an OLE2 file of zeros (an empty compound file) names .xls in its error")
    func zeros() {
        let error = Self.readFully(XLSXFileSignature.ole2 + [UInt8](repeating: 0, count: 504), "zeros")
        #expect(error.map { $0.message.contains(".xls") } == true, "\(String(describing: error))")
    }
}
