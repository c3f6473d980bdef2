import SluiceCore

/// Where the API's blocking calls go (the ledger's SQLite, the manifests' files, the daemon's
/// control): a small pool of threads of their own, never the cooperative pool.
public struct BlockingCalls: Sendable {
    let executor: any JobExecutor

    /// `threads`: how many calls may block at once; more wait their turn.
    public init(threads: Int = 4) { executor = RunExecutor(maximumThreads: threads) }

    /// Tests: calls run on the caller's thread.
    public init(executor: any JobExecutor) { self.executor = executor }

    /// Runs `body` on one of the threads and returns what it returns (or throws what it throws).
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            executor.execute { continuation.resume(with: Result { try body() }) }
        }
    }
}
