import Logging
import ServiceLifecycle
import UnixSignals

extension DaemonServices {
    /// Runs the daemon's services and `added` ones after them (the HTTP API), until SIGTERM or
    /// SIGINT. The added services start last and stop first: once shutdown begins they take no
    /// new work, then the scheduler, the watcher and the runs stop as `run(startLine:say:logger:)` says.
    public func run(startLine: String, say: @escaping @Sendable (String) -> Void, logger: Logger, adding added: [any Service]) async throws {
        guard !added.isEmpty else { return try await run(startLine: startLine, say: say, logger: logger) }
        let daemonServices: [any Service] = [
            RunsService(daemon: daemon, startLine: startLine, say: say),
            InboxWatchService(reload: reload),
            SchedulerService(reload: reload),
        ]
        let group = ServiceGroup(
            services: daemonServices + added,
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        try await group.run()
    }
}
