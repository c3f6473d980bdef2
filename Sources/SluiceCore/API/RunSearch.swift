import Foundation

/// What to look for among the runs (`GET /api/runs`): every field is optional.
public struct RunQuery: Sendable, Hashable {
    public var pipeline: String?
    public var status: RunStatus?
    /// `inbox`, `manual`, `schedule`, `reprocess`, `after`, `event`.
    public var trigger: String?
    /// Runs created at or after this instant.
    public var from: Date?
    /// Runs created before this instant.
    public var to: Date?
    /// Words looked for in the run's failure (message, hint, place, step).
    public var text: String?
    /// The cursor of the page before (`RunPage.next`); nil for the first page.
    public var cursor: Int64?
    public var limit: Int

    public init(pipeline: String? = nil, status: RunStatus? = nil, trigger: String? = nil, from: Date? = nil, to: Date? = nil,
                text: String? = nil, cursor: Int64? = nil, limit: Int = 50) {
        self.pipeline = pipeline
        self.status = status
        self.trigger = trigger
        self.from = from
        self.to = to
        self.text = text
        self.cursor = cursor
        self.limit = limit
    }
}

/// One page of runs, newest first.
public struct RunPage: Sendable {
    public var runs: [RunRecord]
    /// The cursor of the next (older) page; nil on the last page.
    public var next: Int64?

    public init(runs: [RunRecord], next: Int64?) {
        self.runs = runs
        self.next = next
    }
}

/// Questions about the runs that `Ledger` does not answer: the SQLite ledger does.
public protocol RunSearch: Sendable {
    /// A page of the runs matching `query`, newest first.
    func searchRuns(_ query: RunQuery) throws -> RunPage
    /// How many runs each pipeline has, by status.
    func runCounts() throws -> [String: [RunStatus: Int]]
    /// The latest run of each pipeline that has any.
    func latestRuns() throws -> [String: RunRecord]
}
