/// Row numbers as the person sees them: what every message naming a row uses.
extension Dataset {
    /// The row number a message gives for the row at `index` (0-based): its row in the source
    /// file when known (``rowNumbers``), else `index + 1`.
    public func rowNumber(_ index: Int) -> Int {
        if let rowNumbers, index >= 0, index < rowNumbers.count { return rowNumbers[index] }
        return index + 1
    }

    /// The row numbers of the rows at `indices`, for a dataset made of those rows (a filter's
    /// kept rows, validate's valid and rejected rows).
    public func numbersOfRows(_ indices: [Int]) -> [Int] {
        indices.map(rowNumber)
    }
}
