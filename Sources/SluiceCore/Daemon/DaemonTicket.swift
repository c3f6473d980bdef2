/// A job waiting for its queue, or started: the ticket the run executor hands back when it ends.
public struct DaemonTicket: Sendable {
    public var job: DaemonJob
    /// The queue it waits in (an unknown queue is `default`).
    public var queue: String
    /// First come, first served within a queue.
    public var sequence: Int
}
