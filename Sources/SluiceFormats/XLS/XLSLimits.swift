/// Caps that keep a hostile or damaged .xls within bounded memory and time. All are configurable.
///
/// FreeXL reads the whole workbook when it opens it and keeps, for every sheet, one 16-byte slot
/// per cell of the rectangle the sheet declares (its DIMENSION record), filled or not; so the
/// declared cells, not the file size, decide the memory it takes. They are counted by
/// ``XLSRecordScan`` before FreeXL is called.
public struct XLSLimits: Sendable, Hashable {
    /// Largest file read, in bytes (an Excel 97-2003 workbook rarely passes a few tens of MB).
    public var maxFileBytes: UInt64
    /// Most cells all sheets together may declare (32 Mi cells is about 512 MiB in FreeXL;
    /// one full BIFF8 sheet, 65,536 rows × 256 columns, is 16 Mi).
    public var maxDeclaredCells: UInt64
    /// Longest cell text, in UTF-8 bytes (Excel's own limit is 32,767 characters).
    public var maxCellTextBytes: Int

    public init(maxFileBytes: UInt64 = 512 << 20, maxDeclaredCells: UInt64 = 32 << 20, maxCellTextBytes: Int = 32_767 * 4) {
        self.maxFileBytes = maxFileBytes
        self.maxDeclaredCells = maxDeclaredCells
        self.maxCellTextBytes = maxCellTextBytes
    }
}
