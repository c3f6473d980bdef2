import Foundation
@testable import SluiceCore
@testable import SluiceSteps
import SluiceTesting
import Testing

/// Two runners in one process keep their group commit, crash points, caches and connection
/// pools apart.
@Suite struct RunnerResourcesTests {
    static let load = """
    triggers: { inbox: { settle: 0s } }
    extract:
      - csv: {}
        as: lignes
    load:
      - database: { table: lignes, mode: insert }
    """

    @Test func aGroupCommitInOneRunnerDoesNotDeferTheSyncsOfAnother() throws {
        let a = try PipelineHarness(), b = try PipelineHarness()
        let first = a.runner, second = b.runner
        try first.openGroup()
        #expect(first.resources.syncs.isDeferring)
        #expect(!second.resources.syncs.isDeferring, "the other runner syncs every write at once")
        try second.openGroup()
        try first.closeGroup()
        #expect(!first.resources.syncs.isDeferring)
        #expect(second.resources.syncs.isDeferring, "closing one group leaves the other open")
        try second.closeGroup()
    }

    @Test func aDeferredWriteIsSyncedByItsOwnRunnersGroupOnly() throws {
        let a = try PipelineHarness(), b = try PipelineHarness()
        try a.pipeline("p", Self.load)
        try a.drop("p", "a.csv", "x\n1\n")
        let report = try a.runner.runBatch()
        #expect(report.runs.map(\.status) == [.succeeded])
        // The database load ran in a group of runner a, with its pool; b has none.
        let pool = a.resources.service(DatabaseConnectionPool.self) { DatabaseConnectionPool() }
        #expect(pool.openCount == 1)
        let other = b.resources.service(DatabaseConnectionPool.self) { DatabaseConnectionPool() }
        #expect(other.openCount == 0)
        #expect(pool !== other)
    }

    @Test func theDatasetUseCacheIsTheRunnersOwn() throws {
        let a = try PipelineHarness(), b = try PipelineHarness()
        try a.pipeline("p", """
        triggers: { inbox: { settle: 0s } }
        extract:
          - csv: {}
            as: premier
          - csv: {}
            as: second
        load:
          - csv: { file: "o.csv" }
            from: premier
        """)
        try a.drop("p", "a.csv", "x\n1\n")
        let report = try a.runner.runBatch()
        #expect(report.runs.map(\.status) == [.succeeded], "\(report.runs.map(\.failure))")
        #expect(report.brokenManifests.isEmpty, "\(report.brokenManifests.map(\.diagnostics))")
        #expect(a.resources.datasetUse.count > 0)
        #expect(b.resources.datasetUse.count == 0)
    }

    @Test func crashPointsCountForTheirRunnerOnly() {
        let one = CrashPoints(specification: "nowhere:3"), two = CrashPoints(specification: "nowhere:3")
        one.reached("nowhere")
        one.reached("nowhere")
        two.reached("nowhere")
        #expect(one.count("nowhere") == 2 && two.count("nowhere") == 1)
        one.reached("elsewhere")
        #expect(one.count("elsewhere") == 0, "only the asked-for point is counted")
    }
}
