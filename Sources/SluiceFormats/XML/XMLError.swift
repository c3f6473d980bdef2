import SluiceErrors

/// An error raised by ``XMLScanner``: malformed or refused XML, with the byte offset where it was found.
public struct XMLError: UserFacingError {
    /// What went wrong, as a closed set that can grow without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case malformed, doctypeRefused, depthExceeded, tokenTooLarge, unsupportedEncoding, unknownEntity, truncated
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The bytes are not well-formed XML.
        public static let malformed = Code(.malformed)
        /// A `<!DOCTYPE` declaration (refused: it enables entity expansion attacks).
        public static let doctypeRefused = Code(.doctypeRefused)
        /// Elements nest deeper than the limit.
        public static let depthExceeded = Code(.depthExceeded)
        /// One tag, text run or comment is longer than the limit.
        public static let tokenTooLarge = Code(.tokenTooLarge)
        /// The part is not UTF-8 (UTF-16 is not supported).
        public static let unsupportedEncoding = Code(.unsupportedEncoding)
        /// An entity reference other than the five predefined ones and character references.
        public static let unknownEntity = Code(.unknownEntity)
        /// The document ends inside an element.
        public static let truncated = Code(.truncated)

        public var description: String { "\(value)" }
    }

    /// What went wrong.
    public var code: Code
    /// A sentence a user can act on.
    public var message: String
    /// Byte offset from the start of the XML document.
    public var offset: Int
    public var thrownAt: ThrowSite

    public init(_ code: Code, _ message: String, offset: Int, fileID: String = #fileID, sourceLine: Int = #line) {
        self.code = code
        self.message = message
        self.offset = offset
        self.thrownAt = ThrowSite(fileID: fileID, line: sourceLine)
    }

    /// The byte offset in the XML document.
    public var place: InputPlace { InputPlace(byteOffset: offset) }
    /// Always nil: an XML error is where the trouble starts.
    public var cause: (any Error & Sendable)? { nil }

    public var description: String { "\(message) (at byte \(offset))" }
}

/// Caps on one XML document, so hostile input ends in an error within bounded memory.
public struct XMLScannerLimits: Sendable, Hashable {
    /// Deepest element nesting allowed.
    public var maxDepth: Int
    /// Longest single tag, text run, comment or CDATA section, in bytes.
    public var maxTokenBytes: Int

    public init(maxDepth: Int = 256, maxTokenBytes: Int = 16 << 20) {
        self.maxDepth = maxDepth
        self.maxTokenBytes = maxTokenBytes
    }
}
