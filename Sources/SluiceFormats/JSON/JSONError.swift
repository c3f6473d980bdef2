/// A JSON document that cannot be parsed or written, with where and what was expected.
///
/// `description` reads like a compiler message:
/// `orders.json:3:14: expected ',' or '}' after an object member, found ']'`.
public struct JSONError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem this is. New codes may be added; match with `==`.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case syntax, invalidEncoding = "invalid encoding", tooDeep = "too deep"
            case invalidNumber = "invalid number", fileSystem = "file system"
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Not JSON: an unexpected character or end of input.
        public static let syntax = Code(.syntax)
        /// Bytes that are not UTF-8, or an escape that is not a Unicode scalar.
        public static let invalidEncoding = Code(.invalidEncoding)
        /// Arrays and objects nested deeper than the reader's limit.
        public static let tooDeep = Code(.tooDeep)
        /// `JSONWriter` was given a `.number` whose text is not a JSON number.
        public static let invalidNumber = Code(.invalidNumber)
        /// The file could not be read.
        public static let fileSystem = Code(.fileSystem)

        public var description: String { base.rawValue }
    }

    public var code: Code
    /// What went wrong, phrased as what was expected and what was found.
    public var message: String
    /// The file name shown to people, if any.
    public var source: String?
    /// 1-based line.
    public var line: Int?
    /// 1-based column, counted in Unicode scalars from the start of the line.
    public var column: Int?
    /// 0-based byte offset in the input.
    public var byteOffset: Int?

    public init(_ code: Code, _ message: String, source: String? = nil, line: Int? = nil, column: Int? = nil, byteOffset: Int? = nil) {
        self.code = code
        self.message = message
        self.source = source
        self.line = line
        self.column = column
        self.byteOffset = byteOffset
    }

    public var description: String {
        var place = source ?? ""
        if let line {
            place += place.isEmpty ? "line \(line)" : ":\(line)"
            if let column { place += ":\(column)" }
        }
        return place.isEmpty ? message : "\(place): \(message)"
    }
}
