import Foundation
@testable import SluiceFormats
import Testing

/// Every deliberate difference from python-calamine 0.9.1 (the `.expected.json` reference),
/// listed once with its reason. A cell that differs for any other reason fails the test.
enum CalamineDifference: String, CaseIterable, Sendable {
    case whitespaceKept =
        "Text keeps leading and trailing whitespace even without xml:space=\"preserve\". calamine trims it; Excel shows it and openpyxl keeps it. Trimming is a pipeline decision (a transform step), not the reader's."
    case errorCellsKept =
        "Error cells (#DIV/0!, #N/A...) read as .error(text). calamine's Python bridge turns them into \"\", which would hide broken formulas from validation."
    case fifteenDigits =
        "Numbers are the stored double rounded to 15 significant digits, as Excel shows and computes them (2153.9299999999998 reads 2153.93). calamine gives the double itself."
    case dateTypedByFormat =
        "A number whose format shows a date and a time reads as .dateTime even at midnight. calamine types by value (midnight → date), so one column would change type from row to row."
}

/// Files calamine refuses: we refuse them too, with these codes.
private let expectedRefusals: [String: XLSXError.Code] = [
    "calamine__issue252": .corrupt,                  // workbook.xml.rels inflates past its declared size (garbage deflate data)
    "calamine__pass_protected": .encrypted,           // OLE2 container with an EncryptedPackage stream
    "tealeg__badfile_noWorkbookRels": .missingPart,   // no xl/_rels/workbook.xml.rels: sheets cannot be located
]

@Suite("XLSX reader against python-calamine on the fixture corpus")
struct XLSXDifferentialTests {
    static let names = XLSXFixtures.names(in: XLSXFixtures.directory)

    @Test("the fixture corpus is present beside the repository")
    func corpusIsPresent() {
        #expect(Self.names.count >= 40, "expected the corpus at \(XLSXFixtures.directory.path)")
    }

    @Test("every cell of the first sheet matches calamine, or differs by a listed decision", arguments: names)
    func fixture(_ name: String) throws {
        let expected = try ExpectedWorkbook.load(XLSXFixtures.directory.appendingPathComponent("\(name).expected.json"))
        let path = XLSXFixtures.directory.appendingPathComponent("\(name).xlsx").path

        if !expected.calamine.ok {
            let code = try #require(expectedRefusals[name], "calamine refuses \(name) (\(expected.calamine.error ?? "")); decide what we do")
            let error = #expect(throws: XLSXError.self) {
                let workbook = try XLSXWorkbook(path: path)
                _ = try XLSXFixtures.readAll(workbook.sheet(at: 0))
            }
            #expect(error?.code == code, "\(name): \(error.map { "\($0)" } ?? "no error")")
            return
        }

        let workbook = try XLSXWorkbook(path: path)
        let sheets = try #require(expected.calamine.sheets)
        #expect(workbook.sheets.map(\.name) == sheets.map(\.name))
        #expect(workbook.sheets.map(\.visibility.calamineName) == sheets.map(\.visible))
        #expect(workbook.sheets.map(\.kind.calamineName) == sheets.map(\.type))

        let rows = try XLSXFixtures.readAll(workbook.sheet(at: 0))
        var mismatches: [String] = []
        var used = Set<CalamineDifference>()
        let expectedRows = expected.rows ?? []
        let byNumber = Dictionary(rows.map { ($0.number, $0.cells) }, uniquingKeysWith: { _, last in last })
        let lastRow = max(expectedRows.count, rows.last?.number ?? 0)
        for r in 0..<lastRow {
            let ours = byNumber[r + 1] ?? []
            let theirs = r < expectedRows.count ? expectedRows[r] : []
            for c in 0..<max(ours.count, theirs.count) {
                let mine = c < ours.count ? ours[c] : .empty
                let reference = c < theirs.count ? theirs[c] : .string("")
                switch compare(mine, reference) {
                case .same: break
                case .differs(let decision): used.insert(decision)
                case .mismatch:
                    mismatches.append("\(XLSXCellReference(row: r + 1, column: c + 1)): ours \(mine), calamine \(reference)")
                }
            }
        }
        #expect(mismatches.isEmpty, "\(name): \(mismatches.count) cells differ: \(mismatches.prefix(12).joined(separator: "; "))")

