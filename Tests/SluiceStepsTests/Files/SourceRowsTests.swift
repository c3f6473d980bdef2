import Foundation
import SluiceCore
import SluiceFormats
@testable import SluiceSteps
import SluiceTesting
import Testing

extension PipelineHarness {
    /// Writes a workbook into the pipeline's inbox, its modification time well before now.
    func dropWorkbook(_ pipeline: String, _ name: String, rows: [[XLSXWriter.Cell]]) throws {
        try FileOperations.createDirectory(workspace.inbox(pipeline))
        let path = workspace.inbox(pipeline) + "/" + name
        var writer = try XLSXWriter(path: path)
        try writer.beginSheet(name: "Ventes", boldFrozenHeader: false)
        for row in rows { try writer.writeRow(row) }
        try writer.finish()
        try FileManager.default.setAttributes([.modificationDate: clock.now() - 3600], ofItemAtPath: path)
    }
}

/// Messages name rows as the person sees them in Excel or LibreOffice (the header is row 1,
/// blank rows count), for xlsx and CSV, through every step that keeps or drops rows.
@Suite struct SourceRowsTests {
    static let manifest = """
    triggers: { inbox: { settle: 0s } }
    extract:
      - EXTRACT
    transform:
      - filter: Produit != 'ignoré'
      - validate:
          columns:
            Produit: { type: string, required: true, unique: true }
            Montant: { type: decimal, min: 0 }
          on-invalid: reject-row
    load:
      - csv: { file: out.csv, delimiter: ";" }
    """

    @Test func xlsxRejectsNameTheSheetRowsAcrossABlankRow() throws {
        let h = try PipelineHarness()
        try h.pipeline("x", Self.manifest.replacingOccurrences(of: "EXTRACT", with: "xlsx: {}"))
        try h.dropWorkbook("x", "ventes.xlsx", rows: [
            [.string("Produit"), .string("Montant")],
            [.string("Café"), .number("2153.9299999999998")],
            [],
            [.string("ignoré"), .number("1")],
            [.string("Thé"), .number("-1")],
            [.string("Pain"), .number("0.30000000000000004")],
            [.string("Café"), .number("4.84999999999999999991")],
        ])
        let r = try h.runner.runBatch()
        #expect(r.runs[0].status == .succeeded, "\(String(describing: r.runs[0].failure))")
        let out = h.outbox("x", "out.csv")?.replacingOccurrences(of: "\r\n", with: "\n")
        #expect(out == "Produit;Montant\nCafé;2153.93\nPain;0.3\n")
        // The rejects file mirrors the input: a workbook, its last column the reason.
        let workbook = try XLSXWorkbook(path: h.workspace.outbox("x") + "/ventes_rejects.xlsx")
        let reader = try workbook.sheet(at: 0)
        var reasons: [String] = []
        while let row = try reader.nextRow() { if case .string(let s) = row.cells.last { reasons.append(s) } }
        #expect(reasons == ["error", "row 5: Montant -1 is below the minimum 0", "row 7: Produit: 'Café' already appears in row 2"])
    }

    @Test func csvRejectsNameTheRecordRowAcrossBlankLinesAndQuotedLineBreaks() throws {
        let h = try PipelineHarness()
        try h.pipeline("c", Self.manifest.replacingOccurrences(of: "EXTRACT", with: "csv: {}"))
        try h.drop("c", "ventes.csv", "Produit;Montant\n\"Café\nen grains\";12.50\n\nignoré;1\nThé;-1\n;3\n")
        let r = try h.runner.runBatch()
        #expect(r.runs[0].status == .succeeded, "\(String(describing: r.runs[0].failure))")
        let rejects = try #require(h.outbox("c", "ventes_rejects.csv"))
        #expect(rejects.contains("row 5: Montant -1 is below the minimum 0"), "\(rejects)")
        #expect(rejects.contains("row 6: Produit is required"), "\(rejects)")
    }

