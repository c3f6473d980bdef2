/// The two workbook formats Sluice reads.
public enum SpreadsheetFormat: String, Sendable, Hashable {
    /// Office Open XML (.xlsx, .xlsm): a zip of XML parts.
    case xlsx
    /// Excel 97-2003 (.xls, BIFF5/BIFF8): an OLE2 compound file.
    case xls
}

/// Rows of one sheet, whichever reader produces them.
public protocol SpreadsheetRowReader: AnyObject {
    /// The next row with at least one value, or nil after the last.
    func nextRow() throws -> XLSXRow?
}

extension XLSXSheetReader: SpreadsheetRowReader {}
extension XLSSheetReader: SpreadsheetRowReader {}

/// A workbook opened by what its bytes are, not by its name: a zip is read as xlsx, an OLE2
/// compound file as .xls (through FreeXL). Either gives the same sheets, rows and cells, so one
/// step reads both.
///
/// Throws an ``XLSXError`` for anything else, named for what it looks like (HTML, CSV or text
/// renamed .xlsx or .xls, a password-protected workbook, an empty file).
public struct SpreadsheetWorkbook {
    private enum Opened {
        case xlsx(XLSXWorkbook)
        case xls(XLSWorkbook)
    }

    private let opened: Opened

    public init(path: String, limits: XLSXLimits = .init(), xlsLimits: XLSLimits = .init()) throws {
        let format: SpreadsheetFormat
        do { format = try XLSXFileSignature.format(of: try ReadableFile(path: path)) } catch { throw XLSXError.wrapping(error, part: nil) }
        switch format {
        case .xlsx: opened = .xlsx(try XLSXWorkbook(path: path, limits: limits))
        case .xls: opened = .xls(try XLSWorkbook(path: path, limits: xlsLimits))
        }
    }

    /// Which format the content is.
    public var format: SpreadsheetFormat {
        switch opened {
        case .xlsx: .xlsx
        case .xls: .xls
        }
    }

    /// Every sheet in workbook order.
    public var sheets: [XLSXSheetInfo] {
        switch opened {
        case .xlsx(let w): w.sheets
        case .xls(let w): w.sheets
        }
    }

    /// Whether dates count from 1904-01-01.
    public var usesDate1904: Bool {
        switch opened {
        case .xlsx(let w): w.usesDate1904
        case .xls(let w): w.usesDate1904
        }
    }

    /// A reader over the sheet with this name (exact, then case-insensitive).
    public func sheet(named name: String) throws -> any SpreadsheetRowReader {
        switch opened {
        case .xlsx(let w): try w.sheet(named: name)
        case .xls(let w): try w.sheet(named: name)
        }
    }

    /// A reader over the sheet at this 0-based position.
    public func sheet(at index: Int) throws -> any SpreadsheetRowReader {
        switch opened {
        case .xlsx(let w): try w.sheet(at: index)
        case .xls(let w): try w.sheet(at: index)
        }
    }
}
