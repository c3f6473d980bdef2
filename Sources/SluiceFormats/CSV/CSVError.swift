extension FormatError {
    /// A CSV file that could not be opened, read, written or closed.
    init(_ failure: POSIXFileFailure, source: String?, fileID: String = #fileID, sourceLine: Int = #line) {
        self.init(.fileSystem, failure.message, source: source, fileID: fileID, sourceLine: sourceLine)
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
