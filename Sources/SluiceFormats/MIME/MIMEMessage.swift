import Foundation

/// What a parsed message holds, besides its attachments' bytes.
public struct MIMEMessage: Sendable {
    /// Top-level header fields in order, raw and decoded.
    public var headers: [MIMEHeader] = []
    /// The decoded `Subject`.
    public var subject: String?
    public var from: [MailAddress] = []
    public var to: [MailAddress] = []
    public var cc: [MailAddress] = []
    public var replyTo: [MailAddress] = []
    /// The `Date` header as a moment, when it parses.
    public var date: Date?
    /// The `Date` header as written.
    public var dateText: String?
    /// `Message-ID` without the angle brackets.
    public var messageID: String?
    /// The first message id of `In-Reply-To`, without angle brackets.
    public var inReplyTo: String?
    /// The message ids of `References`, oldest first, without angle brackets.
    public var references: [String] = []
    /// The first `text/plain` part that is not an attachment, charset-decoded, at most
    /// ``MIMELimits/maxBodyTextBytes`` of it.
    public var textBody: String?
    /// The first `text/html` part that is not an attachment, likewise.
    public var htmlBody: String?
    /// Every attachment in message order, with its final size.
    public var attachments: [MIMEAttachment] = []
    /// Problems found outside attachments: in the structure, headers and body parts
    /// (each attachment carries its own in ``MIMEAttachment/defects``).
    public var defects: [MIMEDefect] = []
    /// Parts seen, the top-level message included (those past ``MIMELimits/maxParts`` are
    /// counted, not parsed).
    public var partCount: Int = 0
    /// The deepest part reached (0 for a single-part message).
    public var maxDepth: Int = 0
    /// True when the message ended before a part that had begun was closed by its boundary.
    public var truncated: Bool = false

    public init() {}

    /// The message's defects followed by every attachment's.
    public var allDefects: [MIMEDefect] { defects + attachments.flatMap(\.defects) }

    /// The decoded value of the first header field called `name` (any case).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveEquals(name) }?.value
    }
}
