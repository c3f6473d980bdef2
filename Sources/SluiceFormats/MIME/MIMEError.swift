/// A message that could not be parsed at all: its file cannot be read, or the parser was
/// used out of order. Problems inside a message are ``MIMEDefect``s, not errors.
public struct MIMEError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem this is. New codes may be added; match with `==`.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case fileSystem = "file system"
            case parserFinished = "parser finished"
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// Opening or reading the message file failed.
        public static let fileSystem = Code(.fileSystem)
        /// `feed` or `finish` was called after `finish`.
        public static let parserFinished = Code(.parserFinished)

        public var description: String { base.rawValue }
    }

    public var code: Code
    /// What went wrong and, where possible, what to do about it.
    public var message: String
    /// The file being read, when there is one.
    public var path: String?
    /// Where the error was thrown, for developers: `SluiceFormats/MIME/MIMEStreamParser.swift:42`.
    public var location: String

    public init(_ code: Code, _ message: String, path: String? = nil, fileID: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.path = path
        self.location = "\(fileID):\(line)"
    }

    public var description: String {
        path.map { "\($0): \(message)" } ?? message
    }
}
