/// Receives decoded attachment bytes; the parser never holds an attachment in memory.
///
/// For each attachment the parser calls ``begin(_:)`` once, then writes to the returned
/// output, then calls ``MIMEPartOutput/finish(complete:)`` exactly once. An error thrown by
/// the store stops parsing and is rethrown by the parser.
public protocol MIMEAttachmentStore: AnyObject {
    /// A new attachment starts; it has its index, names and type, and size 0 yet.
    func begin(_ attachment: MIMEAttachment) throws -> any MIMEPartOutput
}

/// Where one attachment's decoded bytes go.
public protocol MIMEPartOutput: AnyObject {
    /// The next decoded bytes (valid only during the call).
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// complete == false when the message ended before the part's closing boundary
    /// (truncated): the store must discard what it got.
    func finish(complete: Bool) throws
}
