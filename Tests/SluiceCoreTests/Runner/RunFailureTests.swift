import Foundation
import SluiceCore
import SluiceErrors
import Testing

@Suite("RunFailure: one failure record from the step's error to the ledger, error.json and `sluice show`")
struct RunFailureTests {
    static let ledgerDecoder: JSONDecoder = {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .millisecondsSince1970
        return d
    }()

    /// A lower-level error, as a format reader throws one.
    struct ReaderError: UserFacingError {
        var code = "unterminatedQuote"
        var message = "a quote opens a field that never ends"
        var place = InputPlace(file: "v.csv", line: 2, column: 9)
        var cause: (any Error & Sendable)?
        var thrownAt = ThrowSite(fileID: "SluiceFormats/CSVTokenizer.swift", line: 88)
        var description: String { place.placing(message) }
    }

    func stepError() -> StepError {
        var e = StepError(.badInput, "unterminated quoted field", file: "v.csv", place: "line 2", rows: [2],
                          hint: "close the quote", transient: true, cause: ReaderError(), fileID: "SluiceSteps/CSVExtractStep.swift", line: 92)
        e.retryAfter = 30
        return e
    }

    func run(failure: RunFailure) -> RunRecord {
        var r = RunRecord(id: "20261121-070000-abcdef", pipeline: "ventes", trigger: "inbox", now: Date(timeIntervalSince1970: 1_795_244_400),
                          runDate: "2026-11-21", runTime: "2026-11-21T07:00:00", manifestHash: "h",
                          inputs: [RunInput(name: "v.csv", sha256: "ab", size: 12, origin: "inbox/ventes/v.csv")])
        r.status = .failed
        r.failure = failure
        return r
    }

    @Test func aStepErrorGivesEveryField() {
        let f = RunFailure(stage: "extract", step: "extract[0].csv", stepError())
        #expect(f.stage == "extract" && f.step == "extract[0].csv" && f.code == "badInput")
        #expect(f.message == "unterminated quoted field" && f.file == "v.csv" && f.place == "line 2")
        #expect(f.location == InputPlace(file: "v.csv", line: 2))
        #expect(f.rows == [2] && f.hint == "close the quote" && f.transient && f.retryAfter == 30)
        #expect(f.cause == "v.csv:2:9: a quote opens a field that never ends")
        // A cause that only repeats the message is not kept twice.
        #expect(RunFailure(stage: "extract", step: "s", StepError(.badInput, "a quote opens a field that never ends", cause: ReaderError())).cause == nil)
        #expect(f.thrownAt == "SluiceSteps/CSVExtractStep.swift:92")
        #expect(f.reprocess == nil)
    }

    @Test func anyOtherErrorGivesItsText() {
        struct Odd: Error, CustomStringConvertible { var description: String { "odd" } }
        let f = RunFailure(stage: "load", step: "load[0].database", Odd())
        #expect(f.message == "odd" && f.code == "internal" && f.location == nil && !f.transient)
        let g = RunFailure(stage: "extract", step: "extract[0].csv", ReaderError())
        #expect(g.code == "unterminatedQuote" && g.message == "a quote opens a field that never ends" && g.place == "line 2, column 9" && g.thrownAt == "SluiceFormats/CSVTokenizer.swift:88")
    }

    @Test func rowsAreKeptUpToTheLimit() {
        let e = StepError(.validation, "bad", rows: Array(1...5000))
        #expect(RunFailure(stage: "transform", step: "t", e).rows.count == RunFailure.rowLimit)
    }

    @Test func theLedgerRecordReadsBackEqual() throws {
        let record = run(failure: RunFailure(stage: "extract", step: "extract[0].csv", stepError()))
        let bytes = try CompactJSONEncoder.encode(record)
        #expect(try Self.ledgerDecoder.decode(RunRecord.self, from: Data(bytes)) == record)
    }

    @Test func errorJSONReadsBackWithTheReprocessCommandAndTheStructuredPlace() throws {
        let failure = RunFailure(stage: "extract", step: "extract[0].csv", stepError())
        let bytes = try failure.errorJSON(reprocessing: "20261121-070000-abcdef")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        // Every field error.json had before the records were one, with the same values.
        #expect(object["stage"] as? String == "extract" && object["step"] as? String == "extract[0].csv")
        #expect(object["file"] as? String == "v.csv" && object["place"] as? String == "line 2" && object["rows"] as? [Int] == [2])
        #expect(object["message"] as? String == "unterminated quoted field" && object["hint"] as? String == "close the quote")
        #expect(object["reprocess"] as? String == "sluice reprocess 20261121-070000-abcdef")
        let location = try #require(object["location"] as? [String: Any])
        #expect(location["file"] as? String == "v.csv" && location["line"] as? Int == 2)
        let decoded = try JSONDecoder().decode(RunFailure.self, from: Data(bytes))
        #expect(decoded == failure.document(reprocessing: "20261121-070000-abcdef"))
    }

