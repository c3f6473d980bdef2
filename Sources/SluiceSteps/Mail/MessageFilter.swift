import Foundation
import SluiceCore
import SluiceFormats

/// The `imap` step's filters: sender, recipients and subject (text or `/regex/`), a date, and
/// which attachments count.
struct MessageFilter {
    /// Text contained (case-insensitive), or a regular expression between slashes.
    enum Match {
        case contains(String)
        case regex(NSRegularExpression)

        static func parse(_ text: String) -> Result<Match, FilterError> {
            guard text.count >= 2, text.hasPrefix("/"), text.hasSuffix("/") else { return .success(.contains(text.lowercased())) }
            do { return .success(.regex(try NSRegularExpression(pattern: String(text.dropFirst().dropLast()), options: [.caseInsensitive]))) } catch {
                return .failure(FilterError(description: "'\(text)' is not a valid regular expression"))
            }
        }

        func matches(_ value: String) -> Bool {
            switch self {
            case let .contains(t): value.lowercased().contains(t)
            case let .regex(r): r.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
            }
        }
    }

    struct FilterError: Error, CustomStringConvertible { var description: String }

    var from: Match?
    var to: Match?
    var subject: Match?
    var attachments: [String]

    init(_ c: IMAPStep.Configuration) throws {
        func parse(_ key: String, _ text: String?) throws -> Match? {
            guard let text else { return nil }
            switch Match.parse(text) {
            case let .success(m): return m
            case let .failure(e): throw StepError(.configuration, "\(key): \(e)")
            }
        }
        from = try parse("from", c.from)
        to = try parse("to", c.to)
        subject = try parse("subject", c.subject)
        attachments = c.attachments ?? []
    }

    /// Why `message` is left out, or nil when it is taken.
    func refusal(_ message: MIMEMessage) -> String? {
        if let from, !message.from.contains(where: { from.matches($0.description) }) { return "sender does not match" }
        if let to, !(message.to + message.cc).contains(where: { to.matches($0.description) }) { return "recipients do not match" }
        if let subject, !subject.matches(message.subject ?? "") { return "subject does not match" }
        if !attachments.isEmpty && !message.attachments.contains(where: { matches($0) }) {
            return "no attachment matching \(attachments.joined(separator: ", "))"
        }
        return nil
    }

    /// Whether an attachment becomes an input file: a complete one the globs match.
    func takes(_ a: MIMEAttachment) -> Bool { a.complete && matches(a) }

    /// Whether the globs match an attachment's name or type (complete or not).
    func matches(_ a: MIMEAttachment) -> Bool {
        if attachments.isEmpty { return true }
        let names = [a.safeName.lowercased(), (a.originalName ?? "").lowercased(), a.contentType.lowercased()]
        return attachments.contains { p in names.contains { fnmatch(p.lowercased(), $0, 0) == 0 } }
    }

    /// `2026-11-01`, or a duration back from `now` (`7d`).
    static func sinceDate(_ text: String, now: Date) -> Date? {
        if let d = LocalDate(iso: text) { return Date(timeIntervalSince1970: Double(d.daysSinceEpoch) * 86400) }
        if let d = DurationValue(parsing: text) { return now - Double(d.milliseconds) / 1000 }
        return nil
    }

    /// The IMAP SEARCH date form: `1-Nov-2026`.
    static func imapDate(_ date: Date) -> String {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let d = LocalDate(daysSinceEpoch: Int32((date.timeIntervalSince1970 / 86400).rounded(.down))).components
        return "\(d.day)-\(months[d.month - 1])-\(d.year)"
    }
}

/// Writes a message's attachments into a folder under their safe names, while the message is
/// parsed; an attachment cut short by a truncated message is removed, never passed on.
final class AttachmentFiles: MIMEAttachmentStore {
    let directory: String
    /// The complete files written: the stored name, the path, and the attachment's index.
    private(set) var written: [(name: String, path: String, index: Int)] = []

    init(directory: String) {
        self.directory = directory
    }

    func begin(_ attachment: MIMEAttachment) throws -> any MIMEPartOutput {
        // Safe names are unique within the message; only `message.eml`, the runner's name for
        // the message itself, is taken: such an attachment gets a name no other file has.
        var name = attachment.safeName
        var n = 1
        while name.lowercased() == IMAPStep.messageFile || FileManager.default.fileExists(atPath: directory + "/" + name) {
            n += 1
            name = "attachment-\(attachment.index + 1)-\(n)-" + attachment.safeName
        }
        return try Output(path: directory + "/" + name, name: name, index: attachment.index, owner: self)
    }

    final class Output: MIMEPartOutput {
        let path: String
        let name: String
        let index: Int
        let handle: FileHandle
        unowned let owner: AttachmentFiles

        init(path: String, name: String, index: Int, owner: AttachmentFiles) throws {
            guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
                throw StepError(.internal, "cannot create \(path)")
            }
            self.path = path
            self.name = name
            self.index = index
            self.handle = h
            self.owner = owner
        }

        func write(_ bytes: UnsafeRawBufferPointer) throws { try handle.write(contentsOf: Data(bytes)) }

        func finish(complete: Bool) throws {
            try handle.close()
            if complete { owner.written.append((name, path, index)) } else { unlink(path) }
        }
    }
}