    @Test func aFailedValidationNamesTheRowsInTheRunFailure() throws {
        let h = try PipelineHarness()
        try h.pipeline("f", Self.manifest.replacingOccurrences(of: "EXTRACT", with: "csv: {}")
            .replacingOccurrences(of: "reject-row", with: "fail-run"))
        try h.drop("f", "ventes.csv", "Produit;Montant\nCafé;1\n\nThé;-1\n")
        let r = try h.runner.runBatch()
        let failure = try #require(r.runs[0].failure)
        #expect(r.runs[0].status == .failed)
        #expect(failure.rows == [4] && failure.place == "row 4", "\(failure)")
        #expect(failure.message.contains("row 4: Montant -1"), "\(failure.message)")
    }

    @Test func computeAndAggregateNameTheSourceRow() throws {
        let h = try PipelineHarness()
        try h.pipeline("a", """
        triggers: { inbox: { settle: 0s } }
        extract:
          - csv: { types: text }
        transform:
          - filter: Produit != 'x'
          - aggregate: { sum: [Montant] }
        load:
          - csv: { file: out.csv }
        """)
        try h.drop("a", "v.csv", "Produit;Montant\nx;1\n\nThé;abc\n")
        let r = try h.runner.runBatch()
        let failure = try #require(r.runs[0].failure)
        #expect(failure.rows == [4], "\(failure)")
        #expect(failure.message.contains("row 4 holds 'abc'"), "\(failure.message)")
    }
}

/// A 0-byte file gets the same words from every reader: the extract steps and `inspect`.
@Suite struct EmptyInputFileTests {
    static func emptyFile(_ name: String) throws -> AttachedFile {
        let path = try TemporaryFolder.file(name, label: "empty")
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        return AttachedFile(name: name, path: path)
    }

    static func expectEmpty(_ error: (any Error)?, _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let e = error as? StepError
        #expect(e?.message == "the file is empty (0 bytes)", "\(String(describing: error))", sourceLocation: sourceLocation)
        #expect(e?.file == name, sourceLocation: sourceLocation)
        #expect(e?.code == .badInput, sourceLocation: sourceLocation)
    }

    @Test func everyExtractStepAndInspectSayTheFileIsEmpty() throws {
        let csv = try Self.emptyFile("ventes.csv"), json = try Self.emptyFile("ventes.json"), xlsx = try Self.emptyFile("ventes.xlsx")
        Self.expectEmpty(#expect(throws: StepError.self) { try CSVExtractStep(configuration: .init(columns: ["Montant"])).read([csv]) }, "ventes.csv")
        Self.expectEmpty(#expect(throws: StepError.self) { try JSONExtractStep(configuration: .init()).read([json]) }, "ventes.json")
        Self.expectEmpty(#expect(throws: StepError.self) { try XLSXExtractStep(configuration: .init()).read([xlsx]) }, "ventes.xlsx")
        for file in [csv, json, xlsx] {
            Self.expectEmpty(#expect(throws: StepError.self) { try FileInspector.read(path: file.path, sheet: nil) }, file.name)
        }
        Self.expectEmpty(#expect(throws: StepError.self) { try FileInspector.streamWorkbookRows(path: xlsx.path, sheet: nil) { _ in } }, xlsx.path)
    }

    @Test func aRunOverAnEmptyFileFailsWithTheMessageAndKeepsTheInput() throws {
        let h = try PipelineHarness()
        try h.pipeline("e", "triggers: { inbox: { settle: 0s } }\nextract:\n  - csv: { columns: [Montant] }\nload:\n  - csv: { file: out.csv }\n")
        try h.drop("e", "vide.csv", "")
        let r = try h.runner.runBatch()
        let failure = try #require(r.runs[0].failure)
        #expect(r.runs[0].status == .failed)
        #expect(failure.message == "the file is empty (0 bytes)" && failure.file == "vide.csv", "\(failure)")
    }

    @Test func aFileWithoutAHeaderLineIsSaidToHaveNoColumns() throws {
        let h = try PipelineHarness()
        try h.pipeline("n", """
        triggers: { inbox: { settle: 0s } }
        extract:
          - csv: {}
        transform:
          - validate: { columns: { Montant: { type: decimal } } }
        load:
          - csv: { file: out.csv }
        """)
        try h.drop("n", "blanc.csv", "\n\n")
        let failure = try #require(try h.runner.runBatch().runs[0].failure)
        #expect(failure.message == "missing column 'Montant'; the file has no columns (no header line)", "\(failure.message)")
    }
}
