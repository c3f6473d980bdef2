import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import HummingbirdTesting
import SluiceCore
import SluiceServer
import SluiceStore
import SluiceTesting
import Testing

@Suite struct PipelineRouteTests {
    @Test func theListGivesTriggersScheduleInWordsPausedAndCounts() async throws {
        let f = try APIFixture()
        _ = try f.record("ventes") { $0.status = .succeeded }
        _ = try f.record("ventes") { $0.status = .failed }
        let read = f.tokens[.read]!
        try await f.test { client in
            let r = try await client.execute(uri: "/api/pipelines", method: .get, headers: APIFixture.headers(read))
            #expect(r.status == .ok)
            #expect(r.headers[.contentType] == "application/json; charset=utf-8")
            let list = try #require(r.json["pipelines"] as? [[String: Any]])
            #expect(list.map { $0["name"] as? String } == ["stock", "ventes"])
            let ventes = list[1]
            #expect(ventes["description"] as? String == "Les ventes du jour")
            #expect(ventes["paused"] as? Bool == false)
            #expect(ventes["active"] as? Bool == true)
            #expect((ventes["triggers"] as? [String])?.contains("schedule") == true)
            let schedule = try #require(ventes["schedule"] as? [String: Any])
            #expect(schedule["expression"] as? String == "daily at 08:00")
            #expect(schedule["timezone"] as? String == "Europe/Zurich")
            #expect((schedule["summary"] as? String)?.isEmpty == false)
            #expect(schedule["next"] as? String != nil)
            let runs = try #require(ventes["runs"] as? [String: Int])
            #expect(runs["succeeded"] == 1 && runs["failed"] == 1 && runs["waiting"] == 0)
            #expect((ventes["lastRun"] as? [String: Any])?["status"] as? String == "failed")
        }
    }

    @Test func onePipelineHasItsManifestAndDiagnostics() async throws {
        let f = try APIFixture()
        try f.harness.pipeline("broken", "triggers: { manual: true }\nextract:\n  - nosuchkind: {}\n")
        try f.harness.pipeline("mailer", "triggers: { manual: true }\nextract:\n  - files: {}\nnotify:\n  - file: { name: a.txt, text: x }\n# password: hunter2\n")
        let read = f.tokens[.read]!
        try await f.test { client in
            let r = try await client.execute(uri: "/api/pipelines/ventes", method: .get, headers: APIFixture.headers(read))
            #expect(r.status == .ok)
            #expect((r.json["manifest"] as? String)?.contains("daily at 08:00") == true)
            #expect((r.json["diagnostics"] as? [Any])?.isEmpty == true)
            let broken = try await client.execute(uri: "/api/pipelines/broken", method: .get, headers: APIFixture.headers(read))
            #expect(broken.status == .ok)
            let d = try #require((broken.json["diagnostics"] as? [[String: Any]])?.first)
            #expect(d["severity"] as? String == "error")
            #expect(d["line"] as? Int == 3)
            #expect((broken.json["pipeline"] as? [String: Any])?["hasErrors"] as? Bool == true)
            let mailer = try await client.execute(uri: "/api/pipelines/mailer", method: .get, headers: APIFixture.headers(read))
            #expect(!mailer.text.contains("hunter2"))
            #expect(mailer.text.contains("<redacted>"))
            let none = try await client.execute(uri: "/api/pipelines/nosuch", method: .get, headers: APIFixture.headers(read))
            #expect(none.status == .notFound)
            #expect(none.errorCode == "not_found")
        }
    }

    @Test func pauseAndResumeAreKeptInTheLedger() async throws {
        let f = try APIFixture()
        let admin = f.tokens[.admin]!
        try await f.test { client in
            let p = try await client.execute(uri: "/api/pipelines/ventes/pause", method: .post, headers: APIFixture.headers(admin))
            #expect(p.status == .ok)
            #expect(p.json["paused"] as? Bool == true && p.json["changed"] as? Bool == true)
            #expect(try f.harness.ledger.pausedPipelines()["ventes"] != nil)
            let again = try await client.execute(uri: "/api/pipelines/ventes/pause", method: .post, headers: APIFixture.headers(admin))
            #expect(again.json["changed"] as? Bool == false)
            let list = try await client.execute(uri: "/api/pipelines", method: .get, headers: APIFixture.headers(admin))
            let ventes = (list.json["pipelines"] as? [[String: Any]])?.first { $0["name"] as? String == "ventes" }
            #expect(ventes?["paused"] as? Bool == true && ventes?["active"] as? Bool == false)
            let r = try await client.execute(uri: "/api/pipelines/ventes/resume", method: .post, headers: APIFixture.headers(admin))
            #expect(r.json["paused"] as? Bool == false && r.json["changed"] as? Bool == true)
            #expect(try f.harness.ledger.pausedPipelines().isEmpty)
            let unknown = try await client.execute(uri: "/api/pipelines/nosuch/pause", method: .post, headers: APIFixture.headers(admin))
            #expect(unknown.status == .notFound)
        }
    }

    @Test func reloadSaysWhichManifestsHaveErrors() async throws {
        let f = try APIFixture()
        try f.harness.pipeline("broken", "triggers: { manual: true }\nextract:\n  - nosuchkind: {}\n")
        let admin = f.tokens[.admin]!
        try await f.test { client in
            let r = try await client.execute(uri: "/api/reload", method: .post, headers: APIFixture.headers(admin))
            #expect(r.status == .ok)
            #expect(r.json["ok"] as? Bool == true)
            #expect((r.json["broken"] as? [[String: Any]])?.first?["pipeline"] as? String == "broken")
        }
    }

    @Test func theSchedulerJobsAreTheScheduledPipelines() async throws {
        let f = try APIFixture()
        let read = f.tokens[.read]!
        try await f.test { client in
            let r = try await client.execute(uri: "/api/scheduler/jobs", method: .get, headers: APIFixture.headers(read))
            #expect(r.status == .ok)
            let jobs = try #require(r.json["jobs"] as? [[String: Any]])
            #expect(jobs.map { $0["pipeline"] as? String } == ["ventes"])
            let schedule = try #require(jobs[0]["schedule"] as? [String: Any])
            #expect(schedule["cron"] as? String != nil && schedule["summaryFrench"] as? String != nil)
        }
    }

    @Test func readyChecksTheLedgerTheManifestsAndTheDaemon() async throws {
        let f = try APIFixture()
        let read = f.tokens[.read]!
        try await f.test { client in
            let r = try await client.execute(uri: "/ready", method: .get, headers: APIFixture.headers(read))
            #expect(r.status == .ok, "\(r.text)")
            #expect(r.json["ready"] as? Bool == true)
            #expect((r.json["checks"] as? [String: Bool]) == ["ledger": true, "manifests": true, "daemon": true])
        }
    }

    @Test func notReadyWithoutADaemonAnswers503() async throws {
        let f = try APIFixture()
        // The command line's control: no sluice serve runs in this workspace.
        let backend = APIBackend(workspace: f.harness.workspace, ledger: f.harness.ledger, control: LedgerDaemonControl(runner: f.harness.runner),
                                 catalog: TestCatalog(runner: f.harness.runner), clock: f.harness.clock)
        let server = APIServer(configuration: APIServerConfiguration(port: 0), backend: backend)
        let read = f.tokens[.read]!
        try await server.application().test(.router) { client in
            let r = try await client.execute(uri: "/ready", method: .get, headers: APIFixture.headers(read))
            #expect(r.status == .serviceUnavailable)
            #expect((r.json["checks"] as? [String: Bool])?["daemon"] == false)
        }
    }
}
