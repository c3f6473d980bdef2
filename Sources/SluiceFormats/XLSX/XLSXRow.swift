/// One worksheet row with at least one non-empty cell.
public struct XLSXRow: Sendable, Hashable {
    /// The row number as in the sheet, 1-based. Rows without values are skipped, so numbers can jump.
    public var number: Int
    /// Cells from column A to the last non-empty one, `.empty` where a cell has no value.
    public var cells: [XLSXCell]

    public init(number: Int, cells: [XLSXCell]) {
        self.number = number
        self.cells = cells
    }
}
