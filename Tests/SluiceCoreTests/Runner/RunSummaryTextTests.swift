import Foundation
import SluiceCore
import Testing

@Suite struct RunSummaryTextTests {
    func record(_ change: (inout RunRecord) -> Void = { _ in }) -> RunRecord {
        var r = RunRecord(id: "20261121-070000-abcdef", pipeline: "ventes", trigger: "inbox", now: Date(timeIntervalSince1970: 1_795_244_400),
                          runDate: "2026-11-21", runTime: "2026-11-21T07:00:00", manifestHash: "h",
                          inputs: [RunInput(name: "ventes\n.csv", sha256: "ab", size: 12, origin: "inbox/ventes/x")])
        change(&r)
        return r
    }

    let zurich = TimeZone(identifier: "Europe/Zurich")!

    @Test func aSucceededRunIsOneLineWithItsOutputsAndTheInputNameEscaped() {
        let summary = RunSummary(record {
            $0.status = .succeeded
            $0.outputs = try! JSONDecoder().decode([PublishedOutput].self, from: Data(#"[{"name": "t.csv", "path": "outbox/ventes/t.csv", "size": 3, "sha256": "", "step": "load[0].csv"}]"#.utf8))
        }, timeZone: zurich)
        #expect(summary.line() == #"✔ ventes  20261121-070000-abcdef  ventes\n.csv  succeeded  → outbox/ventes/t.csv"#)
    }

    @Test func aFailedRunSaysWhereAndHowToReprocessInRedWhenColoured() {
        let r = record {
            $0.status = .failed
            $0.failure = RunFailure(stage: "transform", step: "transform[0].validate", message: "Produit is required", file: "v.csv",
                                    place: "row 4", rows: [4], hint: nil, transient: false)
        }
        let summary = RunSummary(r, timeZone: zurich)
        #expect(summary.error == "v.csv:row 4: Produit is required")
        #expect(summary.line() == "✗ ventes  20261121-070000-abcdef  ventes\\n.csv  failed\n    v.csv:row 4: Produit is required\n    fix it, then: sluice reprocess 20261121-070000-abcdef")
        let coloured = summary.line(TerminalStyle(colours: true))
        #expect(coloured.hasPrefix("\u{1B}[31m✗\u{1B}[0m ventes") && coloured.contains("\u{1B}[31mv.csv:row 4: Produit is required\u{1B}[0m"))
    }

    @Test func aRunWaitingForARetryShowsTheWakeTimeInThePipelinesZoneAndTheTwoWaysOut() {
        let summary = RunSummary(record {
            $0.status = .waiting
            $0.waitingFor = "retry"
            $0.attempt = 1
            $0.wakeAt = Date(timeIntervalSince1970: 1_795_248_000)  // 2026-11-21T08:00:00Z
            $0.retryError = RunFailure(stage: "load", step: "load[0].webhook", message: "HTTP 503", file: nil, place: nil, rows: [], hint: nil, transient: true)
        }, timeZone: zurich)
        #expect(summary.wakeAt == "2026-11-21T08:00:00Z")
        #expect(summary.wakeAtLocal == "2026-11-21 09:00 (Europe/Zurich)")
        let lines = summary.line().split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0].hasSuffix("  waiting  attempt 2 at 2026-11-21 09:00 (Europe/Zurich)"))
        #expect(lines[1] == "    last attempt: HTTP 503")
        #expect(lines[2] == "    now: sluice retry 20261121-070000-abcdef · give up: sluice cancel 20261121-070000-abcdef")
    }

    @Test func theJSONLeavesOutWhatARunDoesNotHave() throws {
        let data = try JSONEncoder().encode(RunSummary(record { $0.status = .succeeded }, timeZone: zurich))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["error"] == nil && object["wakeAt"] == nil && object["params"] == nil)
        #expect(object["inputs"] as? [String] == ["ventes\n.csv"] && object["status"] as? String == "succeeded")
    }
}
