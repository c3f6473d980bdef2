import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import SluiceCore
import SluiceServer
import SluiceStore

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Keep the workspace running: schedules, watched inboxes, retries, waits and events.",
        discussion: """
        Runs until SIGTERM or SIGINT, then stops gracefully: nothing new starts, and each running run stops at its \
        next checkpoint, to resume when sluice starts again. SIGHUP (or `sluice reload`) reloads the manifests; \
        they are also reloaded when a file in pipelines/ changes. Settings (queues, limit, inbox watching) come \
        from sluice.yaml.
        """)

    @OptionGroup var options: WorkspaceOptions

    @Option(help: "Where the HTTP API listens: HOST:PORT, HOST or :PORT (port 0 picks a free one).")
    var listen = "\(APIServerConfiguration.defaultHost):\(APIServerConfiguration.defaultPort)"

    @Flag(name: .customLong("no-http"), help: "Run without the HTTP API.")
    var noHTTP = false

    func validate() throws {
        guard APIServerConfiguration(listen: listen) != nil else { throw ValidationError("--listen takes HOST:PORT, got '\(listen)'") }
    }

    func run() async throws {
        let printer = DaemonPrinter(workspace: options.workspace)
        let (runner, lock) = try options.runner(observer: printer, waitForLock: false)
        let ws = runner.workspace
        let (settings, problems) = DaemonSettings.load(path: ws.root + "/sluice.yaml")
        if problems.hasErrors {
            for d in problems.errors { printDiagnostic(d.description) }
            throw CommandFailure("sluice.yaml has \(problems.errors.count) error(s); not started")
        }
        let daemon = Daemon(runner: runner, settings: settings, logger: Logger(label: "sluice.daemon"))
        let services = try DaemonServices(daemon: daemon)
        let pidFile = DaemonPIDFile(workspace: ws)
        try pidFile.write()
        defer { pidFile.remove() }
        services.load()
        let startLine = "sluice serve: \(daemon.pipelines.count) pipeline(s), queues \(settings.queuesByPriority.map { "\($0.name)×\($0.workers)" }.joined(separator: " ")), limit \(settings.limit), \(settings.watch == .inotify ? "watching inboxes with inotify" : "polling inboxes every \(settings.pollInterval)s") (pid \(getpid()))"
        let api: [any Service] = noHTTP ? [] : [APIServer.serving(daemon, ledger: try SQLiteLedger(path: ws.ledgerPath),
                                                                   configuration: APIServerConfiguration(listen: listen)!, announce: { printer.say($0) })]
        try await services.run(startLine: startLine, say: { printer.say($0) }, logger: Logger(label: "sluice.serve"), adding: api)
        _ = lock
        printer.say("sluice serve: stopped")
    }
}
