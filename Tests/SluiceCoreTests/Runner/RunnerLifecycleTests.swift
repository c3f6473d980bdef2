import Foundation
@testable import SluiceCore
import SluiceTesting
import Testing

/// The runner driving the lifecycle on the in-memory ledger, with step kinds of its own: the
/// state it stores at each point, and a record without one resuming.
@Suite struct RunnerLifecycleTests {
    /// Passes its input on.
    struct PassStep: Step {
        struct Configuration: Decodable, Sendable { var note: String? }
        static let kind = "pass"
        static let stages: Set<StageName> = Set(StageName.allCases)
        static let documentation = StepDocumentation(summary: "test", fields: [], example: "- pass: {}")
        init(configuration: Configuration) {}
        func run(_ context: StepContext) throws -> StepOutput { StepOutput(dataset: context.input) }
    }

    /// Fails transiently while the file `flag` exists in the workspace.
    struct FlagStep: Step {
        struct Configuration: Decodable, Sendable { var flag: String }
        static let kind = "flag"
        static let stages: Set<StageName> = [.load]
        static let documentation = StepDocumentation(summary: "test", fields: [], example: "- flag: { flag: down }")
        let configuration: Configuration
        init(configuration: Configuration) { self.configuration = configuration }
        func run(_ context: StepContext) throws -> StepOutput {
            if FileManager.default.fileExists(atPath: context.workspace.root + "/" + configuration.flag) {
                throw StepError(.effectFailed, "the service is unavailable", transient: true)
            }
            return StepOutput(dataset: context.input)
        }
    }

    let workspace: Workspace
    let ledger = InMemoryLedger()
    let clock = TestClock(Date(timeIntervalSince1970: 1_795_248_000))

    init() throws {
        workspace = Workspace(root: try TemporaryFolder.make("core-runner"))
        try FileOperations.createDirectory(workspace.pipelines)
        try FileOperations.createDirectory(workspace.internalDirectory)
        try FileOperations.writeAtomically("""
        retry: { attempts: 3, backoff: fixed, initial: 1m, jitter: false }
        triggers: { inbox: { settle: 0s } }
        extract:
          - pass: {}
        load:
          - flag: { flag: down }
        notify:
          - pass: {}
        """, to: workspace.pipelines + "/p.yaml")
    }

    var runner: Runner {
        var r = Runner(workspace: workspace, ledger: ledger, registry: StepRegistry([PassStep.registration, FlagStep.registration]), clock: clock)
        r.fileClock = clock
        return r
    }

    func drop(_ name: String) throws {
        try FileOperations.createDirectory(workspace.inbox("p"))
        let path = workspace.inbox("p") + "/" + name
        try FileOperations.writeAtomically("x\n", to: path)
        try FileManager.default.setAttributes([.modificationDate: clock.now() - 3600], ofItemAtPath: path)
    }

    @Test func aTransientFailureIsStoredAsWaitingAndTheRetryEndsDone() throws {
        try FileOperations.writeAtomically("", to: workspace.root + "/down")
        try drop("a.txt")
        let first = try #require(try runner.runBatch().runs.first)
        let parked = try #require(try ledger.run(id: first.id))
        #expect(parked.status == .waiting && parked.completedStages == ["extract"])
        let wake = try #require(parked.wakeAt)
        #expect(parked.state == .waiting(until: wake, reason: .retry, stage: 1))

        unlink(workspace.root + "/down")
        clock.advance(by: 120)
        _ = try runner.runBatch()
        let done = try #require(try ledger.run(id: first.id))
        #expect(done.status == .succeeded && done.state == .done)
        #expect(done.completedStages == ["extract", "load", "notify"] && done.attempt == 2)
    }

    @Test func aRecordWrittenWithoutAStateResumesFromItsFields() throws {
        try drop("b.txt")
        // A run stopped after its extract stage by an older sluice: no state stored.
        try FileOperations.writeAtomically("", to: workspace.root + "/down")
        let first = try #require(try runner.runBatch().runs.first)
        _ = try ledger.modify(id: first.id) { run in
            run.state = nil
            run.status = .running
            run.wakeAt = nil
            run.waitingFor = nil
            return true
        }
        unlink(workspace.root + "/down")
        let stored = try #require(try ledger.run(id: first.id))
        let resumed = try #require(try runner.prepareToResume(stored, atStart: false))
        #expect(resumed.state == .stage(1), "read from its fields: extract committed, load next")
        let done = try runner.drive(resumed)
        #expect(done.status == .succeeded && done.state == .done)
        #expect(try ledger.run(id: first.id)?.state == .done)
    }
}
