import Foundation
import SluiceFormats

// mime-bench: times Sluice's MIME parser for Benchmarks/mail/run.sh.
//   mime-bench DIR [--repeat N]   parse every *.eml in DIR N times, decoding every attachment
//                                 (counted, not written); print bytes, messages, attachments, seconds

/// Counts decoded attachment bytes; writes nothing.
final class CountingStore: MIMEAttachmentStore, MIMEPartOutput {
    var bytes = 0
    var attachments = 0
    func begin(_ attachment: MIMEAttachment) throws -> any MIMEPartOutput { attachments += 1; return self }
    func write(_ chunk: UnsafeRawBufferPointer) throws { bytes += chunk.count }
    func finish(complete: Bool) throws {}
}

let args = CommandLine.arguments
guard args.count >= 2 else {
    FileHandle.standardError.write(Data("usage: mime-bench DIR [--repeat N]\n".utf8))
    exit(2)
}
let directory = args[1]
let repeats = args.firstIndex(of: "--repeat").flatMap { Int(args[$0 + 1]) } ?? 1
let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".eml") }.sorted()
    .map { directory + "/" + $0 }
// Read the files first: the figure is the parser's, not the disk's.
let contents = try files.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
let store = CountingStore()
var inputBytes = 0
let start = ContinuousClock.now
for _ in 0..<repeats {
    for data in contents {
        let parser = MIMEStreamParser(store: store)
        try data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = min(65536, raw.count - offset)
                try parser.feed(UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + n)]))
                offset += n
            }
        }
        _ = try parser.finish()
        inputBytes += data.count
    }
}
let d = ContinuousClock.now - start
let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
print("bytes=\(inputBytes) messages=\(contents.count * repeats) attachments=\(store.attachments) decoded=\(store.bytes) seconds=\(seconds)")
