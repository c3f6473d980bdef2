import Foundation
import SluiceCore
import SluiceFormats
import SluiceTesting

/// The shared message corpus, `<repo>/../shared/fixtures/eml`, and what its tests share.
enum MIMEFixtures {
    static let directory = TestFixtures.shared("eml")

    static let adversarialDirectory = directory.appendingPathComponent("adversarial")

    /// Names (without `.eml`) of the messages in `folder`.
    static func names(in folder: URL) -> [String] { TestFixtures.names(in: folder, withExtension: "eml") }

    static func expected(_ name: String, in folder: URL = directory) throws -> ExpectedMessage {
        let data = try Data(contentsOf: folder.appendingPathComponent("\(name).expected.json"))
        return try JSONDecoder().decode(ExpectedMessage.self, from: data)
    }

    /// Parses a message given as text, in one chunk or in chunks of `chunkSize` bytes.
    static func parse(_ text: String, chunkSize: Int? = nil, limits: MIMELimits = MIMELimits(),
                      store: RecordingStore? = nil) throws -> MIMEMessage {
        try parse(Array(text.utf8), chunkSize: chunkSize, limits: limits, store: store)
    }

    static func parse(_ bytes: [UInt8], chunkSize: Int? = nil, limits: MIMELimits = MIMELimits(),
                      store: RecordingStore? = nil) throws -> MIMEMessage {
        let parser = MIMEStreamParser(limits: limits, store: store)
        try bytes.withUnsafeBytes { all in
            let size = max(chunkSize ?? all.count, 1)
            var start = 0
            while start < all.count {
                let end = min(start + size, all.count)
                try parser.feed(UnsafeRawBufferPointer(rebasing: all[start..<end]))
                start = end
            }
        }
        return try parser.finish()
    }

    /// Everything a parse gives, as one string, feeding the bytes in pieces of the given
    /// sizes (cycled); for comparing two ways of feeding the same message.
    static func summary(_ raw: [UInt8], chunks: [Int]) throws -> String {
        let store = RecordingStore()
        let parser = MIMEStreamParser(store: store)
        try raw.withUnsafeBytes { all in
            var start = 0, k = 0
            while start < all.count {
                let end = min(start + max(chunks[k % chunks.count], 1), all.count)
                try parser.feed(UnsafeRawBufferPointer(rebasing: all[start..<end]))
                start = end
                k += 1
            }
        }
        let m = try parser.finish()
        let attachments = zip(m.attachments, store.outputs).map { "\($0.0)|\($0.1.sha256)|\(String(describing: $0.1.finishedComplete))" }
        return "\(m.headers)|\(m.subject ?? "-")|\(m.from)|\(m.to)|\(m.date.map { "\($0)" } ?? "-")|\(m.textBody ?? "-")|\(m.htmlBody ?? "-")|\(attachments)|\(m.defects)|\(m.partCount)|\(m.maxDepth)|\(m.truncated)"
    }

    /// A fresh temporary folder.
    static func temporaryFolder() -> URL {
        URL(fileURLWithPath: (try? TemporaryFolder.make("mime-tests")) ?? NSTemporaryDirectory())
    }
}

/// What Python's `email` package read from a fixture (see shared/fixtures/README.md).
struct ExpectedMessage: Decodable {
    struct Attachment: Decodable {
        var filename: String?
        var content_type: String
        var size: Int64
        var sha256: String
        var depth: Int
        var defects: [String]
    }
    var subject: String?
    var from: String?
    var attachments: [Attachment]
    var part_count: Int
    var max_depth: Int
    var defects_top: [String]
    var attachments_total: Int?
}

/// A store that hashes every attachment, keeps its bytes when asked, and can write it
/// into a folder under its safe name.
final class RecordingStore: MIMEAttachmentStore {
    final class Output: MIMEPartOutput {
        let attachment: MIMEAttachment
        var hasher = SHA256()
        var bytes: [UInt8] = []
        var size: Int64 = 0
        var writes = 0
        var finishedComplete: Bool?
        let keepBytes: Bool
        let file: FileHandle?

        init(_ attachment: MIMEAttachment, keepBytes: Bool, file: FileHandle?) {
            self.attachment = attachment
            self.keepBytes = keepBytes
            self.file = file
        }

        func write(_ bytes: UnsafeRawBufferPointer) throws {
            hasher.update(bytes)
            size += Int64(bytes.count)
            writes += 1
            if keepBytes { self.bytes.append(contentsOf: bytes) }
            file?.write(Data(bytes))
        }

        func finish(complete: Bool) throws {
            precondition(finishedComplete == nil, "finish called twice")
            finishedComplete = complete
            try file?.close()
        }

        lazy var sha256: String = SHA256.hexString(hasher.finalize())
    }

    var outputs: [Output] = []
    let keepBytes: Bool
    let folder: URL?

    init(keepBytes: Bool = false, folder: URL? = nil) {
        self.keepBytes = keepBytes
        self.folder = folder
    }

    func begin(_ attachment: MIMEAttachment) throws -> any MIMEPartOutput {
        var file: FileHandle?
        if let folder {
            let url = folder.appendingPathComponent(attachment.safeName)
            precondition(!FileManager.default.fileExists(atPath: url.path), "overwriting \(url.path)")
            FileManager.default.createFile(atPath: url.path, contents: nil)
            file = try FileHandle(forWritingTo: url)
        }
        let output = Output(attachment, keepBytes: keepBytes, file: file)
        outputs.append(output)
        return output
    }
}

/// How Python's `str(msg['from'])` shows an address list: the display name quoted when it
/// holds an RFC 5322 special, `name <address>` or the bare address.
func pythonStyle(_ addresses: [MailAddress]) -> String {
    addresses.map { a in
        guard let name = a.name, !name.isEmpty else { return a.address }
        let specials = Set("()<>@,:;.\\\"[]")
        let shown = name.contains(where: { specials.contains($0) })
            ? "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
            : name
        return "\(shown) <\(a.address)>"
    }.joined(separator: ", ")
}
