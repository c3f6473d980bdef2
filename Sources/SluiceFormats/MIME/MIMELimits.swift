/// Bounds on the work one message may cause, so hostile mail cannot exhaust memory,
/// stack, file descriptors or time.
///
/// Going over a limit is never an error: the parser records a ``MIMEDefect`` and carries
/// on with less (an opaque part, no more attachments, a shortened header or body text).
public struct MIMELimits: Sendable, Hashable {
    /// Deepest part kept apart: the top-level message is depth 0, its parts depth 1, and so
    /// on (a `message/rfc822` part's own message is one deeper). A multipart or message
    /// part whose children would be deeper is treated as one opaque part.
    public var maxDepth = 32
    /// Parts parsed per message, the top-level one included. Past it, parts are only
    /// counted: no headers are read and no attachment is passed on.
    public var maxParts = 500
    /// Bytes kept of one header block (the top-level one or one part's); the rest of the
    /// block is skipped.
    public var maxHeaderBytes = 256 * 1024
    /// Decoded bytes kept of ``MIMEMessage/textBody`` and of ``MIMEMessage/htmlBody``.
    public var maxBodyTextBytes = 1 << 20

    public init() {}
}
