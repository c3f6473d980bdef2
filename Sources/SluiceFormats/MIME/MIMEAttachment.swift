/// One attachment of a message: a leaf part with a file name, or marked
/// `Content-Disposition: attachment` (also inside attached `message/rfc822` messages).
///
/// The bytes are not here: the parser streams them to a ``MIMEAttachmentStore``.
public struct MIMEAttachment: Sendable, Hashable {
    /// 0-based position among the message's attachments, in message order.
    public var index: Int
    /// The name the sender gave (RFC 2183 `filename`, else `Content-Type` `name`), decoded
    /// (RFC 2231, RFC 2047) but not sanitised: show it, never use it as a path.
    public var originalName: String?
    /// A safe file name, unique (case-insensitively) within the message: see
    /// ``AttachmentName/safe(_:index:contentType:)``.
    public var safeName: String
    /// `type/subtype`, lowercased (`application/pdf`).
    public var contentType: String
    /// `attachment`, `inline`, or another disposition as written (lowercased); nil if none.
    public var disposition: String?
    /// The `Content-ID` without angle brackets.
    public var contentID: String?
    /// The `Content-Transfer-Encoding` as written, lowercased.
    public var transferEncoding: String?
    /// Decoded size in bytes; 0 until the part is finished.
    public var size: Int64
    /// Depth in the part tree (the top-level message is 0).
    public var depth: Int
    /// Problems with this part (bad base64, truncation, a name in an unknown charset...).
    public var defects: [MIMEDefect]
    /// False when the message ended before the part's closing boundary: the store was told
    /// to discard it.
    public var complete: Bool
    /// Whether the part is marked `Content-Disposition: inline` (shown in the body, e.g. an
    /// embedded image).
    public var inline: Bool
    /// The dotted part path (`1.2`), as in ``MIMEDefect/place``.
    public var place: String

    public init(index: Int, originalName: String?, safeName: String, contentType: String, disposition: String? = nil,
                contentID: String? = nil, transferEncoding: String? = nil, size: Int64 = 0, depth: Int = 1,
                defects: [MIMEDefect] = [], complete: Bool = true, inline: Bool = false, place: String = "") {
        self.index = index
        self.originalName = originalName
        self.safeName = safeName
        self.contentType = contentType
        self.disposition = disposition
        self.contentID = contentID
        self.transferEncoding = transferEncoding
        self.size = size
        self.depth = depth
        self.defects = defects
        self.complete = complete
        self.inline = inline
        self.place = place
    }
}
