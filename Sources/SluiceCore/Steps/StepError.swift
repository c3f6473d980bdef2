import Foundation
import SluiceErrors

/// A problem a step met at run time that a user must act on: a bad input, a validation
/// failure, a refused request. `transient` problems (a network error, a 5xx, a locked
/// database) may succeed when tried again.
///
/// The shared error shape (``UserFacingError``): a code, a message, the place in the input, an
/// optional cause and the throw site, with ``UserFacingError/detailedDescription()``. The runner
/// turns it into the run's one failure record, ``RunFailure``.
public struct StepError: UserFacingError {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable { case badInput, validation, effectFailed, configuration, `internal` }
        private let base: Base
        public static let badInput = Code(base: .badInput)
        public static let validation = Code(base: .validation)
        public static let effectFailed = Code(base: .effectFailed)
        public static let configuration = Code(base: .configuration)
        public static let `internal` = Code(base: .internal)
        public var description: String { base.rawValue }
    }

    public var code: Code
    public var message: String
    /// Where in the input (or output) the problem is: the file, and in it a line, row, cell...
    public var place: InputPlace
    /// Rows involved, numbered as the person sees them in the input file (``Dataset/rowNumber(_:)``:
    /// the header is row 1, blank rows count).
    public var rows: [Int]
    /// What the person should do about it.
    public var hint: String?
    public var transient: Bool
    /// For a transient failure: how long the other side asked us to wait (HTTP Retry-After).
    public var retryAfter: TimeInterval?
    /// Files the step wrote before failing (a rejects file): published with the failure.
    public var outputs: [AttachedFile] = []
    /// The lower-level error this one explains (a ``FormatError`` of the file read), if any.
    public var cause: (any Error & Sendable)?
    public var thrownAt: ThrowSite

    /// A step error at a structured place.
    public init(_ code: Code, _ message: String, at place: InputPlace, rows: [Int] = [], hint: String? = nil,
                transient: Bool = false, cause: (any Error & Sendable)? = nil, fileID: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.place = place
        self.rows = rows
        self.hint = hint
        self.transient = transient
        self.cause = cause
        self.thrownAt = ThrowSite(fileID: fileID, line: line)
    }

    /// A step error about `file`, at `place` in words (`line 14`, `row 7`, `cell B7`, `header`),
    /// read into the fields of an ``InputPlace`` (see ``InputPlace/init(file:within:)``).
    public init(_ code: Code, _ message: String, file: String? = nil, place: String? = nil, rows: [Int] = [],
                hint: String? = nil, transient: Bool = false, cause: (any Error & Sendable)? = nil,
                fileID: String = #fileID, line: Int = #line) {
        self.init(code, message, at: InputPlace(file: file, within: place), rows: rows, hint: hint, transient: transient,
                  cause: cause, fileID: fileID, line: line)
    }

    /// The file the problem is about (`place.file`).
    public var file: String? {
        get { place.file }
        set { place.file = newValue }
    }

    /// `Module/File.swift:line` of the throw (``thrownAt``).
    public var source: String { thrownAt.description }

    /// `v.csv:row 5: message (hint)`: what a person reads.
    public var description: String {
        var s = ""
        if let file { s += file + (place.withinFile.map { ":" + $0 } ?? "") + ": " }
        s += message
        if let hint { s += " (" + hint + ")" }
        return s
    }
}