        let merged = try workbook.mergedRanges(forSheetAt: 0)
        let expectedMerged = (expected.calamine.merged_cell_ranges ?? []).map {
            XLSXCellRange(firstRow: $0[0][0] + 1, firstColumn: $0[0][1] + 1, lastRow: $0[1][0] + 1, lastColumn: $0[1][1] + 1)
        }
        #expect(Set(merged) == Set(expectedMerged), "\(name): merged ranges")
        _ = used
    }

    @Test("each listed difference is actually exercised by some fixture")
    func differencesAreExercised() throws {
        var used = Set<CalamineDifference>()
        for name in Self.names where expectedRefusals[name] == nil {
            let expected = try ExpectedWorkbook.load(XLSXFixtures.directory.appendingPathComponent("\(name).expected.json"))
            let workbook = try XLSXWorkbook(path: XLSXFixtures.directory.appendingPathComponent("\(name).xlsx").path)
            let rows = try XLSXFixtures.readAll(workbook.sheet(at: 0))
            for row in rows where row.number - 1 < (expected.rows ?? []).count {
                let theirs = expected.rows![row.number - 1]
                for (c, cell) in row.cells.enumerated() where c < theirs.count {
                    if case .differs(let d) = compare(cell, theirs[c]) { used.insert(d) }
                }
            }
        }
        // No corpus file has a date-and-time format on a midnight value: XLSXReaderCellTests covers it.
        let coveredElsewhere: Set<CalamineDifference> = [.dateTypedByFormat]
        #expect(used.union(coveredElsewhere) == Set(CalamineDifference.allCases),
                "decisions no test exercises: \(Set(CalamineDifference.allCases).subtracting(used.union(coveredElsewhere)))")
    }
}

enum Comparison: Equatable { case same, differs(CalamineDifference), mismatch }

func compare(_ ours: XLSXCell, _ theirs: ExpectedValue) -> Comparison {
    switch (ours, theirs) {
    case (.empty, .string("")), (.string(""), .string("")):
        return .same
    case (.string(let a), .string(let b)):
        if a == b { return .same }
        return a.trimmingCharacters(in: .whitespacesAndNewlines) == b ? .differs(.whitespaceKept) : .mismatch
    case (.number(let text), .number(let n)):
        // Ours must be the double at 15 digits exactly: a spurious tail (2153.9299999999998) is a mismatch.
        guard let value = Double(text) else { return .mismatch }
        if Int64(text) != nil && value == n { return .same } // whole numbers keep their digits
        guard value == Double(String(format: "%.15g", n)) else { return .mismatch }
        return value == n ? .same : .differs(.fifteenDigits)
    case (.bool(let a), .bool(let b)):
        return a == b ? .same : .mismatch
    case (.error, .string("")):
        return .differs(.errorCellsKept)
    case (.duration(let ms), .typed("duration", .number(let seconds))):
        return abs(Double(ms) / 1000 - seconds) < 0.0015 ? .same : .mismatch
    case (_, .typed(let t, .text(let iso))):
        guard let reference = XLSXDateConversion.parseISO(iso) else { return .mismatch }
        if ours == reference { return .same }
        if t == "date", case let .date(y, m, d) = reference, ours == .dateTime(year: y, month: m, day: d, hour: 0, minute: 0, second: 0, millisecond: 0) {
            return .differs(.dateTypedByFormat)
        }
        return .mismatch
    default:
        return .mismatch
    }
}

extension XLSXSheetInfo.Visibility {
    var calamineName: String {
        switch self {
        case .visible: "Visible"
        case .hidden: "Hidden"
        case .veryHidden: "VeryHidden"
        }
    }
}

extension XLSXSheetInfo.Kind {
    var calamineName: String {
        switch self {
        case .worksheet: "WorkSheet"
        case .chartsheet: "ChartSheet"
        case .dialogsheet: "DialogSheet"
        case .macrosheet: "MacroSheet"
        case .unknown: "Unknown"
        }
    }
}
