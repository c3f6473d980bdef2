/// An error reading or writing a workbook: what went wrong, in which part and cell, and what to do.
public struct XLSXError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, as a closed set that can grow without breaking callers.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Value: Hashable, Sendable {
            case notSpreadsheet, encrypted, legacyFormat, truncated, corrupt, limitExceeded
            case unsafeContent, malformedXML, missingPart, sheetNotFound, invalidCell, unsupported
            case io, invalidArgument, invalidState
        }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// Not a workbook at all (HTML, CSV or text renamed .xlsx or .xls, a Word document, another binary).
        public static let notSpreadsheet = Code(.notSpreadsheet)
        /// A password-protected workbook (an OLE2 container with an encrypted package).
        public static let encrypted = Code(.encrypted)
        /// A legacy Excel 97-2003 `.xls` workbook (OLE2) given to the xlsx-only ``XLSXWorkbook`` (``SpreadsheetWorkbook`` reads it).
        public static let legacyFormat = Code(.legacyFormat)
        /// The file is incomplete (cut short, or still being copied): worth retrying later.
        public static let truncated = Code(.truncated)
        /// The package is damaged (bad checksums, sizes, compressed data, duplicate entries).
        public static let corrupt = Code(.corrupt)
        /// A configured cap (part size, total size, string length, depth) was reached.
        public static let limitExceeded = Code(.limitExceeded)
        /// Content refused for safety (`<!DOCTYPE`, entity declarations).
        public static let unsafeContent = Code(.unsafeContent)
        /// A part is not well-formed XML.
        public static let malformedXML = Code(.malformedXML)
        /// A part the relationships require is absent.
        public static let missingPart = Code(.missingPart)
        /// No sheet has the requested name or index.
        public static let sheetNotFound = Code(.sheetNotFound)
        /// A cell's content contradicts its type (a shared-string index out of range, a bad reference).
        public static let invalidCell = Code(.invalidCell)
        /// A feature this reader does not implement.
        public static let unsupported = Code(.unsupported)
        /// The operating system refused a read or a write.
        public static let io = Code(.io)
        /// A writer argument is not acceptable (a sheet name, a number's text).
        public static let invalidArgument = Code(.invalidArgument)
        /// A writer call out of order (a row before any sheet, a write after finish).
        public static let invalidState = Code(.invalidState)

        public var description: String { "\(value)" }
    }

    /// What went wrong.
    public var code: Code
    /// A sentence a user can act on.
    public var message: String
    /// The package part concerned (`xl/worksheets/sheet1.xml`), if any.
    public var part: String?
    /// The cell concerned (`B7`), if any.
    public var cell: String?
    /// The lower-level error (``ZipError``, ``XMLError``), if any.
    public var cause: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, part: String? = nil, cell: String? = nil, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.part = part
        self.cell = cell
        self.cause = cause
    }

    public var description: String {
        var text = message
        var location: [String] = []
        if let part { location.append("part \(part)") }
        if let cell { location.append("cell \(cell)") }
        if !location.isEmpty { text += " (" + location.joined(separator: ", ") + ")" }
        return text
    }

    /// What to do, when the message does not say it already: re-saving in Excel or LibreOffice
    /// repairs a damaged file. Nil where that advice makes no sense (a file that is no workbook,
    /// a password, a file cut short, a limit, a missing sheet: their messages say what to do).
    public var suggestion: String? {
        switch code {
        case .corrupt, .malformedXML, .missingPart, .invalidCell, .unsupported, .unsafeContent:
            return message.contains("save") ? nil : "open the file in Excel or LibreOffice and save it again as .xlsx"
        default:
            return nil
        }
    }

    /// Wraps a zip or XML error met while reading `part`.
    static func wrapping(_ error: any Error, part: String?, cell: String? = nil) -> XLSXError {
        if var error = error as? XLSXError {
            error.part = error.part ?? part
            error.cell = error.cell ?? cell
            return error
        }
        if let zip = error as? ZipError {
            let code: Code
            switch zip.code {
            case .notAZip: code = .notSpreadsheet
            case .truncated: code = .truncated
            case .limitExceeded: code = .limitExceeded
            case .unsupported: code = .unsupported
            case .io: code = .io
            case .missingEntry: code = .missingPart
            default: code = .corrupt
            }
            return XLSXError(code, zip.message, part: part ?? zip.entry, cell: cell, cause: zip)
        }
        if let xml = error as? XMLError {
            let code: Code
            switch xml.code {
            case .doctypeRefused: code = .unsafeContent
            case .depthExceeded, .tokenTooLarge: code = .limitExceeded
            case .truncated: code = .truncated
            case .unsupportedEncoding: code = .unsupported
            default: code = .malformedXML
            }
            return XLSXError(code, "\(xml.message) at byte \(xml.offset)", part: part, cell: cell, cause: xml)
        }
        return XLSXError(.io, "\(error)", part: part, cell: cell)
    }
}
