/// Runs jobs: on the daemon's pool of threads, inline in tests.
public protocol JobExecutor: Sendable {
    func execute(_ work: @escaping @Sendable () -> Void)
}

/// Runs each job at once, on the caller's thread (tests).
public struct InlineExecutor: JobExecutor {
    public init() {}
    public func execute(_ work: @escaping @Sendable () -> Void) { work() }
}
