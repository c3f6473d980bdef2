import Foundation
import SluiceTesting
import Testing
import SluiceFormats

/// Damaged copies of the corpus (flipped bytes, cut short, stray boundaries and line
/// breaks): the parser never fails or crashes on them, and how the bytes are chunked never
/// changes the result.
@Suite("MIME mutations")
struct MIMEMutationTests {
    static let names = MIMEFixtures.names(in: MIMEFixtures.directory) +
        MIMEFixtures.names(in: MIMEFixtures.adversarialDirectory).filter { $0 != "adv_many_parts" }.map { "adversarial/" + $0 }

    static func mutate(_ raw: [UInt8], _ g: inout SeededGenerator) -> [UInt8] {
        var bytes = raw
        let pieces: [[UInt8]] = [[0x0D], [0x0A], [0x0D, 0x0A], Array("--".utf8), [0x3D], [0x00], [0xFF], [0x20], Array("=?utf-8?B?".utf8), Array("?=".utf8)]
        for _ in 0..<(1 + g.next(4)) {
            guard !bytes.isEmpty else { break }
            let at = g.next(bytes.count)
            switch g.next(4) {
            case 0: bytes[at] = UInt8(g.next(256))
            case 1: bytes.insert(contentsOf: pieces[g.next(pieces.count)], at: at)
            case 2: bytes.removeSubrange(at..<min(bytes.count, at + 1 + g.next(40)))
            default: bytes.removeSubrange(at...)  // cut short
            }
        }
        return bytes
    }

    @Test(arguments: names)
    func damagedMessagesParseTheSameWhateverTheChunking(_ name: String) throws {
        let raw = try [UInt8](Data(contentsOf: MIMEFixtures.directory.appendingPathComponent(name + ".eml")))
        var g = SeededGenerator(state: UInt64(truncatingIfNeeded: name.utf8.reduce(5381) { ($0 &* 33) &+ Int($1) }) | 1)
        for _ in 0..<12 {
            let bytes = Self.mutate(raw, &g)
            let whole = try MIMEFixtures.summary(bytes, chunks: [max(bytes.count, 1)])
            let chunks = (0..<4).map { _ in 1 + g.next(300) }
            #expect(try MIMEFixtures.summary(bytes, chunks: chunks) == whole, "chunks \(chunks)")
        }
    }
}
