import Foundation
import SluiceCore
import SluiceStore
import SluiceTesting
import Testing

/// `DaemonControl` both ways: in the daemon's own process (`Daemon`, as the HTTP API will call
/// it) and from another (`LedgerDaemonControl`, the command line: the ledger, then a signal).
@Suite struct DaemonControlTests {
    static let copy = """
    triggers: { inbox: { settle: 0s }, manual: true }
    extract:
      - csv: {}
    load:
      - csv: { file: "out_{{input.stem}}.csv" }
    """

    @Test func aManualRunTriggeredInProcessIsDrivenOnTheNextTick() throws {
        let h = try PipelineHarness()
        try h.pipeline("ventes", Self.copy)
        let d = h.daemon()
        let given = h.workspace.root + "/given.csv"
        try FileOperations.writeAtomically("x\n1\n", to: given)
        let outcome = try d.trigger("ventes", parameters: ["k": "v"], files: [given])
        #expect(outcome.daemon == getpid() && outcome.runs.count == 1)
        d.tick()
        let run = try #require(try h.runs().first)
        #expect(run.status == .succeeded && run.trigger == "manual" && run.parameters["k"] == "v")
        #expect(h.outbox("ventes", "out_given.csv") != nil && FileManager.default.fileExists(atPath: given), "copied, never moved")
    }

    @Test func aPausedPipelinesFilesWaitAndAreClaimedOnceResumed() throws {
        let h = try PipelineHarness()
        try h.pipeline("ventes", Self.copy)
        let d = h.daemon()
        #expect(try d.setPaused("ventes", true))
        #expect(try !d.setPaused("ventes", true), "already paused")
        #expect(try d.status().paused.keys.sorted() == ["ventes"])
        try h.drop("ventes", "a.csv", "x\n1\n")
        d.noteChanges(inboxes: ["ventes"])
        d.tick()
        #expect(try h.runs().isEmpty)
        // A daemon started afterwards reads the pause from the ledger.
        let later = h.daemon()
        later.noteChanges(inboxes: ["ventes"])
        later.tick()
        #expect(try h.runs().isEmpty && later.pausedPipelines == ["ventes"])
        #expect(try later.setPaused("ventes", false))
        later.tick()
        #expect(try h.runs().first?.status == .succeeded)
    }

    @Test func theCommandLineControlRefusesWhatItCannotDo() throws {
        let h = try PipelineHarness()
        try h.pipeline("ventes", Self.copy)
        let control = LedgerDaemonControl(runner: h.runner)
        #expect(throws: DaemonControlError.self) { try control.setPaused("vente", true) }
        #expect { try control.retry(runID: "nope", wakeText: { _ in "" }) } throws: { "\($0)".contains("no run 'nope'") }
        #expect { try control.reloadManifests() } throws: { "\($0)".contains("no sluice serve is running") }
        #expect(try control.setPaused("ventes", true) && control.status().paused.keys.sorted() == ["ventes"] && control.status().pid == nil)
        // No daemon runs: the outcome says so, and the caller drives the run itself.
        let outcome = try control.trigger("ventes", parameters: [:], files: [])
        #expect(outcome.daemon == nil && outcome.runs.first?.status == .running)
    }
}
