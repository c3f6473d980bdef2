import CFreeXL

/// One FreeXL handle, closed when the workbook and its readers are gone.
final class FreeXLHandle {
    let raw: UnsafeRawPointer

    init(_ raw: UnsafeRawPointer) { self.raw = raw }
    deinit { freexl_close(raw) }

    func info(_ what: Int32) throws -> UInt32 {
        var value: UInt32 = 0
        try FreeXLStatus.check(freexl_get_info(raw, UInt16(what), &value))
        return value
    }
}

/// FreeXL's status codes as ``XLSXError``s a person can act on.
enum FreeXLStatus {
    static func check(_ status: Int32) throws {
        if status != FREEXL_OK { throw error(status) }
    }

    static func error(_ status: Int32) -> XLSXError {
        let damaged = "the .xls workbook is damaged"
        switch status {
        case FREEXL_FILE_NOT_FOUND:
            return XLSXError(.io, "the .xls file cannot be opened for reading")
        case FREEXL_INSUFFICIENT_MEMORY:
            return XLSXError(.limitExceeded, "the .xls workbook needs more memory than is available; save it as .xlsx, which is read as a stream")
        case FREEXL_CFBF_READ_ERROR, FREEXL_CFBF_SEEK_ERROR:
            return XLSXError(.truncated, "the .xls file is cut short: its compound-file directory points past its end (it may still be being copied; try again once it is complete)")
        case FREEXL_INVALID_CFBF_HEADER, FREEXL_CFBF_INVALID_SIGNATURE, FREEXL_CFBF_INVALID_SECTOR_SIZE:
            return XLSXError(.corrupt, "\(damaged): its compound-file header is invalid")
        case FREEXL_CFBF_EMPTY_FAT_CHAIN, FREEXL_CFBF_ILLEGAL_FAT_ENTRY, FREEXL_INVALID_MINI_STREAM, FREEXL_CFBF_ILLEGAL_MINI_FAT_ENTRY:
            return XLSXError(.corrupt, "\(damaged): its compound-file sector tables are inconsistent")
        case FREEXL_BIFF_WORKBOOK_NOT_FOUND:
            return XLSXError(.notSpreadsheet, "this OLE2 compound file holds no Excel workbook (it may be a Word or PowerPoint 97-2003 document renamed .xls)")
        case FREEXL_BIFF_INVALID_BOF:
            return XLSXError(.corrupt, "\(damaged): its workbook stream does not start with a BIFF5 or BIFF8 header (Excel 5.0 to 2003)")
        case FREEXL_BIFF_INVALID_SST, FREEXL_BIFF_ILLEGAL_SST_INDEX:
            return XLSXError(.corrupt, "\(damaged): its shared-string table is invalid or a cell names a string it does not hold")
        case FREEXL_INVALID_CHARACTER, FREEXL_UNSUPPORTED_CHARSET:
            return XLSXError(.unsupported, "the .xls workbook holds text in a code page that cannot be converted to Unicode")
        case FREEXL_CRAFTED_FILE:
            return XLSXError(.corrupt, "FreeXL, the library reading .xls, refuses this workbook as damaged (a chart, on its own sheet or in a worksheet, is enough for it to)")
        case FREEXL_ILLEGAL_RK_VALUE:
            return XLSXError(.corrupt, "\(damaged): a number (RK record) cannot be decoded")
        case FREEXL_BIFF_ILLEGAL_SHEET_INDEX, FREEXL_BIFF_UNSELECTED_SHEET, FREEXL_ILLEGAL_CELL_ROW_COL:
            return XLSXError(.corrupt, "\(damaged): a sheet's cells do not match its declared size")
        default:
            return XLSXError(.corrupt, "\(damaged) (FreeXL status \(status))")
        }
    }
}
