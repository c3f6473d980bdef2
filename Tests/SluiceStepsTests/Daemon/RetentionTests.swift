import Foundation
import SluiceCore
import SluiceSteps
import SluiceStore
import SluiceTesting
import Testing

/// `retention: { runs: 90d }` in sluice.yaml: read with its place, and applied by the daemon at
/// start and then once a day on its clock.
@Suite struct RetentionTests {
    func settings(_ yaml: String) throws -> (DaemonSettings, Diagnostics) {
        let path = NSTemporaryDirectory() + "sluice-settings-\(UUID().uuidString).yaml"
        try FileOperations.writeAtomically(yaml, to: path)
        return DaemonSettings.load(path: path)
    }

    @Test func retentionIsReadFromSluiceYamlWithItsPlace() throws {
        let (good, ok) = try settings("retention: { runs: 90d }\n")
        #expect(!ok.hasErrors && good.retention == DurationValue(parsing: "90d"))
        #expect(try settings("limit: 2\n").0.retention == nil, "without it, runs are kept for ever")
        let (_, bad) = try settings("retention:\n  runs: 3h\n  archive: 1d\n")
        let messages = bad.errors.map(\.description)
        #expect(messages.contains { $0.contains("sluice.yaml:2:") && $0.contains("at least a day") })
        #expect(messages.contains { $0.contains("sluice.yaml:3:") && $0.contains("unknown key 'archive'") })
    }

    @Test func theDaemonPrunesAtStartAndThenOnceADay() throws {
        let h = try PipelineHarness()
        try h.pipeline("copy", DaemonTests.copy)
        var settings = DaemonSettings.standard
        settings.retention = DurationValue(parsing: "30d")
        let day: TimeInterval = 86_400
        try h.drop("copy", "first.csv", "x\n1\n")
        let d = h.daemon(settings: settings)
        d.tick()
        let first = try #require(try h.runs().first)
        #expect(first.status == .succeeded)
        h.clock.advance(by: 20 * day)
        try h.drop("copy", "second.csv", "x\n2\n")
        d.tick()
        #expect(try h.runs().count == 2, "the prune of this tick found nothing 30 days old")
        h.clock.advance(by: 10 * day + 3600)
        d.tick()
        #expect(try h.runs().map(\.inputs[0].name) == ["second.csv"], "first.csv's run finished 30 days and an hour ago")
        #expect(!FileManager.default.fileExists(atPath: h.workspace.root + "/" + (first.archivePath ?? "none")))
        // The second run turns 30 days old at day 50; the prunes fall at day 50 less half an hour,
        // then a day later.
        h.clock.advance(by: 20 * day - 5400)
        d.tick()
        h.clock.advance(by: 3600)
        d.tick()
        #expect(try h.runs().count == 1, "30 days and half an hour old, but the next prune is not due")
        h.clock.advance(by: 23 * 3600)
        d.tick()
        #expect(try h.runs().isEmpty)
    }
}
