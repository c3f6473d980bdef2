import ServiceLifecycle

/// The runs on the run executor. On shutdown nothing new starts, each running run stops at
/// its next checkpoint, and the service returns once they all have. First in the group, so it
/// shuts down last.
public struct RunsService: Service {
    public let daemon: Daemon
    /// Prints a line of the daemon's output.
    public let say: @Sendable (String) -> Void
    /// Printed once the group runs, when SIGTERM and SIGINT already stop it gracefully.
    public let startLine: String

    public init(daemon: Daemon, startLine: String, say: @escaping @Sendable (String) -> Void) {
        self.daemon = daemon
        self.startLine = startLine
        self.say = say
    }

    public func run() async throws {
        say(startLine)
        try? await gracefulShutdown()
        let (running, _, _) = daemon.counts
        if running > 0 { say("stopping: \(running) run(s) finish their current stage") }
        daemon.beginShutdown()
        await daemon.whenIdle()
    }
}
