import Foundation
import HTTPTypes
import Hummingbird
import SluiceCore

/// The pipelines: list, one with its manifest and diagnostics, pause, resume, reload.
struct PipelineRoutes {
    let backend: APIBackend

    func add(to router: Router<APIRequestContext>) {
        router.get("/api/pipelines") { _, _ in try await list() }
        router.get("/api/pipelines/{name}") { _, context in try await one(context) }
        router.post("/api/pipelines/{name}/pause") { _, context in try await setPaused(context, true) }
        router.post("/api/pipelines/{name}/resume") { _, context in try await setPaused(context, false) }
        router.post("/api/reload") { _, _ in try await reload() }
    }

    /// The documents of every pipeline (in effect or with a manifest file), by name.
    static func documents(_ backend: APIBackend) throws -> [(PipelineDocument, ManifestLoader.Loaded?)] {
        let catalog = backend.catalog
        let manifests = catalog.pipelines()
        var files: [String: ManifestLoader.Loaded] = [:]
        for f in catalog.manifestFiles() { files[f.name] = f }
        let paused = try backend.ledger.pauses()
        let next = catalog.nextFires()
        let counts = try backend.search.runCounts()
        let latest = try backend.search.latestRuns()
        return try Set(manifests.keys).union(files.keys).sorted().map { name in
            let m = manifests[name]
            let lastFired = m?.triggers.schedule == nil ? nil : try catalog.lastFired(name)
            let doc = PipelineDocument(name: name, manifest: m, file: files[name], paused: paused[name], nextFire: next[name],
                                       lastFired: lastFired,
                                       lastRun: latest[name], counts: counts[name] ?? [:])
            return (doc, files[name])
        }
    }

    func list() async throws -> Response {
        struct List: Encodable { var pipelines: [PipelineDocument] }
        let backend = self.backend
        let docs = try await backend.blocking { try Self.documents(backend).map(\.0) }
        return try JSONResponse.make(List(pipelines: docs))
    }

    func one(_ context: APIRequestContext) async throws -> Response {
        let name = try await backend.pipelineName(context)
        let backend = self.backend
        let detail = try await backend.blocking { () -> PipelineDetailDocument? in
            guard let found = try Self.documents(backend).first(where: { $0.0.name == name }) else { return nil }
            return PipelineDetailDocument(pipeline: found.0, file: found.1, fallbackSource: backend.catalog.pipelines()[name]?.source)
        }
        guard let detail else { throw APIError.notFound("no pipeline named '\(name)'") }
        return try JSONResponse.make(detail)
    }

    func setPaused(_ context: APIRequestContext, _ paused: Bool) async throws -> Response {
        struct Outcome: Encodable { var pipeline: String; var paused: Bool; var changed: Bool }
        let name = try await backend.pipelineName(context)
        let control = backend.control
        let changed = try await backend.blocking { try control.setPaused(name, paused) }
        return try JSONResponse.make(Outcome(pipeline: name, paused: paused, changed: changed))
    }

    func reload() async throws -> Response {
        struct Broken: Encodable { var pipeline: String; var path: String; var errors: [String] }
        struct Outcome: Encodable { var ok: Bool; var pipelines: [String]; var broken: [Broken] }
        let backend = self.backend
        let outcome = try await backend.blocking { () -> Outcome in
            try backend.control.reloadManifests()
            let broken = backend.catalog.manifestFiles().filter { $0.diagnostics.hasErrors }.map {
                Broken(pipeline: $0.name, path: $0.path, errors: $0.diagnostics.errors.map(\.description))
            }
            return Outcome(ok: true, pipelines: backend.catalog.pipelines().keys.sorted(), broken: broken)
        }
        return try JSONResponse.make(outcome)
    }
}
