import SluiceCore
import SluiceFormats

/// `xlsx` (extract): one sheet of each input workbook into rows.
public struct XLSXExtractStep: Step {
    public struct Configuration: Decodable, Sendable {
        /// The sheet's name, or its 1-based position; default the first sheet.
        public var sheet: String?
        /// The row holding the column names (1-based); 0 for none. Data starts on the next row.
        public var header: Int?
        public var pattern: [String]?

        public init(sheet: String? = nil, header: Int? = nil, pattern: [String]? = nil) {
            self.sheet = sheet
            self.header = header
            self.pattern = pattern
        }
    }

    public static let kind = "xlsx"
    public static let stages: Set<StageName> = [.extract]
    public static let documentation = StepDocumentation(
        summary: """
        Reads one sheet of each input workbook (.xlsx, .xlsm, and Excel 97-2003 .xls, told apart by content) by name \
        or position. Cells keep their types: text, whole numbers as integers, other numbers as exact decimals with the \
        digits Excel shows (the stored double rounded to 15 significant digits: `2153.9299999999998` reads `2153.93`), \
        booleans, dates and date-times (from the cell's number format, 1900 and 1904 date systems). Error cells \
        (`#DIV/0!`) become their text, so `validate` rejects them by name. Empty rows are skipped, but messages name \
        rows as the sheet numbers them (the header is row 1). A column whose cells mix types gets type `any`. Formula \
        cells give the result saved with them (never evaluated), in .xls as in .xlsx. A file of 0 bytes fails the \
        run: "the file is empty (0 bytes)".
        """,
        fields: [
            .init("sheet", "name or number", default: "the first sheet", example: "Ventes", "Which sheet to read."),
            .init("header", "row number", default: "1", "The row with the column names; 0 if there is none."),
            .init("pattern", "list of globs", default: "*.xlsx, *.xlsm, *.xls", "Which input files to read."),
        ],
        example: """
        - xlsx: { sheet: Ventes, header: 1 }
          as: ventes
        """)

    let configuration: Configuration
    public init(configuration: Configuration) { self.configuration = configuration }

    public func check(_ context: inout StepCheckContext) {
        if let h = configuration.header, h < 0 { context.error("header is a row number (1 for the first row) or 0", at: ["header"]) }
        context.output = .open
    }

    public func run(_ context: StepContext) throws -> StepOutput {
        let files = InputSelection.files(context, patterns: configuration.pattern, extensions: ["xlsx", "xlsm", "xls"])
        if files.isEmpty {
            throw StepError(.badInput, "no workbook (.xlsx, .xls) among the inputs (\(context.inputFiles.map(\.name).joined(separator: ", ")))",
                            file: context.inputFiles.first?.name, hint: "the xlsx step reads *.xlsx, *.xlsm and *.xls; set 'pattern' for other names")
        }
        let data = try read(files)
        return StepOutput(dataset: data, summary: ["rows": .integer(Int64(data.rows.count)), "sheet": .string(data.properties["sheet"] ?? "")])
    }

