import Foundation
import Testing
import SluiceCore
import SluiceSteps
import SluiceStore
import SluiceTesting

/// A test source: each file in the workspace's `mailbox/` folder is an item (its identity is
/// its content), acknowledged by renaming it to `<name>.seen`. It writes what it sees to
/// `source.log`, and fails when `mailbox.down` exists.
struct FolderSource: Step, InputSource {
    struct Configuration: Decodable, Sendable { var poll: Double? }
    static let kind = "folder-source"
    static let stages: Set<StageName> = [.extract]
    static let documentation = StepDocumentation(summary: "test", fields: [], example: "- folder-source: {}")
    let configuration: Configuration
    init(configuration: Configuration) { self.configuration = configuration }

    var pollInterval: TimeInterval { configuration.poll ?? 30 }

    func run(_ context: StepContext) throws -> StepOutput {
        let text = try String(contentsOfFile: context.inputFiles[0].path, encoding: .utf8)
        if text.contains("bad") { throw StepError(.badInput, "bad item", file: context.inputFiles[0].name) }
        return StepOutput(dataset: Dataset(columns: [Column("text", .string)], rows: [[.string(text)]]))
    }

    func collect(_ context: SourceContext, claim: ([CollectedItem]) throws -> [ClaimOutcome]) throws -> CollectReport {
        let folder = context.workspace.root + "/mailbox"
        if FileManager.default.fileExists(atPath: folder + ".down") { throw StepError(.effectFailed, "mailbox down", transient: true) }
        var report = CollectReport()
        for name in ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted() where !name.hasSuffix(".seen") {
            let staged = context.stagingDirectory + "/" + name
            try FileManager.default.copyItem(atPath: folder + "/" + name, toPath: staged)
            let key = "folder-" + (try FileOperations.sha256(path: staged)).0
            let item = CollectedItem(keys: [EffectRecord(key: key, run: "", step: "folder", item: name, state: .done, detail: nil, at: context.now)],
                                     files: [(name, staged)], parameters: ["folder.name": name], origin: "folder:" + name, trigger: "folder")
            let outcome = try claim([item])[0]
            // The claim is committed before the item is acknowledged: another connection to the
            // ledger sees it (the runner's own would see it inside an uncommitted group too).
            let durable = try SQLiteLedger(path: context.workspace.ledgerPath).effect(key: key) != nil
            try log(context, "claimed \(name) durable=\(durable)")
            if case .created(let run) = outcome { report.created.append(run) }
            try FileManager.default.moveItem(atPath: folder + "/" + name, toPath: folder + "/" + name + ".seen")
        }
        return report
    }

    func runEnded(_ run: RunRecord, context: SourceContext) throws {
        try log(context, "ended \(run.parameters["folder.name"] ?? "?") \(run.status.rawValue)")
    }

    func log(_ context: SourceContext, _ line: String) throws {
        let path = context.workspace.root + "/source.log"
        let old = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        try FileOperations.writeAtomically(old + line + "\n", to: path)
    }
}

@Suite("Input sources: items become runs, claimed before they are acknowledged")
struct InputSourceTests {
    static let manifest = """
        triggers: { manual: true }
        extract:
          - folder-source: { poll: 30 }
        load:
          - csv: { file: "out_{{run.params.folder.name}}" }
        """

    func harness() throws -> PipelineHarness {
        var h = try PipelineHarness()
        h.registry = StepRegistry(StepKinds.registry.registrations + [FolderSource.registration])
        try h.pipeline("p", Self.manifest)
        try FileOperations.createDirectory(h.workspace.root + "/mailbox")
        return h
    }

    func put(_ h: PipelineHarness, _ name: String, _ text: String) throws {
        try FileOperations.writeAtomically(text, to: h.workspace.root + "/mailbox/" + name)
    }

    func log(_ h: PipelineHarness) -> [String] {
        ((try? String(contentsOfFile: h.workspace.root + "/source.log", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    @Test func eachItemIsOneRunClaimedBeforeItsAcknowledgementAndRepeatsMakeNoRun() throws {
        let h = try harness()
        try put(h, "a.txt", "one")
        try put(h, "b.txt", "bad")
        try put(h, "c.txt", "one")
        let report = try h.runner.runBatch()
        #expect(report.runs.map(\.status) == [.succeeded, .failed])
        #expect(report.runs.allSatisfy { $0.trigger == "folder" && $0.triggeredBy?.hasPrefix("folder:") == true })
        #expect(log(h) == ["claimed a.txt durable=true", "claimed b.txt durable=true", "claimed c.txt durable=true",
                           "ended a.txt succeeded", "ended b.txt failed"])
        let again = try h.runner.runBatch()
        #expect(again.runs.isEmpty)
        #expect(try h.runs().count == 2)
    }

    @Test func anUnreachableSourceFailsTheBatchAndLosesNothing() throws {
        let h = try harness()
        try put(h, "a.txt", "one")
        try FileOperations.writeAtomically("x", to: h.workspace.root + "/mailbox.down")
        let report = try h.runner.runBatch()
        #expect(!report.succeeded)
        #expect(report.sourceProblems.first?.contains("mailbox down") == true)
        unlink(h.workspace.root + "/mailbox.down")
        #expect(try h.runner.runBatch().runs.map(\.status) == [.succeeded])
    }

    @Test func theDaemonLooksEveryPollIntervalAndDrivesWhatItClaimed() throws {
        let h = try harness()
        try put(h, "a.txt", "one")
        let d = h.daemon()
        d.tickUntilQuiet()
        d.tickUntilQuiet()
        #expect(try h.runs().map(\.status) == [.succeeded])
        try put(h, "b.txt", "two")
        h.clock.advance(by: 10)
        d.tickUntilQuiet()
        #expect(try h.runs().count == 1)
        h.clock.advance(by: 20)
        let next = d.tick()
        d.tickUntilQuiet()
        #expect(try h.runs().map(\.status) == [.succeeded, .succeeded])
        #expect(next.map { $0 <= h.clock.now() + 30 } == true)
    }
}
