import Foundation
import SluiceCore
import SluiceFormats

/// `sluice inspect FILE.eml`: what Sluice sees in a message, read the way the mail steps
/// read it, with every attachment hashed as it streams by and nothing written to disk.
public enum MessageInspector {
    /// One message, with stable JSON keys (`--json`).
    public struct Report: Encodable, Sendable {
        public var subject: String?
        /// The `From` mailboxes as one display string (`Name <address>, ...`).
        public var from: String?
        public var to: [String]
        public var cc: [String]
        /// ISO 8601 (UTC) when the `Date` header parses, else as written.
        public var date: String?
        public var messageID: String?
        public var attachments: [AttachmentReport]
        /// The message's own defects (each attachment lists its own).
        public var defects: [DefectReport]
        public var truncated: Bool
        /// Parts in the message, the top level included.
        public var parts: Int

        enum CodingKeys: String, CodingKey {
            case subject, from, to, cc, date, messageID = "message_id", attachments, defects, truncated, parts
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(subject, forKey: .subject)
            try c.encode(from, forKey: .from)
            try c.encode(to, forKey: .to)
            try c.encode(cc, forKey: .cc)
            try c.encode(date, forKey: .date)
            try c.encode(messageID, forKey: .messageID)
            try c.encode(attachments, forKey: .attachments)
            try c.encode(defects, forKey: .defects)
            try c.encode(truncated, forKey: .truncated)
            try c.encode(parts, forKey: .parts)
        }
    }

    public struct AttachmentReport: Encodable, Sendable {
        /// As the sender wrote it (decoded, not sanitised).
        public var originalName: String?
        /// The name it would be stored under.
        public var safeName: String
        public var contentType: String
        /// Decoded size in bytes.
        public var size: Int64
        /// SHA-256 of the decoded bytes, lowercase hex.
        public var sha256: String
        public var inline: Bool
        /// False when the message was cut inside this attachment: it would not be stored.
        public var complete: Bool
        public var defects: [DefectReport]

        enum CodingKeys: String, CodingKey {
            case originalName = "original_name", safeName = "safe_name", contentType = "content_type", size, sha256, inline, complete, defects
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(originalName, forKey: .originalName)
            try c.encode(safeName, forKey: .safeName)
            try c.encode(contentType, forKey: .contentType)
            try c.encode(size, forKey: .size)
            try c.encode(sha256, forKey: .sha256)
            try c.encode(inline, forKey: .inline)
            try c.encode(complete, forKey: .complete)
            try c.encode(defects, forKey: .defects)
        }
    }

    public struct DefectReport: Encodable, Sendable {
        /// `truncated`, `invalidBase64`... (see `MIMEDefect.Code`).
        public var code: String
        public var message: String
        /// The part path (`1.2`); empty for the top-level message.
        public var place: String
    }

    /// Whether `path` is read as a mail message (`.eml`).
    public static func isMessage(_ path: String) -> Bool {
        path.lowercased().hasSuffix(".eml")
    }

    /// Parses the message at `path`. Throws `MIMEError` when it cannot be read.
    public static func inspect(path: String, limits: MIMELimits = MIMELimits()) throws -> Report {
        try EmptyInputFile.refuse(AttachedFile(name: path, path: path))
        let store = DigestingAttachmentStore()
        let message = try MIMEStreamParser.parse(file: path, limits: limits, store: store)
        let attachments = message.attachments.map { a in
            AttachmentReport(originalName: a.originalName, safeName: a.safeName, contentType: a.contentType, size: a.size,
                             sha256: store.digests[a.index] ?? "", inline: a.inline, complete: a.complete,
                             defects: a.defects.map(DefectReport.init))
        }
        let date = message.date.map { ISO8601DateFormatter().string(from: $0) } ?? message.dateText
        return Report(subject: message.subject, from: message.from.isEmpty ? nil : message.from.map(\.description).joined(separator: ", "),
                      to: message.to.map(\.description), cc: message.cc.map(\.description), date: date,
                      messageID: message.messageID, attachments: attachments, defects: message.defects.map(DefectReport.init),
                      truncated: message.truncated, parts: message.partCount)
    }
}

extension MessageInspector.DefectReport {
    init(_ defect: MIMEDefect) {
        self.init(code: defect.code.description, message: defect.message, place: defect.place)
    }
}

/// An attachment store that keeps nothing but each attachment's SHA-256.
final class DigestingAttachmentStore: MIMEAttachmentStore {
    /// Hex digests by attachment index, once each attachment is finished.
    private(set) var digests: [Int: String] = [:]

    final class Output: MIMEPartOutput {
        private var hasher = SHA256()
        private let done: (String) -> Void

        init(done: @escaping (String) -> Void) { self.done = done }

        func write(_ bytes: UnsafeRawBufferPointer) throws { hasher.update(bytes) }

        func finish(complete: Bool) throws { done(SHA256.hexString(hasher.finalize())) }
    }

    func begin(_ attachment: MIMEAttachment) throws -> any MIMEPartOutput {
        Output { [unowned self] digest in self.digests[attachment.index] = digest }
    }
}