    /// Reads the configured sheet of each workbook into one dataset.
    public func read(_ files: [AttachedFile]) throws -> Dataset {
        var header: [String]?
        var rows: [[Value]] = []
        var rowNumbers: [Int] = []
        var sheetName = ""
        var format = SpreadsheetFormat.xlsx
        for file in files {
            try EmptyInputFile.refuse(file)
            do {
                let workbook = try SpreadsheetWorkbook(path: file.path)
                format = workbook.format
                let reader: any SpreadsheetRowReader
                if let s = configuration.sheet {
                    if let n = Int(s), workbook.sheets.firstIndex(where: { $0.name == s }) == nil {
                        guard n >= 1 && n <= workbook.sheets.count else {
                            throw StepError(.badInput, "the workbook has \(workbook.sheets.count) sheet(s), not \(n): \(workbook.sheets.map(\.name).joined(separator: ", "))", file: file.name)
                        }
                        reader = try workbook.sheet(at: n - 1)
                        sheetName = workbook.sheets[n - 1].name
                    } else {
                        guard workbook.sheets.contains(where: { $0.name == s }) else {
                            let names = workbook.sheets.map(\.name)
                            throw StepError(.badInput, "no sheet named '\(s)'\(Suggestion.didYouMean(s, among: names)); the sheets are: \(names.joined(separator: ", "))",
                                            file: file.name, hint: "rename the sheet in the workbook, or set 'sheet' in the manifest")
                        }
                        reader = try workbook.sheet(named: s)
                        sheetName = s
                    }
                } else {
                    reader = try workbook.sheet(at: 0)
                    sheetName = workbook.sheets.first?.name ?? ""
                }
                let headerRow = configuration.header ?? 1
                var names: [String]? = headerRow == 0 ? [] : nil
                var fileRows: [[XLSXCell]] = []
                while let row = try reader.nextRow() {
                    if row.number < headerRow { continue }
                    if row.number == headerRow { names = Self.headerNames(row.cells); continue }
                    if row.cells.allSatisfy(\.isEmpty) { continue }
                    fileRows.append(row.cells)
                    rowNumbers.append(row.number)
                }
                var cols = names ?? []
                let width = max(cols.count, fileRows.map(\.count).max() ?? 0)
                while cols.count < width { cols.append("column\(cols.count + 1)") }
                if let h = header, h != cols {
                    throw StepError(.badInput, "the columns differ from those of the first workbook (\(h.joined(separator: ", ")) vs \(cols.joined(separator: ", ")))", file: file.name)
                }
                header = cols
                for cells in fileRows {
                    var row = cells.map(Self.value)
                    while row.count < width { row.append(.null) }
                    rows.append(row)
                }
            } catch let e as XLSXError {
                throw StepError(.badInput, e.message, file: file.name, place: e.cell.map { "cell \($0)" }, hint: e.suggestion, cause: e)
            }
        }
        let names = header ?? []
        var columns: [Column] = []
        for (i, name) in names.enumerated() {
            var type: ColumnType?
            for row in rows {
                guard let t = row[i].type else { continue }
                if type == nil { type = t } else if type != t {
                    if type!.isNumeric && t.isNumeric { type = .decimal } else if Set([type!, t]) == [.date, .datetime] { type = .datetime } else { type = .any; break }
                }
            }
            columns.append(Column(name, type ?? .string))
        }
        // A column typed decimal holds decimals only; date/datetime likewise.
        for (i, c) in columns.enumerated() where c.type == .decimal || c.type == .datetime {
            for r in rows.indices {
                switch (c.type, rows[r][i]) {
                case let (.decimal, .integer(n)): rows[r][i] = .decimal(DecimalNumber(n))
                case let (.datetime, .date(d)): rows[r][i] = .datetime(LocalDateTime(date: d))
                default: break
                }
            }
        }
        let source = files.map(\.name).joined(separator: ", ")
        return Dataset(columns: columns, rows: rows, files: files, properties: ["source": source, "format": format.rawValue, "sheet": sheetName],
                       rowNumbers: rowNumbers)
    }

    static func headerNames(_ cells: [XLSXCell]) -> [String] {
        var seen: [String: Int] = [:]
        return cells.enumerated().map { i, cell in
            var name = text(cell).trimmedSpaces
            if name.isEmpty { name = "column\(i + 1)" }
            let n = seen[name, default: 0] + 1
            seen[name] = n
            return n == 1 ? name : "\(name)_\(n)"
        }
    }

    static func text(_ cell: XLSXCell) -> String {
        switch value(cell) {
        case .null: ""
        case let v: v.description
        }
    }

    static func value(_ cell: XLSXCell) -> Value {
        switch cell {
        case .empty: return .null
        case let .string(s): return .string(s)
        case let .number(text):
            if let i = Int64(text) { return .integer(i) }
            if let d = DecimalNumber(parsing: text) { return d.isInteger && !text.contains(".") && !text.contains("E") && !text.contains("e") ? .integer(d.normalized.significand) : .decimal(d) }
            return .string(text)
        case let .bool(b): return .bool(b)
        case let .error(e): return .string(e)
        case let .date(y, m, d): return LocalDate(year: y, month: m, day: d).map(Value.date) ?? .null
        case let .dateTime(y, m, d, h, mi, s, ms):
            guard let date = LocalDate(year: y, month: m, day: d), let t = LocalDateTime(date: date, hour: h, minute: mi, second: s, millisecond: ms) else { return .null }
            return .datetime(t)
        case let .time(ms):
            return .string(pad2(ms / 3_600_000) + ":" + pad2(ms / 60000 % 60) + ":" + pad2(ms / 1000 % 60))
        case let .duration(ms):
            return .string(String(ms / 3_600_000) + ":" + pad2(Int(ms / 60000 % 60)) + ":" + pad2(Int(ms / 1000 % 60)))
        }
    }

    static func pad2(_ n: some BinaryInteger) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
