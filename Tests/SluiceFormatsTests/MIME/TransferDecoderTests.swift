import Foundation
import Testing
@testable import SluiceFormats

/// The body decoders, fed in every possible split.
@Suite("MIME transfer decoders")
struct TransferDecoderTests {
    /// Decodes `input` split at every pair of positions, checking each gives `expected`.
    static func decodeAllSplits(_ kind: TransferDecoder.Kind, _ input: String) -> (Set<[UInt8]>, Set<String>) {
        let bytes = Array(input.utf8)
        var outputs = Set<[UInt8]>()
        var problems = Set<String>()
        for i in 0...bytes.count {
            for j in i...bytes.count {
                var decoder = TransferDecoder(kind)
                var out: [UInt8] = []
                for piece in [bytes[0..<i], bytes[i..<j], bytes[j...]] {
                    Array(piece).withUnsafeBytes { decoder.decode($0, into: &out) }
                }
                let problem = decoder.finish(into: &out)
                outputs.insert(out)
                problems.insert(problem.map { "\($0.0)" } ?? "")
            }
        }
        return (outputs, problems)
    }

    @Test(arguments: [
        ("SGVsbG8sIHdvcmxkIQ==", "Hello, world!"),
        ("SGVs\r\nbG8s\r\nIHdv\r\ncmxk\r\nIQ==", "Hello, world!"),
        ("SGVsbG8\nsIHdvcmxkIQ", "Hello, world!"),  // missing padding is not a problem (as in Python)
        ("", ""),
    ])
    func base64AcrossChunkBoundaries(_ encoded: String, _ plain: String) {
        let (outputs, problems) = Self.decodeAllSplits(.base64, encoded)
        #expect(outputs == [Array(plain.utf8)])
        #expect(problems == [""])
    }

    @Test func base64Leniency() {
        // Python: skip non-alphabet characters, stop at the padding that ends a group.
        let (bad, badProblems) = Self.decodeAllSplits(.base64, "QUJD!!!RE*VG==\n====\nAAA\n")
        #expect(bad == [Array("ABCDEF".utf8) + [0, 0]])  // what Python gives
        #expect(badProblems == ["invalidBase64"])
        let (stop, _) = Self.decodeAllSplits(.base64, "QUI=QUI=")
        #expect(stop == [Array("AB".utf8)])
        let (ignored, _) = Self.decodeAllSplits(.base64, "QUJD=QUJD")
        #expect(ignored == [Array("ABCABC".utf8)])
        let (dangling, danglingProblems) = Self.decodeAllSplits(.base64, "QUJDR")
        #expect(dangling == [Array("ABC".utf8)])
        #expect(danglingProblems == ["invalidBase64"])
    }

    @Test(arguments: [
        ("caf=C3=A9", "café"),
        ("caf=c3=a9", "café"),
        ("soft=\r\nbreak", "softbreak"),
        ("soft=\nbreak", "softbreak"),
        ("hard\r\nbreak  ", "hard\r\nbreak  "),
        ("a=ZZb", "a=ZZb"),
        ("1+1=2", "1+1=2"),
        ("x=4", "x=4"),
        ("end=", "end"),
        ("a=  \r\nb", "a=  \r\nb"),
        ("under_score", "under_score"),
    ])
    func quotedPrintableAcrossChunkBoundaries(_ encoded: String, _ plain: String) {
        let (outputs, problems) = Self.decodeAllSplits(.quotedPrintable, encoded)
        #expect(outputs == [Array(plain.utf8)])
        #expect(problems == [""])
    }

    @Test func uuencode() {
        let body = "some preamble\r\nbegin 644 cat.txt\r\n#8V%T\r\n`\r\nend\r\ntrailing"
        let (outputs, problems) = Self.decodeAllSplits(.uuencode, body)
        #expect(outputs == [Array("cat".utf8)])
        #expect(problems == [""])
        let (none, noneProblems) = Self.decodeAllSplits(.uuencode, "no begin line here")
        #expect(none == [[]])
        #expect(noneProblems == ["invalidUUEncode"])
    }

    @Test func transferEncodingNames() {
        #expect(TransferDecoder.kind(forHeader: " Base64 ").kind == .base64)
        #expect(TransferDecoder.kind(forHeader: "Quoted-Printable").kind == .quotedPrintable)
        #expect(TransferDecoder.kind(forHeader: "x-uuencode").kind == .uuencode)
        #expect(TransferDecoder.kind(forHeader: "8bit") == (.identity, true))
        #expect(TransferDecoder.kind(forHeader: nil) == (.identity, true))
        #expect(TransferDecoder.kind(forHeader: "x-gzip64") == (.identity, false))
    }
}
