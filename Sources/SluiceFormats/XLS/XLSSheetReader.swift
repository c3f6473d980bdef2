import CFreeXL
import SluiceErrors
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads one sheet of an ``XLSWorkbook`` row by row, from the cells FreeXL already holds.
///
/// Rows without a value are skipped (numbers can jump), and each row ends at its last non-empty
/// cell, as ``XLSXSheetReader`` does. Numbers are shown as Excel shows them (15 significant
/// digits, see ``SpreadsheetNumber``); FreeXL's dates, date-times and times become ``XLSXCell``
/// dates.
public final class XLSSheetReader {
    /// The sheet read.
    public let sheet: XLSXSheetInfo
    /// Rows and columns the sheet declares.
    public let rowCount: Int
    public let columnCount: Int

    private let handle: FreeXLHandle
    private let limits: XLSLimits
    private let overlay: [Int: XLSXCell]
    private var nextRowIndex = 0

    init(handle: FreeXLHandle, sheet: XLSXSheetInfo, limits: XLSLimits, overlay: [Int: XLSXCell]) throws {
        self.handle = handle
        self.overlay = overlay
        self.sheet = sheet
        self.limits = limits
        try FreeXLStatus.check(freexl_select_active_worksheet(handle.raw, UInt16(sheet.index)))
        var rows: UInt32 = 0, columns: UInt16 = 0
        try FreeXLStatus.check(freexl_worksheet_dimensions(handle.raw, &rows, &columns))
        rowCount = Int(rows)
        columnCount = Int(columns)
    }

    /// The next row with at least one value, or nil after the last.
    public func nextRow() throws -> XLSXRow? {
        // Another reader of the same workbook may have selected its own sheet meanwhile.
        try FreeXLStatus.check(freexl_select_active_worksheet(handle.raw, UInt16(sheet.index)))
        while nextRowIndex < rowCount {
            let row = nextRowIndex
            nextRowIndex += 1
            var cells: [XLSXCell] = []
            var lastValue = -1
            for column in 0..<columnCount {
                let cell = try self.cell(row: row, column: column)
                if !cell.isEmpty { lastValue = column }
                cells.append(cell)
            }
            if lastValue < 0 { continue }
            cells.removeLast(cells.count - lastValue - 1)
            return XLSXRow(number: row + 1, cells: cells)
        }
        return nil
    }

    private func cell(row: Int, column: Int) throws -> XLSXCell {
        if let cell = overlay[row << 8 | column] { return cell }
        var value = FreeXL_CellValue()
        let status = freexl_get_cell_value(handle.raw, UInt32(row), UInt16(column), &value)
        if status != FREEXL_OK {
            var error = FreeXLStatus.error(status)
            error.place.cell = reference(row, column)
            throw error
        }
        switch Int32(value.type) {
        case FREEXL_CELL_INT:
            return .number(String(value.value.int_value))
        case FREEXL_CELL_DOUBLE:
            return value.value.double_value.isFinite ? .number(SpreadsheetNumber.text(of: value.value.double_value)) : .empty
        case FREEXL_CELL_TEXT, FREEXL_CELL_SST_TEXT:
            return .string(try text(value.value.text_value, row, column))
        case FREEXL_CELL_DATE, FREEXL_CELL_DATETIME, FREEXL_CELL_TIME:
            // 'YYYY-MM-DD', 'YYYY-MM-DD HH:MM:SS' or 'HH:MM:SS', computed by FreeXL in the workbook's date system.
            let written = try text(value.value.text_value, row, column)
            return XLSXDateConversion.parseISO(written) ?? .string(written)
        default:
            return .empty
        }
    }

    private func text(_ pointer: UnsafePointer<CChar>?, _ row: Int, _ column: Int) throws -> String {
        guard let pointer else { return "" }
        let length = strlen(pointer)
        if length > limits.maxCellTextBytes {
            throw XLSXError(.limitExceeded, "a cell holds \(length) bytes of text, more than the \(limits.maxCellTextBytes) allowed", cell: reference(row, column))
        }
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: length), as: UTF8.self)
    }

    private func reference(_ row: Int, _ column: Int) -> String {
        XLSXCellReference(row: row + 1, column: column + 1).description
    }
}
