/// Something wrong with a message that the parser worked around: a missing boundary, bad
/// base64, a limit reached. Defects never stop parsing; they are reported with the message.
public struct MIMEDefect: Sendable, Hashable, CustomStringConvertible {
    /// What kind of defect this is. New codes may be added; match with `==`.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case truncated
            case invalidBase64
            case invalidUUEncode
            case unknownTransferEncoding
            case depthLimit
            case partLimit
            case headerTooLong
            case bodyTextTooLong
            case unknownCharset
            case undecodableText
            case missingBoundary
            case startBoundaryNotFound
            case closeBoundaryNotFound
            case invalidUTF8Header
            case malformedHeader
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The message ended before the closing boundary of a part that had begun.
        public static let truncated = Code(.truncated)
        /// Base64 with characters outside the alphabet, data after padding, or a dangling
        /// final character; decoded leniently.
        public static let invalidBase64 = Code(.invalidBase64)
        /// An `x-uuencode` body without its `begin` line, or with malformed lines.
        public static let invalidUUEncode = Code(.invalidUUEncode)
        /// A `Content-Transfer-Encoding` the parser does not know; the body is kept as is.
        public static let unknownTransferEncoding = Code(.unknownTransferEncoding)
        /// Parts nested deeper than ``MIMELimits/maxDepth``; the deeper content is opaque.
        public static let depthLimit = Code(.depthLimit)
        /// More parts than ``MIMELimits/maxParts``; the later ones are only counted.
        public static let partLimit = Code(.partLimit)
        /// A header block longer than ``MIMELimits/maxHeaderBytes``; the rest was skipped.
        public static let headerTooLong = Code(.headerTooLong)
        /// A text or HTML body longer than ``MIMELimits/maxBodyTextBytes``; it was shortened.
        public static let bodyTextTooLong = Code(.bodyTextTooLong)
        /// A charset the parser cannot decode; the text was decoded as UTF-8 with U+FFFD.
        public static let unknownCharset = Code(.unknownCharset)
        /// Bytes that are not valid in their declared charset; replaced with U+FFFD.
        public static let undecodableText = Code(.undecodableText)
        /// A multipart part without a `boundary` parameter; its body is kept as one part.
        public static let missingBoundary = Code(.missingBoundary)
        /// A multipart part in which its boundary never appears.
        public static let startBoundaryNotFound = Code(.startBoundaryNotFound)
        /// A multipart part ended (by an enclosing boundary) without its closing delimiter.
        public static let closeBoundaryNotFound = Code(.closeBoundaryNotFound)
        /// Raw 8-bit header bytes that are not UTF-8; each bad byte became U+FFFD.
        public static let invalidUTF8Header = Code(.invalidUTF8Header)
        /// A header line that is neither a field nor a continuation, or a malformed field value.
        public static let malformedHeader = Code(.malformedHeader)

        /// The code's name, e.g. `invalidBase64`.
        public var description: String { base.rawValue }
    }

    public var code: Code
    /// What was found, for people.
    public var message: String
    /// The part it was found in, as a dotted path of 1-based positions (`1.2` is the
    /// second part of the first part); empty for the top-level message.
    public var place: String

    public init(_ code: Code, _ message: String, place: String = "") {
        self.code = code
        self.message = message
        self.place = place
    }

    /// `1.2: invalidBase64: ...`, or without the place for the top-level message.
    public var description: String {
        place.isEmpty ? "\(code): \(message)" : "\(place): \(code): \(message)"
    }
}
