import Foundation
import SluiceCore
import SluiceFormats

/// The incoming message an e-mail answers (`in-reply-to: DATASET`): the first row of a
/// dataset with the columns the `imap` step produces — `message_id`, `references` (ids
/// separated by spaces, without angle brackets), `subject`, `from_address`, `from_name`,
/// `reply_to`.
///
/// The answer goes to `reply_to` (else the sender), its subject is `Re: <subject>`, its
/// In-Reply-To is the message's id, and its References are the message's references
/// followed by its id, so mail programs show it in the same thread.
struct EmailThread {
    static let columns = ["message_id", "references", "subject", "from_address", "reply_to"]

    var messageID: String?
    var references: [String]
    var subject: String
    var replyAddresses: [MailAddress]

    init(dataset: Dataset, name: String) throws {
        guard !dataset.rows.isEmpty else {
            throw StepError(.badInput, "in-reply-to: the dataset '\(name)' has no rows, so there is no message to answer",
                            hint: "add `when: \(name).rows > 0` to the step")
        }
        func text(_ column: String) -> String? {
            guard let value = dataset[0, column], !value.isNull else { return nil }
            let s = value.description.trimmingCharacters(in: .whitespacesAndNewlines)
            return s.isEmpty ? nil : s
        }
        guard text("message_id") != nil || text("from_address") != nil || text("reply_to") != nil else {
            throw StepError(.badInput, "in-reply-to: the dataset '\(name)' has none of the columns message_id, from_address, reply_to",
                            hint: "name a dataset made by the imap step (or with its columns)")
        }
        messageID = text("message_id").map(Self.bare).flatMap(Self.usable)
        var thread = (text("references") ?? "").split(whereSeparator: \.isWhitespace)
            .map { Self.bare(String($0)) }.compactMap(Self.usable)
        if let messageID { thread.append(messageID) }
        references = thread.reduce(into: []) { list, id in if !list.contains(id) { list.append(id) } }
        // A header a mail program already showed has no line breaks; stray ones become spaces.
        subject = (text("subject") ?? "").split(whereSeparator: { $0.isNewline || $0 == "\0" }).joined(separator: " ")
        let replyTo = text("reply_to").map(MailAddress.parseList)?.filter(\.isDeliverable) ?? []
        if !replyTo.isEmpty {
            replyAddresses = replyTo
        } else if let from = text("from_address"), let address = MailAddress.parse(from), address.isDeliverable {
            replyAddresses = [MailAddress(name: text("from_name") ?? address.name, address: address.address)]
        } else {
            replyAddresses = []
        }
    }

    /// `Re: <subject>`, without piling up `Re:` prefixes.
    var replySubject: String {
        let lowered = subject.lowercased()
        if lowered.hasPrefix("re:") || lowered.hasPrefix("re :") { return subject }
        return subject.isEmpty ? "Re:" : "Re: " + subject
    }

    /// An id without its angle brackets.
    static func bare(_ id: String) -> String {
        var s = id.trimmingCharacters(in: .whitespaces)
        if s.hasPrefix("<") { s.removeFirst() }
        if s.hasSuffix(">") { s.removeLast() }
        return s
    }

    /// Ids another mailer wrote may be anything: those that could not be written back in a
    /// header (spaces, angle brackets, control characters) are left out of the thread.
    static func usable(_ id: String) -> String? {
        guard !id.isEmpty, id.utf8.count < 900,
              id.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") }) else { return nil }
        return id
    }
}
