import Foundation

/// A refused message: a header value that would break the header block (header
/// injection), an address that cannot be sent to, an attachment that cannot be read.
public struct MIMEComposerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The header the problem is in (`Subject`, `To`, `attachment file name`), when it is one.
    public var header: String?
    public var message: String

    public init(header: String?, _ message: String) {
        self.header = header
        self.message = message
    }

    public var description: String { header.map { "\($0): \(message)" } ?? message }
}

/// An e-mail ready to send, written as RFC 5322 / MIME bytes.
///
/// - Headers: Date, From, Reply-To, To, Cc, Subject, Message-ID, In-Reply-To, References,
///   X-Priority and Importance (when not normal), Auto-Submitted, MIME-Version. There is no
///   Bcc: blind copies are envelope recipients only, and never appear here.
/// - Body: text alone, or `multipart/alternative` (text, then HTML), inside
///   `multipart/mixed` when there are attachments. Texts are UTF-8, sent as they are when
///   they are short-lined ASCII, else quoted-printable (no line over 76 characters).
///   Attachments are base64 in 76-character lines, read from their files in chunks.
/// - Every line ends with CRLF, so an SMTP client's dot-stuffing (a `.` at the start of a
///   line is doubled) sees every line.
/// - A CR, LF or NUL in any header value (a name, a subject, a file name, a message id) is
///   refused with an error naming the header: no value can add a header of its own.
/// - Boundaries start with `=_`, which neither base64 nor quoted-printable can produce, and
///   are checked against the texts sent as they are.
public struct MIMEComposer: Sendable {
    public enum Priority: String, Sendable, CaseIterable {
        case high, normal, low
    }

    /// A file to attach: the name the recipient sees and where its bytes are.
    public struct Attachment: Sendable, Hashable {
        public var name: String
        public var path: String
        /// Guessed from the name's extension when nil.
        public var contentType: String?

        public init(name: String, path: String, contentType: String? = nil) {
            self.name = name
            self.path = path
            self.contentType = contentType
        }
    }

    public var from: MailAddress
    public var to: [MailAddress] = []
    public var cc: [MailAddress] = []
    public var replyTo: [MailAddress] = []
    public var subject: String = ""
    public var date: Date
    /// The zone the Date header is written in.
    public var timeZone: TimeZone
    /// `left@right`, without the angle brackets.
    public var messageID: String
    /// The message this one answers (its id, without angle brackets).
    public var inReplyTo: String?
    /// The thread, oldest first (ids without angle brackets).
    public var references: [String] = []
    public var priority: Priority = .normal
    /// RFC 3834: `auto-generated`, `auto-replied`, or nil for none.
    public var autoSubmitted: String? = "auto-generated"
    public var text: String?
    public var html: String?
    public var attachments: [Attachment] = []

    public init(from: MailAddress, messageID: String, date: Date, timeZone: TimeZone = TimeZone(identifier: "UTC")!) {
        self.from = from
        self.messageID = messageID
        self.date = date
        self.timeZone = timeZone
    }

    /// The whole message in memory (for tests and small previews).
    public func compose() throws -> [UInt8] {
        var sink = Sink(fd: nil, path: "")
        try write(into: &sink)
        return sink.buffer
    }

    /// Writes the message to `path` (created or replaced); returns its size in bytes.
    @discardableResult
    public func write(to path: String) throws -> Int64 {
        let fd: Int32
        do { fd = try POSIXFile.openForWriting(path: path) } catch { throw MIMEComposerError(header: nil, error.message) }
        defer { _ = POSIXFile.systemClose(fd) }
        var sink = Sink(fd: fd, path: path)
        try write(into: &sink)
        try sink.flush()
        return sink.written
    }

