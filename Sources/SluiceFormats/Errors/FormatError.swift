import SluiceErrors

/// A file that cannot be read or written in its format (CSV, JSON, a workbook, a message),
/// with where in it and what to do. The one error of the format readers and writers:
/// ``CSVError``, ``JSONError``, ``XLSXError`` and ``MIMEError`` are names for it.
///
/// `description` reads like a compiler message, the place around the message:
/// `ventes.csv:14:9: unterminated quoted field`,
/// `orders.json:3:14: expected ',' or '}' after an object member, found ']'`,
/// `the shared string 12 does not exist (part xl/worksheets/sheet1.xml, cell B7)`.
public struct FormatError: UserFacingError, Hashable {
    public var code: Code
    /// What went wrong and, where possible, what to do about it.
    public var message: String
    /// Where in the input: file, line and column for text formats; part and cell for workbooks.
    public var place: InputPlace
    /// The lower-level error (``ZipError``, ``XMLError``), if any.
    public var cause: (any Error & Sendable)?
    public var thrownAt: ThrowSite

    public init(_ code: Code, _ message: String, place: InputPlace, cause: (any Error & Sendable)? = nil,
                fileID: String = #fileID, sourceLine: Int = #line) {
        self.code = code
        self.message = message
        self.place = place
        self.cause = cause
        self.thrownAt = ThrowSite(fileID: fileID, line: sourceLine)
    }

    /// The place given field by field: `source` is the file name shown to people.
    public init(_ code: Code, _ message: String, source: String? = nil, line: Int? = nil, column: Int? = nil,
                row: Int? = nil, byteOffset: Int? = nil, part: String? = nil, cell: String? = nil,
                cause: (any Error & Sendable)? = nil, fileID: String = #fileID, sourceLine: Int = #line) {
        self.init(code, message, place: InputPlace(file: source, line: line, column: column, row: row, byteOffset: byteOffset, part: part, cell: cell),
                  cause: cause, fileID: fileID, sourceLine: sourceLine)
    }

    public var description: String { place.placing(message) }

    /// Equal when the code, the message and the place are: the cause and the throw site are
    /// details of how the error came about.
    public static func == (a: FormatError, b: FormatError) -> Bool {
        a.code == b.code && a.message == b.message && a.place == b.place
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
        hasher.combine(place)
    }
}

extension FormatError {
    /// The file name shown to people, if any (`place.file`).
    public var source: String? { place.file }
    /// 1-based line (`place.line`).
    public var line: Int? { place.line }
    /// 1-based column (`place.column`): a byte column for CSV, Unicode scalars for JSON.
    public var column: Int? { place.column }
    /// 1-based row being written (`place.row`).
    public var row: Int? { place.row }
    /// 0-based byte offset in the input (`place.byteOffset`).
    public var byteOffset: Int? { place.byteOffset }
    /// The package part concerned (`place.part`).
    public var part: String? { place.part }
    /// The cell concerned (`place.cell`).
    public var cell: String? { place.cell }
}

/// A CSV file that cannot be read or written (codes: `unterminatedQuote`, `invalidEncoding`,
/// `unsupportedEncoding`, `tooManyFields`, `unrepresentableCharacter`, `invalidOption`,
/// `fileSystem`, `writerClosed`), placed by file, line and byte column, or by the row written.
public typealias CSVError = FormatError

/// A JSON document that cannot be parsed or written (codes: `syntax`, `invalidEncoding`,
/// `tooDeep`, `invalidNumber`, `fileSystem`), placed by file, line, column in Unicode scalars
/// and byte offset.
public typealias JSONError = FormatError

/// A workbook (.xlsx or .xls) that cannot be read or written, placed by part and cell, with
/// the zip or XML error behind it as `cause`.
public typealias XLSXError = FormatError

/// A message that could not be parsed at all: its file cannot be read (`fileSystem`), or the
/// parser was used out of order (`parserFinished`). Problems inside a message are
/// ``MIMEDefect``s, not errors.
public typealias MIMEError = FormatError
