import SluiceErrors

/// An error raised while reading or writing a zip container.
///
/// The message names the entry (when there is one) and what the user can do about it.
public struct ZipError: UserFacingError {
    /// What went wrong, as a closed set that can grow without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case notAZip, truncated, corrupt, unsupported, limitExceeded
            case duplicateEntry, sizeMismatch, checksumMismatch, missingEntry, io
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The file does not start like a zip archive.
        public static let notAZip = Code(.notAZip)
        /// The archive ends early (no central directory, or an entry runs past the end of the file).
        public static let truncated = Code(.truncated)
        /// A header or the compressed data is malformed.
        public static let corrupt = Code(.corrupt)
        /// A feature this reader does not implement (encryption, a compression method, multi-disk).
        public static let unsupported = Code(.unsupported)
        /// A configured cap (entry size, total inflated size, entry count) was reached.
        public static let limitExceeded = Code(.limitExceeded)
        /// Two entries have the same name.
        public static let duplicateEntry = Code(.duplicateEntry)
        /// An entry inflates to more (or fewer) bytes than its headers declare.
        public static let sizeMismatch = Code(.sizeMismatch)
        /// An entry's CRC-32 does not match its content.
        public static let checksumMismatch = Code(.checksumMismatch)
        /// A requested entry is not in the archive.
        public static let missingEntry = Code(.missingEntry)
        /// The operating system refused a read or a write.
        public static let io = Code(.io)

        public var description: String { "\(value)" }
    }

    /// What went wrong.
    public var code: Code
    /// A sentence a user can act on.
    public var message: String
    /// The entry concerned, if any.
    public var entry: String?
    /// The byte offset in the archive file, if known.
    public var offset: UInt64?
    public var thrownAt: ThrowSite

    public init(_ code: Code, _ message: String, entry: String? = nil, offset: UInt64? = nil, fileID: String = #fileID, sourceLine: Int = #line) {
        self.code = code
        self.message = message
        self.entry = entry
        self.offset = offset
        self.thrownAt = ThrowSite(fileID: fileID, line: sourceLine)
    }

    /// The entry as the part, and the offset.
    public var place: InputPlace { InputPlace(byteOffset: offset.map { Int(clamping: $0) }, part: entry) }
    /// Always nil: a zip error is where the trouble starts.
    public var cause: (any Error & Sendable)? { nil }

    public var description: String {
        var text = message
        if let entry { text += " (entry \(entry)" + (offset.map { ", offset \($0)" } ?? "") + ")" }
        else if let offset { text += " (offset \(offset))" }
        return text
    }
}