    /// Checks every header value without writing anything.
    public func validate() throws {
        try Self.check(from, header: "From")
        for a in to { try Self.check(a, header: "To") }
        for a in cc { try Self.check(a, header: "Cc") }
        for a in replyTo { try Self.check(a, header: "Reply-To") }
        try Self.checkValue(subject, header: "Subject")
        try Self.checkMessageID(messageID, header: "Message-ID")
        if let inReplyTo { try Self.checkMessageID(inReplyTo, header: "In-Reply-To") }
        for id in references { try Self.checkMessageID(id, header: "References") }
        if let autoSubmitted { try Self.checkValue(autoSubmitted, header: "Auto-Submitted") }
        for a in attachments {
            try Self.checkValue(a.name, header: "attachment file name")
            if a.name.isEmpty { throw MIMEComposerError(header: "attachment file name", "an attachment has an empty name") }
            if let t = a.contentType { try Self.checkValue(t, header: "Content-Type") }
        }
    }

    /// The header block (without the blank line that ends it), for tests and previews.
    public func messageHeaders() throws -> String {
        try validate()
        var h = "Date: " + MIMEHeaderEncoding.date(date, timeZone: timeZone) + "\r\n"
        h += MIMEHeaderEncoding.addressList(name: "From", [from])
        if !replyTo.isEmpty { h += MIMEHeaderEncoding.addressList(name: "Reply-To", replyTo) }
        if to.isEmpty && cc.isEmpty {
            h += "To: undisclosed-recipients:;\r\n"
        } else if !to.isEmpty {
            h += MIMEHeaderEncoding.addressList(name: "To", to)
        }
        if !cc.isEmpty { h += MIMEHeaderEncoding.addressList(name: "Cc", cc) }
        h += MIMEHeaderEncoding.unstructured(name: "Subject", value: subject)
        h += "Message-ID: <" + messageID + ">\r\n"
        if let inReplyTo { h += "In-Reply-To: <" + inReplyTo + ">\r\n" }
        if !references.isEmpty { h += MIMEHeaderEncoding.fold(name: "References", tokens: references.map { "<" + $0 + ">" }) }
        switch priority {
        case .high: h += "X-Priority: 1 (Highest)\r\nImportance: high\r\n"
        case .low: h += "X-Priority: 5 (Lowest)\r\nImportance: low\r\n"
        case .normal: break
        }
        if let autoSubmitted { h += "Auto-Submitted: " + autoSubmitted + "\r\n" }
        h += "MIME-Version: 1.0\r\n"
        return h
    }

    // MARK: Checks

    /// Refuses the characters that would end a header line or the string: CR, LF and NUL.
    static func checkValue(_ value: String, header: String) throws {
        if value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }) {
            throw MIMEComposerError(header: header, "the value holds a line break or a NUL character, which header values may not hold (it could add headers of its own): \(shown(value))")
        }
    }

    static func check(_ address: MailAddress, header: String) throws {
        if let name = address.name { try checkValue(name, header: header) }
        try checkValue(address.address, header: header)
        guard address.address.utf8.allSatisfy({ $0 < 0x80 }) else {
            throw MIMEComposerError(header: header, "'\(address.address)' is not an ASCII address; addresses with other characters cannot be sent")
        }
        guard address.isDeliverable else {
            throw MIMEComposerError(header: header, "'\(address.address)' is not an e-mail address (expected name@domain)")
        }
    }

    /// `left@right` or any id another mailer made: printable ASCII without spaces or angle brackets.
    static func checkMessageID(_ id: String, header: String) throws {
        try checkValue(id, header: header)
        guard !id.isEmpty, id.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") }) else {
            throw MIMEComposerError(header: header, "'\(id)' is not a message id (printable ASCII without spaces or angle brackets)")
        }
    }

    /// A value for an error message: control characters made visible, long values cut.
    static func shown(_ value: String) -> String {
        var out = ""
        for scalar in value.unicodeScalars.prefix(80) {
            switch scalar {
            case "\r": out += "\\r"
            case "\n": out += "\\n"
            case "\0": out += "\\0"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return "'" + out + (value.unicodeScalars.count > 80 ? "…" : "") + "'"
    }
}
