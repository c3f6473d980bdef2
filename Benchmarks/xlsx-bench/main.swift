import Foundation
import SluiceFormats

// xlsx-bench: times Sluice's xlsx reader and writer for Benchmarks/xlsx/run.sh.
//   xlsx-bench read FILE [--sheet N] [--dump]   read every row, print rows, cells, seconds
//   xlsx-bench write FILE ROWS [--level N] [--shared]  write ROWS × 10 mixed cells, print seconds
//   xlsx-bench inflate FILE                     only inflate the first sheet's XML (the floor)

func seconds(since start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

func render(_ cell: XLSXCell) -> String {
    switch cell {
    case .empty: return ""
    case .string(let s): return "s:\(s.debugDescription)"
    case .number(let n): return "n:\(n)"
    case .bool(let b): return "b:\(b)"
    case .error(let e): return "e:\(e)"
    case let .date(y, m, d): return "d:\(y)-\(m)-\(d)"
    case let .dateTime(y, m, d, h, mi, s, ms): return "dt:\(y)-\(m)-\(d)T\(h):\(mi):\(s).\(ms)"
    case .time(let ms): return "t:\(ms)"
    case .duration(let ms): return "dur:\(ms)"
    }
}

func read(_ path: String, sheet: Int, dump: Bool) throws {
    let start = ContinuousClock.now
    let workbook = try XLSXWorkbook(path: path)
    let reader = try workbook.sheet(at: sheet)
    var rows = 0, cells = 0
    while let row = try reader.nextRow() {
        rows += 1
        cells += row.cells.count
        if dump { print(row.number, row.cells.map(render).joined(separator: " | ")) }
    }
    let elapsed = seconds(since: start)
    print("rows=\(rows) cells=\(cells) seconds=\(elapsed)")
}

func inflateOnly(_ path: String) throws {
    let start = ContinuousClock.now
    let archive = try ZipArchiveReader(path: path)
    var total = 0
    if let entry = archive.entries.first(where: { $0.name.hasPrefix("xl/worksheets/") && $0.name.hasSuffix(".xml") }) {
        let reader = try archive.openEntry(entry)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 << 10, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = try reader.read(into: buffer)
            if n == 0 { break }
            total += n
        }
    }
    print("bytes=\(total) seconds=\(seconds(since: start))")
}

func write(_ path: String, rows: Int, level: Int, shared: Bool) throws {
    let start = ContinuousClock.now
    var writer = try XLSXWriter(path: path, options: .init(strings: shared ? .shared : .inline, compressionLevel: level))
    try writer.beginSheet(name: "Data")
    try writer.writeRow((1...10).map { .string("col\($0)") })
    let words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]
    for i in 0..<rows {
        try writer.writeRow([
            .integer(Int64(i)),
            .string(words[i % words.count]),
            .number(String(i % 10_000 / 7) + (i % 7 < 2 ? ".5" : ".25")),
            .date(year: 2000 + i % 25, month: 1 + i % 12, day: 1 + i % 28),
            .string("text \(i % 1000)"),
            .integer(Int64(i * 31 % 100_000)),
            .number("\(i % 1000).5"),
            .bool(i % 2 == 0),
            .string(words[(i / 3) % words.count] + " " + words[i % words.count]),
            .integer(Int64(-i)),
        ])
    }
    try writer.finish()
    print("rows=\(rows) seconds=\(seconds(since: start))")
}

let args = CommandLine.arguments
do {
    switch args.count > 1 ? args[1] : "" {
    case "read" where args.count >= 3:
        let sheet = args.firstIndex(of: "--sheet").flatMap { Int(args[$0 + 1]) } ?? 0
        try read(args[2], sheet: sheet, dump: args.contains("--dump"))
    case "write" where args.count >= 4:
        let level = args.firstIndex(of: "--level").flatMap { Int(args[$0 + 1]) } ?? XLSXWriter.Options().compressionLevel
        try write(args[2], rows: Int(args[3]) ?? 100_000, level: level, shared: args.contains("--shared"))
    case "inflate" where args.count >= 3:
        try inflateOnly(args[2])
    default:
        print("usage: xlsx-bench read FILE [--sheet N] [--dump] | write FILE ROWS [--level N] [--shared] | inflate FILE")
        exit(2)
    }
} catch {
    print("error: \(error)")
    exit(1)
}
