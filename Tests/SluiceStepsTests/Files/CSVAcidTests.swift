import Foundation
import SluiceCore
@testable import SluiceSteps
import SluiceTesting
import Testing

/// CSV acid tests: csv-spectrum's cases and our own RFC 4180 ones (`Tests/Fixtures/csv`, see
/// its LICENSES.md), each a `.csv` with the `.json` it must read as (every value text).
@Suite struct CSVAcidTests {
    static let root = TestFixtures.local("csv")

    static var cases: [String] {
        ["spectrum", "rfc4180"].flatMap { set in
            ((try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(set).path)) ?? [])
                .filter { $0.hasSuffix(".csv") }.map { "\(set)/\($0.dropLast(4))" }.sorted()
        }
    }

    /// Where Sluice reads otherwise than a case's JSON, on purpose (see LICENSES.md).
    static let deliberate: [String: (column: String, row: Int, sluice: String)] = [
        "spectrum/null": ("b", 2, "NULL"),
    ]

    func read(_ name: String, types: CSVExtractStep.Types) throws -> Dataset {
        let path = Self.root.appendingPathComponent(name + ".csv").path
        let step = CSVExtractStep(configuration: .init(types: types))
        return try step.read([AttachedFile(name: name + ".csv", path: path)])
    }

    func expected(_ name: String) throws -> [[String: String]] {
        let data = try Data(contentsOf: Self.root.appendingPathComponent(name + ".json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [[String: String]])
    }

    @Test func theSetIsThere() {
        #expect(Self.cases.count >= 17, "\(Self.cases)")
    }

    @Test(arguments: cases)
    func readsAsTheJSONSays(name: String) throws {
        let data = try read(name, types: .text)
        var want = try expected(name)
        if let d = Self.deliberate[name] { want[d.row][d.column] = d.sluice }
        let got = data.rows.map { row in
            Dictionary(uniqueKeysWithValues: zip(data.columnNames, row.map { $0.isNull ? "" : $0.description }))
        }
        #expect(got == want, "\(name)")
        #expect(Set(data.columnNames) == Set(want.first?.keys.map { $0 } ?? []), "\(name)")
    }

    /// With `types: infer`, a typed value prints exactly as it was written: nothing is lost
    /// (`08123` stays `08123`, `3.50` stays `3.50`).
    @Test(arguments: cases)
    func inferredValuesPrintAsWritten(name: String) throws {
        let text = try read(name, types: .text)
        let typed = try read(name, types: .infer)
        for (r, row) in typed.rows.enumerated() {
            for (c, value) in row.enumerated() {
                guard case let .string(original) = text.rows[r][c] else { continue }
                switch value {
                case .integer, .decimal, .date, .datetime: #expect(value.description == original, "\(name) row \(r + 1) \(typed.columns[c].name)")
                case .null: #expect(original.isEmpty)
                default: break
                }
            }
        }
    }

    @Test func zipCodesAndMixedColumnsStayText() throws {
        let d = try read("rfc4180/leading_zeros_mixed", types: .infer)
        #expect(d.columns.map(\.type) == [.string, .integer, .string])
        #expect(d.rows.map { $0[0] } == [.string("08123"), .string("1204"), .string("2000")])
        #expect(d.rows.map { $0[2] } == [.string("0"), .string("10"), .string("007")])
        let n = try read("rfc4180/numbers_as_written", types: .infer)
        #expect(n.columns.map(\.type) == [.integer, .decimal, .string])
        let phone = try read("spectrum/location_coordinates", types: .infer)
        #expect(phone.rows[0][0] == .string("02095257564"))
        let w = try read("rfc4180/windows1252_semicolon", types: .infer)
        #expect(w.properties["encoding"] == "windows-1252" && w.columns.map(\.type) == [.string, .string, .string, .string])
    }
}
