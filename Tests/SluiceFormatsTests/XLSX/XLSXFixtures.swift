import Foundation
import SluiceFormats
import SluiceTesting

/// The shared workbook corpus, `<repo>/../shared/fixtures/xlsx`, and what its tests share.
enum XLSXFixtures {
    static let directory = TestFixtures.shared("xlsx")

    static let adversarialDirectory = directory.appendingPathComponent("adversarial")

    /// Names (without extension) of the fixtures that have an `.expected.json`.
    static func names(in folder: URL) -> [String] { TestFixtures.names(in: folder, withExtension: "xlsx") }

    /// A throwaway file path in a new temporary folder.
    static func temporaryPath(_ name: String) -> String {
        (try? TemporaryFolder.file(name, label: "xlsx-tests")) ?? NSTemporaryDirectory() + "\(UUID().uuidString)-\(name)"
    }

    /// Reads every row of a sheet.
    static func readAll(_ reader: XLSXSheetReader) throws -> [XLSXRow] {
        var rows: [XLSXRow] = []
        while let row = try reader.nextRow() { rows.append(row) }
        return rows
    }
}

/// A value from an `.expected.json` file (what python-calamine read).
enum ExpectedValue: Decodable, Equatable, CustomStringConvertible {
    case string(String)
    case number(Double)
    case bool(Bool)
    case typed(t: String, v: TypedValue)

    enum TypedValue: Decodable, Equatable {
        case text(String)
        case number(Double)
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let n = try? container.decode(Double.self) { self = .number(n) } else { self = .text(try container.decode(String.self)) }
        }
    }

    private struct Typed: Decodable { var t: String; var v: TypedValue }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let b = try? container.decode(Bool.self) { self = .bool(b) }
        else if let n = try? container.decode(Double.self) { self = .number(n) }
        else if let s = try? container.decode(String.self) { self = .string(s) }
        else {
            let typed = try container.decode(Typed.self)
            self = .typed(t: typed.t, v: typed.v)
        }
    }

    var description: String {
        switch self {
        case .string(let s): s.debugDescription
        case .number(let n): "\(n)"
        case .bool(let b): "\(b)"
        case .typed(let t, let v): "\(t):\(v)"
        }
    }
}

/// The parts of an `.expected.json` the tests use.
struct ExpectedWorkbook: Decodable {
    struct Calamine: Decodable {
        struct Sheet: Decodable { var name: String; var type: String; var visible: String }
        var ok: Bool
        var error: String?
        var sheets: [Sheet]?
        var merged_cell_ranges: [[[Int]]]?
    }
    var calamine: Calamine
    var rows: [[ExpectedValue]]?

    static func load(_ url: URL) throws -> ExpectedWorkbook {
        try JSONDecoder().decode(ExpectedWorkbook.self, from: Data(contentsOf: url))
    }
}
