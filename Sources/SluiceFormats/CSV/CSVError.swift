/// A CSV file that cannot be read or written, with where it happened.
///
/// `description` reads like a compiler message: `ventes.csv:14:9: unterminated quoted field`.
public struct CSVError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem this is. New codes may be added; match with `==`.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case unterminatedQuote = "unterminated quote"
            case invalidEncoding = "invalid encoding"
            case unsupportedEncoding = "unsupported encoding"
            case tooManyFields = "too many fields"
            case unrepresentableCharacter = "unrepresentable character"
            case invalidOption = "invalid option"
            case fileSystem = "file system"
            case writerClosed = "writer closed"
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// A quoted field has no closing quote before the end of the file.
        public static let unterminatedQuote = Code(.unterminatedQuote)
        /// Bytes that are not valid in the requested encoding (explicit UTF-8).
        public static let invalidEncoding = Code(.invalidEncoding)
        /// The file is in an encoding Sluice does not read (UTF-16, UTF-32).
        public static let unsupportedEncoding = Code(.unsupportedEncoding)
        /// A record has more fields than the header and the options say that is an error.
        public static let tooManyFields = Code(.tooManyFields)
        /// A character cannot be written in the chosen output encoding.
        public static let unrepresentableCharacter = Code(.unrepresentableCharacter)
        /// An option value that cannot work (e.g. a quote as delimiter).
        public static let invalidOption = Code(.invalidOption)
        /// Opening, reading, writing, syncing or closing the file failed.
        public static let fileSystem = Code(.fileSystem)
        /// A row was written after `close()`.
        public static let writerClosed = Code(.writerClosed)

        public var description: String { base.rawValue }
    }

    public var code: Code
    /// What went wrong and, where possible, what to do about it.
    public var message: String
    /// The file name shown to people (as given to the reader or writer), if any.
    public var source: String?
    /// 1-based line in the file being read.
    public var line: Int?
    /// 1-based column: a byte column for encoding errors and quote positions.
    public var column: Int?
    /// 1-based row being written (writer errors; the header, if written, is row 1).
    public var row: Int?

    public init(_ code: Code, _ message: String, source: String? = nil, line: Int? = nil, column: Int? = nil, row: Int? = nil) {
        self.code = code
        self.message = message
        self.source = source
        self.line = line
        self.column = column
        self.row = row
    }

    public var description: String {
        var place = source ?? ""
        if let line {
            place += place.isEmpty ? "line \(line)" : ":\(line)"
            if let column { place += ":\(column)" }
        }
        return place.isEmpty ? message : "\(place): \(message)"
    }

    init(_ failure: POSIXFileFailure, source: String?) {
        self.init(.fileSystem, failure.message, source: source)
    }
}

/// Something odd but recoverable found while reading, e.g. a duplicate header name.
public struct CSVWarning: Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var source: String?
    /// 1-based line.
    public var line: Int
    /// 1-based field position, when the warning is about one field.
    public var field: Int?

    public init(_ message: String, source: String? = nil, line: Int, field: Int? = nil) {
        self.message = message
        self.source = source
        self.line = line
        self.field = field
    }

    public var description: String {
        let place = source.map { "\($0):\(line)" } ?? "line \(line)"
        return "\(place): warning: \(message)"
    }
}
