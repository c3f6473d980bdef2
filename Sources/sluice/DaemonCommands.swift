import ArgumentParser
import Foundation
import SluiceCore
import SluiceSteps
import SluiceStore

/// `.sluice/serve.pid`: how the other commands find a running `sluice serve`.
struct DaemonControl {
    let workspace: Workspace

    var pidPath: String { workspace.internalDirectory + "/serve.pid" }

    func writePID() throws {
        try FileOperations.writeAtomically("\(getpid())\n", to: pidPath)
    }

    func removePID() { unlink(pidPath) }

    /// The pid of the `sluice serve` working this workspace, if one is.
    func runningDaemon() -> pid_t? {
        guard let text = try? String(contentsOfFile: pidPath, encoding: .utf8), let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        // The daemon holds the workspace lock for its whole life.
        if (try? WorkspaceLock(path: workspace.lockPath, wait: false)) != nil { return nil }
        return kill(pid, 0) == 0 ? pid : nil
    }

    /// Tells the daemon to look at the ledger again.
    func poke(_ pid: pid_t) { kill(pid, SIGUSR1) }
}

struct ReloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Ask the running daemon to reload the manifests (the same as SIGHUP).",
        discussion: "A manifest with errors is not loaded: its previous version keeps running. The errors are printed here and logged by the daemon.")

    @OptionGroup var options: WorkspaceOptions

    func run() throws {
        let ws = try options.existingWorkspace()
        let loaded = ManifestLoader(registry: StepKinds.registry).loadAll(directory: ws.pipelines, relativeTo: ws.root)
        for l in loaded where l.manifest == nil {
            for d in l.diagnostics.errors { printDiagnostic(d.description) }
            printDiagnostic("✗ \(l.path): not loaded; the daemon keeps its previous version")
        }
        guard let pid = DaemonControl(workspace: ws).runningDaemon() else {
            throw CommandFailure("no sluice serve is running in \(ws.root); start it with `sluice serve`")
        }
        kill(pid, SIGHUP)
        print("asked sluice serve (pid \(pid)) to reload \(loaded.count) manifest(s)")
    }
}

/// Shared by `retry` and `cancel`: change a waiting run in the ledger, then have the daemon
/// (or, when none runs, this process) act on it.
struct WaitingRunAction {
    let options: WorkspaceOptions

    /// `refusal` says why the run cannot be changed (nil: it can); `change` changes it.
    func perform(_ id: String, refusal: (RunRecord) -> String?, change: (inout RunRecord) -> Void) throws {
        let ledger = try options.ledger()
        var problem: String?
        let found = try ledger.modify(id: id) { r in
            problem = refusal(r)
            guard problem == nil else { return false }
            change(&r)
            r.wakeAt = Date(timeIntervalSince1970: 0)
            return true
        }
        guard let changed = found else { throw CommandFailure("no run '\(id)'; `sluice runs --status waiting` lists the waiting ones") }
        if let problem { throw CommandFailure(problem) }
        let control = DaemonControl(workspace: options.workspace)
        if let pid = control.runningDaemon() {
            control.poke(pid)
            print("sluice serve (pid \(pid)) takes it up now: \(changed.id) (\(changed.pipeline))")
            return
        }
        let (runner, lock) = try options.runner(observer: ProgressPrinter(live: false, quiet: false, workspace: options.workspace))
        let result = try withExtendedLifetime(lock) { () -> RunRecord in
            guard let fresh = try runner.ledger.run(id: id), let ready = try runner.prepareToResume(fresh, atStart: false) else { return changed }
            return try runner.drive(ready)
        }
        if result.status == .failed && changed.cancelRequested != true { throw ExitCode(1) }
    }
}

struct RetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Retry a run waiting for its next attempt now, instead of at its planned time.")

    @OptionGroup var options: WorkspaceOptions

    @Argument(help: "The run's id (`sluice runs --status waiting`).")
    var id: String

    func run() throws {
        let wakeTimes = PipelineTimeZones(workspace: options.workspace)
        try WaitingRunAction(options: options).perform(id, refusal: { r in
            r.status == .waiting && r.waitingFor == "retry" ? nil
                : "run \(r.id) is \(r.status == .waiting ? "at a wait step until \(wakeTimes.describe(r))" : r.status.rawValue), not waiting for a retry"
        }, change: { _ in })
    }
}

struct CancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Give up a waiting run: it fails, and its input goes to the archive with the reason.")

    @OptionGroup var options: WorkspaceOptions

    @Argument(help: "The run's id (`sluice runs --status waiting`).")
    var id: String

    func run() throws {
        try WaitingRunAction(options: options).perform(id, refusal: { r in
            r.status == .waiting ? nil : "run \(r.id) is \(r.status.rawValue); only a waiting run can be cancelled"
        }, change: { $0.cancelRequested = true })
    }
}

struct EmitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emit",
        abstract: "Emit a named event: every pipeline with `triggers: { event: NAME }` gets a run.",
        discussion: "The same --id never starts a pipeline twice. With a daemon running, it starts the runs; otherwise they run now.")

    @OptionGroup var options: WorkspaceOptions

    @Argument(help: "The event's name, e.g. order.paid.")
    var name: String

    @Option(help: "The event's id (default: a new one). Emitting the same id again starts nothing.")
    var id: String?

    @Option(name: .customLong("param"), help: "A parameter NAME=VALUE for templates ({{run.params.NAME}}); repeatable.")
    var parameters: [String] = []

    @Option(name: .customLong("file"), help: "A file given with the event, copied into each run; repeatable.")
    var files: [String] = []

    func validate() throws {
        for p in parameters where !p.contains("=") { throw ValidationError("--param takes NAME=VALUE, not '\(p)'") }
    }

    func run() throws {
        var params: [String: String] = [:]
        for p in parameters {
            let eq = p.firstIndex(of: "=")!
            params[String(p[..<eq])] = String(p[p.index(after: eq)...])
        }
        for f in files where !FileManager.default.fileExists(atPath: f) { throw CommandFailure("no file \(f) (given with --file)") }
        let event = PipelineEvent(name: name, id: id ?? UUID().uuidString.lowercased(), parameters: params, files: files)
        let control = DaemonControl(workspace: options.workspace)
        let daemon = control.runningDaemon()
        // Runs are recorded without the workspace lock (the ledger is transactional); only
        // driving them needs it.
        let ws = try options.existingWorkspace()
        try FileOperations.createDirectory(ws.internalDirectory)
        let recorder = Runner(workspace: ws, ledger: try SQLiteLedger(path: ws.ledgerPath), registry: StepKinds.registry, clock: clockFromEnvironment())
        let (_, broken) = recorder.loadManifests()
        for b in broken { printDiagnostic("✗ \(b.path) has errors; it does not receive events until they are fixed") }
        let created = try recorder.emit(event)
        if created.isEmpty {
            print(recorder.routes.listeners(of: name).isEmpty ? "no pipeline listens to '\(name)'" : "event \(event.id) was already delivered; nothing started")
            return
        }
        if let daemon {
            control.poke(daemon)
            for r in created { print("→ \(r.pipeline)  \(r.id)  started by sluice serve (pid \(daemon))") }
            return
        }
        let (runner, lock) = try options.runner(observer: ProgressPrinter(live: false, quiet: false, workspace: options.workspace))
        let results = try withExtendedLifetime(lock) { try created.map { try runner.drive($0) } }
        if results.contains(where: { $0.status == .failed }) { throw ExitCode(1) }
    }
}