    @Test func anErrorJSONWrittenBeforeTheChangeDecodes() throws {
        let old = #"""
        { "stage": "transform", "step": "transform[0].validate", "file": "v.csv", "place": "row 5",
          "message": "2 of 5 rows failed validation", "rows": [5, 6], "hint": "see the rejects",
          "reprocess": "sluice reprocess 20261121-070000-3f9a1c" }
        """#
        let f = try JSONDecoder().decode(RunFailure.self, from: Data(old.utf8))
        #expect(f.place == "row 5" && f.rows == [5, 6] && !f.transient && f.code == nil && f.location == nil)
        #expect(f.inputPlace == InputPlace(file: "v.csv", row: 5))
        #expect(f.reprocess == "sluice reprocess 20261121-070000-3f9a1c")
    }

    @Test func aLedgerRecordWrittenBeforeTheChangeDecodes() throws {
        let old = #"""
        {"id":"r1","pipeline":"ventes","status":"waiting","phase":"stages","trigger":"inbox","createdAt":1795244400000,
         "updatedAt":1795244400000,"runDate":"2026-11-21","runTime":"2026-11-21T07:00:00","manifestHash":"h","inputs":[],
         "completedStages":[],"stageReports":[],"published":false,"publishedStages":0,"outputs":[],"effectScope":"r1",
         "parameters":{},"retryError":{"stage":"load","step":"load[0].webhook","message":"HTTP 503","rows":[],"transient":true,"retryAfter":30}}
        """#
        let r = try Self.ledgerDecoder.decode(RunRecord.self, from: Data(old.utf8))
        #expect(r.retryError?.message == "HTTP 503" && r.retryError?.transient == true && r.retryError?.retryAfter == 30)
        #expect(r.retryError?.inputPlace == InputPlace())
    }

    @Test func showPrintsWhereWhatAndHowToReprocess() {
        let failure = RunFailure(stage: "transform", step: "transform[0].validate", StepError(
            .validation, "2 of 5 rows failed validation", file: "v\n.csv", place: "row 5", rows: [5, 6], hint: "see the rejects"))
        #expect(RunFailureText(failure.document(reprocessing: "r1")).lines == [
            "error     transform / transform[0].validate: 2 of 5 rows failed validation",
            #"          in v\n.csv at row 5"#,
            "          rows 5, 6",
            "          see the rejects",
            "          after fixing: sluice reprocess r1",
        ])
        let caused = RunFailure(stage: "extract", step: "extract[0].csv", StepError(.badInput, "cannot read the file", cause: ReaderError()))
        #expect(RunFailureText(caused).lines == [
            "error     extract / extract[0].csv: cannot read the file",
            "          because v.csv:2:9: a quote opens a field that never ends",
        ])
    }

    @Test func aStepErrorIsAUserFacingErrorWithItsTree() {
        #expect(stepError().description == "v.csv:line 2: unterminated quoted field (close the quote)")
        #expect(stepError().detailedDescription() == """
        StepError: badInput
        ├─ Message: unterminated quoted field
        ├─ Place: v.csv:2
        ├─ Cause:
        │  └─ ReaderError: unterminatedQuote
        │     ├─ Message: a quote opens a field that never ends
        │     ├─ Place: v.csv:2:9
        │     └─ Thrown at: SluiceFormats/CSVTokenizer.swift:88
        └─ Thrown at: SluiceSteps/CSVExtractStep.swift:92
        """)
    }

    @Test func theOldPlaceWordsBecomeFields() {
        #expect(StepError(.badInput, "m", file: "a.xlsx", place: "cell B7").place == InputPlace(file: "a.xlsx", cell: "B7"))
        #expect(StepError(.badInput, "m", file: "a.json", place: "line 3, column 5").place == InputPlace(file: "a.json", line: 3, column: 5))
        #expect(StepError(.badInput, "m", file: "a.csv", place: "header").place == InputPlace(file: "a.csv", detail: "header"))
        #expect(StepError(.badInput, "m", file: "a.csv", place: "header").description == "a.csv:header: m")
    }
}
