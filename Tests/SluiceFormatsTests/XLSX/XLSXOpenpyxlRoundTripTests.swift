import Foundation
@testable import SluiceFormats
import Testing

/// Property test: random datasets → our writer → openpyxl and our reader → the same values.
@Suite("XLSX writer round trip through openpyxl and our reader")
struct XLSXOpenpyxlRoundTripTests {
    /// A small deterministic generator (SplitMix64), so a failure names a reproducible seed.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
        mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }
    }

    static let fragments = ["Café", " lead", "trail ", "=1+2", "+41", "-", "@home", "a&b<c>\"d'", "_x0041_", "tab\there",
                            "line\nbreak", "cr\r\nlf", "ctl\u{1}\u{1F}", "😀👩‍👩‍👧", "日本語", "", " ", "x", "0042", "TRUE"]

    static func randomCell(_ g: inout Generator) -> XLSXWriter.Cell {
        switch g.int(0...9) {
        case 0: return .empty
        case 1, 2: return .string((0..<g.int(1...3)).map { _ in g.pick(fragments) }.joined())
        case 3: return .integer(Int64(bitPattern: g.next()) >> g.int(0...60))
        case 4: return .number(g.pick(["0.1", "-12.340", "1.5E-3", "1e+300", "123456789.123456", "-0.5", "3"]))
        case 5: return .bool(g.int(0...1) == 1)
        case 6: return .date(year: g.int(1900...2099), month: g.int(1...12), day: g.int(1...28))
        case 7: return .dateTime(year: g.int(1900...2099), month: g.int(1...12), day: g.int(1...28),
                                 hour: g.int(0...23), minute: g.int(0...59), second: g.int(0...59), millisecond: g.pick([0, 0, 250, 999]))
        default: return .number("\(g.int(-1_000_000...1_000_000)).\(g.int(0...99))")
        }
    }

    /// What our reader must return for a written cell.
    static func expectedCell(_ cell: XLSXWriter.Cell) -> XLSXCell {
        switch cell {
        case .empty: .empty
        case .string(let s): .string(s)
        case .number(let n): .number(SpreadsheetNumber.text(written: n) ?? n)
        case .integer(let i): .number(String(i))
        case .bool(let b): .bool(b)
        case let .date(y, m, d): .date(year: y, month: m, day: d)
        case let .dateTime(y, mo, d, h, mi, s, ms): .dateTime(year: y, month: mo, day: d, hour: h, minute: mi, second: s, millisecond: ms)
        }
    }

    /// A cell as the Python side prints it.
    enum PythonValue: Decodable, Equatable {
        case null, text(String), integer(String), float(Double), bool(Bool), dateTime(String)
        private struct Tagged: Decodable { var k: String; var v: String? }
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .null; return }
            let tagged = try container.decode(Tagged.self)
            let v = tagged.v ?? ""
            switch tagged.k {
            case "s": self = .text(v)
            case "i": self = .integer(v)
            case "f": self = .float(Double(v) ?? .nan)
            case "b": self = .bool(v == "True")
            default: self = .dateTime(v)
            }
        }
    }

    /// openpyxl drops the `x005F_` of an escaped underscore but leaves other `_xHHHH_` escapes
    /// literal, and inline strings keep even that (documented openpyxl gaps), so the script decodes
    /// the escapes our writer emits: `_x005F_`,
    /// control characters and U+FFFE/U+FFFF. The generated texts never hold those escapes literally.
    static let script = #"""
    import json, re, sys
    try:
        import openpyxl
    except ImportError:
        print("openpyxl is not installed", file=sys.stderr); sys.exit(3)
    def unescape(s):
        def one(m):
            code = int(m.group(1), 16)
            return chr(code) if code < 0x20 or code == 0x5F or code >= 0xFFFE else m.group(0)
        return re.sub(r'_x([0-9A-Fa-f]{4})_', one, s)
    wb = openpyxl.load_workbook(sys.argv[1], read_only=True, data_only=True)
    out = {}
    for ws in wb.worksheets:
        rows = []
        for row in ws.iter_rows(values_only=True):
            cells = []
            for v in row:
                if v is None: cells.append(None)
                elif isinstance(v, bool): cells.append({"k": "b", "v": str(v)})
                elif isinstance(v, int): cells.append({"k": "i", "v": str(v)})
                elif isinstance(v, float): cells.append({"k": "f", "v": repr(v)})
                elif isinstance(v, str): cells.append({"k": "s", "v": unescape(v)})
                else: cells.append({"k": "d", "v": v.isoformat()})
            rows.append(cells)
        out[ws.title] = rows
    print(json.dumps(out))
    """#

    static func readWithOpenpyxl(_ path: String) throws -> [String: [[PythonValue]]] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, path]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw XLSXError(.io, "python3 with openpyxl failed (status \(process.terminationStatus)): \(message.suffix(600)). Install it with `pip install openpyxl`.")
        }
        return try JSONDecoder().decode([String: [[PythonValue]]].self, from: data)
    }

    /// Whether openpyxl's value stands for the cell we wrote.
    static func matches(_ python: PythonValue, _ cell: XLSXWriter.Cell) -> Bool {
        switch (python, cell) {
        case (.null, .empty): return true
        case (.text(let a), .string(let b)): return a == b
        case (.null, .string("")): return true
        case (.integer(let a), .integer(let b)): return a == String(b)
        case (.integer(let a), .number(let n)): return Double(a) == Double(n)
        case (.float(let a), .number(let n)): return a == Double(n)
        case (.float(let a), .integer(let b)): return a == Double(b)
        case (.bool(let a), .bool(let b)): return a == b
        case (.dateTime(let iso), .date(let y, let m, let d)):
            return iso.hasPrefix(XLSXWriter.iso(y, m, d))
        case (.dateTime(let iso), let .dateTime(y, mo, d, h, mi, s, ms)):
            guard case let .dateTime(_, _, _, h2, mi2, s2, ms2)? = XLSXDateConversion.parseISO(iso),
                  iso.hasPrefix(XLSXWriter.iso(y, mo, d)) else { return false }
            return abs(((h2 * 60 + mi2) * 60 + s2) * 1000 + ms2 - (((h * 60 + mi) * 60 + s) * 1000 + ms)) <= 1
        default: return false
        }
    }

    @Test("openpyxl is importable by python3 (installed by the test script)")
    func openpyxlAvailable() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import openpyxl"]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "python3 -c 'import openpyxl' failed: run `pip install openpyxl` (the round-trip test needs it)")
    }

    @Test("random datasets read back the same through our reader and openpyxl", arguments: Array(UInt64(1)...UInt64(12)))
    func roundTrip(_ seed: UInt64) throws {
        var g = Generator(state: seed)
        let options = XLSXWriter.Options(strings: seed % 2 == 0 ? .shared : .inline, compressionLevel: g.int(1...9))
        let path = XLSXFixtures.temporaryPath("rt-\(seed).xlsx")
        var writer = try XLSXWriter(path: path, options: options)
        var sheets: [(name: String, rows: [[XLSXWriter.Cell]])] = []
        for s in 0..<g.int(1...3) {
            let name = "Feuille \(s) \(g.pick(["é", "#", "!", "&", "\""]))"
            let width = g.int(1...8)
            let rows = (0..<g.int(0...40)).map { _ in (0..<width).map { _ in Self.randomCell(&g) } }
            try writer.beginSheet(name: name, columnWidths: g.int(0...1) == 1 ? [12, 30.5] : nil, boldFrozenHeader: g.int(0...1) == 1)
            for row in rows { try writer.writeRow(row) }
            sheets.append((name, rows))
        }
        try writer.finish()

        // Our reader: rows with values, cells up to the last non-empty one.
        let workbook = try XLSXWorkbook(path: path)
        #expect(workbook.sheets.map(\.name) == sheets.map(\.name))
        for (index, sheet) in sheets.enumerated() {
            let expected = sheet.rows.enumerated().compactMap { offset, row -> XLSXRow? in
                var cells = row.map(Self.expectedCell)
                while let last = cells.last, last == .empty { cells.removeLast() }
                return cells.isEmpty ? nil : XLSXRow(number: offset + 1, cells: cells)
            }
            #expect(try XLSXFixtures.readAll(workbook.sheet(at: index)) == expected, "seed \(seed), sheet \(sheet.name)")
        }

        // openpyxl: the same values, sheet by sheet.
        let python = try Self.readWithOpenpyxl(path)
        for sheet in sheets {
            let rows = python[sheet.name] ?? []
            var bad: [String] = []
            for (r, row) in sheet.rows.enumerated() {
                for (c, cell) in row.enumerated() {
                    let value = r < rows.count && c < rows[r].count ? rows[r][c] : .null
                    if !Self.matches(value, cell) { bad.append("\(XLSXCellReference(row: r + 1, column: c + 1)): wrote \(cell), openpyxl \(value)") }
                }
            }
            #expect(bad.isEmpty, "seed \(seed), sheet \(sheet.name): \(bad.prefix(8).joined(separator: "; "))")
        }
    }
}
