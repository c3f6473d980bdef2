import CFreeXL

/// An opened Excel 97-2003 workbook (.xls: BIFF5 or BIFF8 in an OLE2 compound file), read by
/// FreeXL: its sheets, ready to read row by row as the same ``XLSXRow`` and ``XLSXCell`` values
/// the xlsx reader gives.
///
/// The file is checked first: its size, then the workbook stream's records (``XLSRecordScan``:
/// FreeXL relies on their structure without checking it; encryption; the cells the sheets
/// declare, see ``XLSLimits``), then FreeXL reads the compound file and the BIFF
/// records: shared strings, labels, numbers, RK and MULRK numbers, dates and times from the
/// cells' formats in the 1900 or 1904 date system. Formula results and boolean or error
/// constants, which FreeXL does not give, come from the record scan.
///
/// ```swift
/// let workbook = try XLSWorkbook(path: "ventes.xls")
/// let reader = try workbook.sheet(named: "Ventes")
/// while let row = try reader.nextRow() { print(row.number, row.cells) }
/// ```
public struct XLSWorkbook {
    /// Every sheet in workbook order (FreeXL lists them all as visible worksheets).
    public let sheets: [XLSXSheetInfo]
    /// Whether dates count from 1904-01-01 (the DATEMODE record) rather than 1900.
    public let usesDate1904: Bool
    /// 5 for BIFF5 (Excel 5.0/95), 8 for BIFF8 (Excel 97-2003).
    public let biffVersion: Int
    /// The limits this workbook enforces.
    public let limits: XLSLimits

    let handle: FreeXLHandle
    /// Formula results and boolean or error constants, which FreeXL does not give.
    let recordScan: XLSRecordScan

    /// Opens the workbook at `path`. Throws an ``XLSXError``: `.encrypted` for a password-protected
    /// workbook, `.truncated` for a file cut short, `.corrupt` for a damaged one,
    /// `.notSpreadsheet` for an OLE2 file holding no workbook (a Word document), `.limitExceeded`.
    public init(path: String, limits: XLSLimits = .init()) throws {
        self.limits = limits
        do {
            let file = try ReadableFile(path: path)
            guard try XLSXFileSignature.format(of: file) == .xls else {
                throw XLSXError(.notSpreadsheet, "this file is an xlsx workbook (a zip), not an Excel 97-2003 .xls; read it as xlsx")
            }
            try XLSPreflight.check(file, limits: limits)
            recordScan = try XLSRecordScan(stream: XLSCompoundFile(file).workbookStream(), limits: limits)
        } catch {
            throw XLSXError.wrapping(error, part: nil)
        }
        var raw: UnsafeRawPointer?
        let status = freexl_open(path, &raw)
        guard status == FREEXL_OK, let raw else {
            // FreeXL asks for a close even when opening failed; it refuses some damaged files
            // with FREEXL_OK and no handle.
            if let raw { freexl_close(raw) }
            throw FreeXLStatus.error(status == FREEXL_OK ? FREEXL_CRAFTED_FILE : status)
        }
        handle = FreeXLHandle(raw)

        if try handle.info(FREEXL_BIFF_PASSWORD) != UInt32(FREEXL_BIFF_PLAIN) { throw XLSXFileSignature.encrypted }
        usesDate1904 = try handle.info(FREEXL_BIFF_DATEMODE) == UInt32(FREEXL_BIFF_DATEMODE_1904)
        biffVersion = Int(try handle.info(FREEXL_BIFF_VERSION))
        let count = min(try handle.info(FREEXL_BIFF_SHEET_COUNT), UInt32(UInt16.max))
        var sheets: [XLSXSheetInfo] = []
        var declared: UInt64 = 0
        for index in 0..<UInt16(count) {
            var name: UnsafePointer<CChar>?
            try FreeXLStatus.check(freexl_get_worksheet_name(raw, index, &name))
            try FreeXLStatus.check(freexl_select_active_worksheet(raw, index))
            var rows: UInt32 = 0, columns: UInt16 = 0
            try FreeXLStatus.check(freexl_worksheet_dimensions(raw, &rows, &columns))
            declared += UInt64(rows) * UInt64(columns)
            sheets.append(XLSXSheetInfo(name: name.map { String(cString: $0) } ?? "Sheet\(index + 1)", index: Int(index),
                                        visibility: .visible, kind: .worksheet, partName: nil))
        }
        // A sheet without DIMENSION gets the rectangle of its cells: what FreeXL holds counts.
        if declared > limits.maxDeclaredCells {
            throw XLSXError(.limitExceeded, "the .xls sheets hold \(declared) cells together, more than the \(limits.maxDeclaredCells) this reader accepts; save the workbook as .xlsx, which is read as a stream")
        }
        self.sheets = sheets
    }

    /// A reader over the sheet with this name (exact, then case-insensitive as Excel compares names).
    public func sheet(named name: String) throws -> XLSSheetReader {
        let info = sheets.first { $0.name == name } ?? sheets.first { $0.name.lowercased() == name.lowercased() }
        guard let info else {
            let names = sheets.map { "\"\($0.name)\"" }.joined(separator: ", ")
            throw XLSXError(.sheetNotFound, "the workbook has no sheet named \"\(name)\"; its sheets are \(names.isEmpty ? "(none)" : names)")
        }
        return try XLSSheetReader(handle: handle, sheet: info, limits: limits, overlay: recordScan.cells[info.index] ?? [:])
    }

    /// A reader over the sheet at this 0-based position in workbook order.
    public func sheet(at index: Int) throws -> XLSSheetReader {
        guard sheets.indices.contains(index) else {
            let names = sheets.map { "\($0.index): \"\($0.name)\"" }.joined(separator: ", ")
            throw XLSXError(.sheetNotFound, "the workbook has no sheet at index \(index) (indices start at 0); its sheets are \(names.isEmpty ? "(none)" : names)")
        }
        return try XLSSheetReader(handle: handle, sheet: sheets[index], limits: limits, overlay: recordScan.cells[index] ?? [:])
    }
}
