import Foundation
import SluiceCore
import SluiceSteps
import SluiceStore
import SluiceTesting

/// A test step that fails while a file named by its configuration exists in the workspace:
/// transiently (as a network error would) or permanently. Each call is counted in the file
/// `<flag>.calls`.
struct FlakyStep: Step {
    struct Configuration: Decodable, Sendable {
        var flag: String
        var permanent: Bool?
        var retryAfter: Double?
    }

    static let kind = "flaky"
    static let stages: Set<StageName> = [.load, .notify]
    static let documentation = StepDocumentation(summary: "test", fields: [], example: "- flaky: { flag: f }")

    let configuration: Configuration
    init(configuration: Configuration) { self.configuration = configuration }

    func run(_ context: StepContext) throws -> StepOutput {
        let path = context.workspace.root + "/" + configuration.flag
        let calls = path + ".calls"
        let n = (FileManager.default.contents(atPath: calls).flatMap { Int(String(decoding: $0, as: UTF8.self)) } ?? 0) + 1
        try FileOperations.writeAtomically("\(n)", to: calls)
        if FileManager.default.fileExists(atPath: path) {
            var error = StepError(.effectFailed, "the service is unavailable", transient: configuration.permanent != true)
            error.retryAfter = configuration.retryAfter
            throw error
        }
        return StepOutput(dataset: context.input)
    }

    static func calls(_ h: PipelineHarness, _ flag: String) -> Int {
        FileManager.default.contents(atPath: h.workspace.root + "/" + flag + ".calls").flatMap { Int(String(decoding: $0, as: UTF8.self)) } ?? 0
    }
}

extension PipelineHarness {
    /// A harness whose registry also knows the test's `flaky` step.
    static func withFlakyStep() throws -> PipelineHarness {
        var h = try PipelineHarness()
        h.registry = StepRegistry(StepKinds.registry.registrations + [FlakyStep.registration])
        return h
    }

    func setFlag(_ name: String, _ on: Bool) throws {
        if on { try FileOperations.writeAtomically("x", to: workspace.root + "/" + name) } else { unlink(workspace.root + "/" + name) }
    }

    func daemon(settings: DaemonSettings = .standard) -> Daemon {
        let d = Daemon(runner: runner, settings: settings, executor: InlineExecutor())
        d.reload()
        return d
    }

    func runs() throws -> [RunRecord] { try ledger.runs(RunFilter()) }
}

extension Daemon {
    /// Ticks until nothing is left waiting for a slot (a pipeline's runs go one at a time).
    func tickUntilQuiet() {
        for _ in 0 ..< 50 {
            tick()
            if counts.pending == 0 { return }
        }
    }
}
