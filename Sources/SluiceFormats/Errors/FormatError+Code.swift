extension FormatError {
    /// What kind of problem this is. New codes may be added; match with `==`.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            // Any format.
            case fileSystem = "file system", invalidEncoding = "invalid encoding", unsupportedEncoding = "unsupported encoding"
            case truncated, limitExceeded = "limit exceeded", unsupported
            case invalidArgument = "invalid argument", invalidState = "invalid state"
            // CSV.
            case unterminatedQuote = "unterminated quote", tooManyFields = "too many fields"
            case unrepresentableCharacter = "unrepresentable character", invalidOption = "invalid option", writerClosed = "writer closed"
            // JSON.
            case syntax, tooDeep = "too deep", invalidNumber = "invalid number"
            // Workbooks.
            case notSpreadsheet = "not a spreadsheet", encrypted, legacyFormat = "legacy format", corrupt
            case unsafeContent = "unsafe content", malformedXML = "malformed XML", missingPart = "missing part"
            case sheetNotFound = "sheet not found", invalidCell = "invalid cell"
            // Messages.
            case parserFinished = "parser finished"
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        public var description: String { base.rawValue }

        /// Opening, reading, writing, syncing or closing the file failed: the operating system refused.
        public static let fileSystem = Code(.fileSystem)
        /// The same as ``fileSystem``, as the workbook readers name it.
        public static let io = Code(.fileSystem)
        /// Bytes that are not valid in the encoding (explicit UTF-8 for CSV; UTF-8 for JSON, or an
        /// escape that is not a Unicode scalar).
        public static let invalidEncoding = Code(.invalidEncoding)
        /// The file is in an encoding Sluice does not read (UTF-16, UTF-32).
        public static let unsupportedEncoding = Code(.unsupportedEncoding)
        /// The file is incomplete (cut short, or still being copied): worth retrying later.
        public static let truncated = Code(.truncated)
        /// A configured cap (part size, total size, string length, depth) was reached.
        public static let limitExceeded = Code(.limitExceeded)
        /// A feature this reader does not implement.
        public static let unsupported = Code(.unsupported)
        /// A writer argument is not acceptable (a sheet name, a number's text).
        public static let invalidArgument = Code(.invalidArgument)
        /// A writer call out of order (a row before any sheet, a write after finish).
        public static let invalidState = Code(.invalidState)

        /// CSV: a quoted field has no closing quote before the end of the file.
        public static let unterminatedQuote = Code(.unterminatedQuote)
        /// CSV: a record has more fields than the header and the options say that is an error.
        public static let tooManyFields = Code(.tooManyFields)
        /// CSV: a character cannot be written in the chosen output encoding.
        public static let unrepresentableCharacter = Code(.unrepresentableCharacter)
        /// CSV: an option value that cannot work (e.g. a quote as delimiter).
        public static let invalidOption = Code(.invalidOption)
        /// CSV: a row was written after `close()`.
        public static let writerClosed = Code(.writerClosed)

        /// JSON: not JSON, an unexpected character or end of input.
        public static let syntax = Code(.syntax)
        /// JSON: arrays and objects nested deeper than the reader's limit.
        public static let tooDeep = Code(.tooDeep)
        /// JSON: `JSONWriter` was given a `.number` whose text is not a JSON number.
        public static let invalidNumber = Code(.invalidNumber)

        /// Workbooks: not a workbook at all (HTML, CSV or text renamed .xlsx or .xls, a Word document, another binary).
        public static let notSpreadsheet = Code(.notSpreadsheet)
        /// Workbooks: password-protected (an OLE2 container with an encrypted package).
        public static let encrypted = Code(.encrypted)
        /// Workbooks: a legacy Excel 97-2003 `.xls` workbook (OLE2) given to the xlsx-only ``XLSXWorkbook`` (``SpreadsheetWorkbook`` reads it).
        public static let legacyFormat = Code(.legacyFormat)
        /// Workbooks: the package is damaged (bad checksums, sizes, compressed data, duplicate entries).
        public static let corrupt = Code(.corrupt)
        /// Workbooks: content refused for safety (`<!DOCTYPE`, entity declarations).
        public static let unsafeContent = Code(.unsafeContent)
        /// Workbooks: a part is not well-formed XML.
        public static let malformedXML = Code(.malformedXML)
        /// Workbooks: a part the relationships require is absent.
        public static let missingPart = Code(.missingPart)
        /// Workbooks: no sheet has the requested name or index.
        public static let sheetNotFound = Code(.sheetNotFound)
        /// Workbooks: a cell's content contradicts its type (a shared-string index out of range, a bad reference).
        public static let invalidCell = Code(.invalidCell)

        /// Messages: `feed` or `finish` was called after `finish`.
        public static let parserFinished = Code(.parserFinished)
    }
}
