/// A sheet as the workbook lists it.
public struct XLSXSheetInfo: Sendable, Hashable {
    /// Whether a sheet shows in Excel's tab bar.
    public enum Visibility: String, Sendable, Hashable {
        case visible, hidden, veryHidden
    }

    /// What the sheet holds; only worksheets have cells.
    public enum Kind: String, Sendable, Hashable {
        case worksheet, chartsheet, dialogsheet, macrosheet, unknown
    }

    /// The tab name.
    public var name: String
    /// 0-based position in workbook order.
    public var index: Int
    public var visibility: Visibility
    public var kind: Kind
    /// The package part holding the sheet (`xl/worksheets/sheet1.xml`), nil when its relationship is missing.
    public var partName: String?

    public init(name: String, index: Int, visibility: Visibility, kind: Kind, partName: String?) {
        self.name = name
        self.index = index
        self.visibility = visibility
        self.kind = kind
        self.partName = partName
    }
}

/// A rectangular cell range such as a merged area `A1:C3`, 1-based and inclusive.
public struct XLSXCellRange: Sendable, Hashable, CustomStringConvertible {
    public var firstRow: Int
    public var firstColumn: Int
    public var lastRow: Int
    public var lastColumn: Int

    public init(firstRow: Int, firstColumn: Int, lastRow: Int, lastColumn: Int) {
        self.firstRow = firstRow
        self.firstColumn = firstColumn
        self.lastRow = lastRow
        self.lastColumn = lastColumn
    }

    /// Parses `A1:C3` or `B2`; nil if malformed.
    public init?(reference: String) {
        let parts = reference.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2,
              let first = XLSXCellReference(Array(parts[0].utf8)),
              let last = parts.count == 2 ? XLSXCellReference(Array(parts[1].utf8)) : first
        else { return nil }
        self.init(firstRow: min(first.row, last.row), firstColumn: min(first.column, last.column),
                  lastRow: max(first.row, last.row), lastColumn: max(first.column, last.column))
    }

    /// `A1:C3`.
    public var description: String {
        let first = XLSXCellReference(row: firstRow, column: firstColumn).description
        if firstRow == lastRow && firstColumn == lastColumn { return first }
        return first + ":" + XLSXCellReference(row: lastRow, column: lastColumn).description
    }
}
