/// Where the decoded body of the part being read goes.
enum MIMEPartSink {
    /// Preambles, epilogues, opaque parts and body parts nobody keeps.
    case discard
    case attachment(AttachmentBody)
    case text(TextBody)
}

/// An attachment's body on its way to the store, in 64 KiB writes.
final class AttachmentBody {
    /// Position in ``MIMEMessage/attachments``.
    let index: Int
    private let output: (any MIMEPartOutput)?
    private var decoder: TransferDecoder
    private var buffer: [UInt8] = []
    private(set) var size: Int64 = 0

    private static let writeSize = 1 << 16

    init(index: Int, output: (any MIMEPartOutput)?, decoder: TransferDecoder) {
        self.index = index
        self.output = output
        self.decoder = decoder
    }

    func consume(_ bytes: UnsafeRawBufferPointer) throws {
        decoder.decode(bytes, into: &buffer)
        if buffer.count >= Self.writeSize { try flush() }
    }

    /// Writes what is left, tells the output how the part ended, and returns the encoding
    /// problem found, if any.
    func finish(complete: Bool) throws -> (MIMEDefect.Code, String)? {
        let problem = decoder.finish(into: &buffer)
        try flush()
        try output?.finish(complete: complete)
        return problem
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        size += Int64(buffer.count)
        if let output { try buffer.withUnsafeBytes { try output.write($0) } }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// The first `text/plain` or `text/html` body, kept up to a limit and decoded at the end.
final class TextBody {
    let isHTML: Bool
    private let charset: MIMECharset
    private let limit: Int
    private var decoder: TransferDecoder
    private var bytes: [UInt8] = []
    private(set) var overflowed = false

    init(isHTML: Bool, charset: MIMECharset, limit: Int, decoder: TransferDecoder) {
        self.isHTML = isHTML
        self.charset = charset
        self.limit = limit
        self.decoder = decoder
    }

    func consume(_ input: UnsafeRawBufferPointer) {
        guard !overflowed else { return }
        decoder.decode(input, into: &bytes)
        cap()
    }

    /// The text, and the problems found (encoding, charset, length).
    func finish() -> (text: String, problems: [(MIMEDefect.Code, String)]) {
        var problems: [(MIMEDefect.Code, String)] = []
        if !overflowed, let p = decoder.finish(into: &bytes) { problems.append(p) }
        cap()
        if overflowed {
            problems.append((.bodyTextTooLong, "\(isHTML ? "HTML" : "text") body cut at \(limit) bytes"))
            // Do not end inside a UTF-8 sequence.
            if charset.kind == .utf8 {
                var end = bytes.count
                while end > 0 && bytes[end - 1] & 0xC0 == 0x80 { end -= 1 }
                if end > 0 && bytes[end - 1] >= 0xC0 { bytes.removeSubrange((end - 1)...) }
            }
        }
        let (text, lossless) = charset.decode(bytes)
        if !charset.isKnown {
            problems.append((.unknownCharset, "body in unknown charset '\(charset.label)', decoded as UTF-8"))
        } else if !lossless {
            problems.append((.undecodableText, "body has bytes invalid in \(charset.label), replaced with U+FFFD"))
        }
        return (text, problems)
    }

    private func cap() {
        if bytes.count > limit {
            bytes.removeSubrange(limit...)
            overflowed = true
        }
    }
}
