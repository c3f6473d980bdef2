/// One record (row) of a CSV file.
///
/// `fields` always has at least as many values as the header: a short record is padded with
/// empty strings (and `isPadded` is true). A long record keeps its extra fields (and
/// `hasExtraFields` is true), unless the reader was told to treat that as an error.
public struct CSVRecord: Sendable, Hashable {
    /// 1-based line of the file where the record starts.
    public var line: Int
    /// The 1-based row a spreadsheet (Excel, LibreOffice) shows the record on: the header and
    /// empty lines count, a line break inside quotes does not start a row. 0 when unknown.
    public var row: Int
    /// The field values, padded to the header's width when the record was short.
    public var fields: [String]
    /// How many fields the record had in the file, before padding.
    public var fieldCount: Int
    /// How many fields the header (or the first record, without a header) has.
    public var expectedFieldCount: Int

    public init(line: Int, fields: [String], fieldCount: Int? = nil, expectedFieldCount: Int? = nil, row: Int = 0) {
        self.line = line
        self.row = row
        self.fields = fields
        self.fieldCount = fieldCount ?? fields.count
        self.expectedFieldCount = expectedFieldCount ?? fields.count
    }

    /// True when the record had fewer fields than the header and was padded with "".
    public var isPadded: Bool { fieldCount < expectedFieldCount }

    /// True when the record had more fields than the header.
    public var hasExtraFields: Bool { fieldCount > expectedFieldCount }

    /// True when every field is empty (e.g. a `;;;;` line from Excel).
    public var isBlank: Bool { fields.allSatisfy(\.isEmpty) }

    /// The field at a 0-based position, or "" past the end.
    public subscript(position: Int) -> String {
        position >= 0 && position < fields.count ? fields[position] : ""
    }
}
