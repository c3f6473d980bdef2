import Foundation
import SluiceCore

/// A pipeline as `GET /api/pipelines` lists it.
struct PipelineDocument: Encodable {
    struct ScheduleDocument: Encodable {
        /// As written in the manifest (`daily at 08:00`).
        var expression: String
        var cron: String
        /// In words, English and French.
        var summary: String
        var summaryFrench: String
        var timezone: String
        var next: Date?
        /// The last slot that fired.
        var lastFired: Date?
    }

    struct LastRun: Encodable {
        var id: String
        var status: String
        var trigger: String
        var createdAt: Date
        var finishedAt: Date?

        init(_ run: RunRecord) {
            id = run.id
            status = run.status.rawValue
            trigger = run.trigger
            createdAt = run.createdAt
            finishedAt = run.finishedAt
        }
    }

    var name: String
    var path: String
    var description: String?
    /// Loaded, and not paused.
    var active: Bool
    var paused: Bool
    var pausedSince: Date?
    /// Whether the manifest file has errors now (its previous version, if any, keeps running).
    var hasErrors: Bool
    var triggers: [String]
    var queue: String?
    var schedule: ScheduleDocument?
    var lastRun: LastRun?
    /// How many runs it has, by status.
    var runs: [String: Int]

    init(name: String, manifest: Manifest?, file: ManifestLoader.Loaded?, paused: Date?, nextFire: Date?, lastFired: Date?,
         lastRun: RunRecord?, counts: [RunStatus: Int]) {
        self.name = name
        path = manifest?.path ?? file?.path ?? "pipelines/\(name).yaml"
        description = manifest?.description
        self.paused = paused != nil
        pausedSince = paused
        active = manifest != nil && paused == nil
        hasErrors = file?.diagnostics.hasErrors ?? false
        triggers = manifest?.triggers.keys ?? []
        queue = manifest?.queue
        if let manifest, let text = manifest.triggers.schedule, let parsed = try? Schedule(text) {
            schedule = ScheduleDocument(expression: text, cron: parsed.cron.description, summary: parsed.summary(),
                                        summaryFrench: parsed.summary(french: true), timezone: manifest.timeZone.identifier,
                                        next: nextFire, lastFired: lastFired)
        }
        self.lastRun = lastRun.map(LastRun.init)
        var byStatus: [String: Int] = [:]
        for status in RunStatus.allCases { byStatus[status.rawValue] = counts[status] ?? 0 }
        runs = byStatus
    }
}

/// One pipeline (`GET /api/pipelines/{name}`): the listing's fields, the manifest's text and
/// its diagnostics as `sluice validate` finds them now.
struct PipelineDetailDocument: Encodable {
    struct DiagnosticDocument: Encodable {
        var severity: String
        var message: String
        var file: String?
        var line: Int?
        var column: Int?
        var path: String?
    }

    var pipeline: PipelineDocument
    /// The manifest as written, with literal values of secret-looking keys replaced by `<redacted>`.
    var manifest: String?
    var diagnostics: [DiagnosticDocument]

    init(pipeline: PipelineDocument, file: ManifestLoader.Loaded?, fallbackSource: String?) {
        self.pipeline = pipeline
        manifest = (file?.source ?? fallbackSource).map(ManifestRedaction.redacted)
        diagnostics = (file?.diagnostics.sorted ?? []).map {
            DiagnosticDocument(severity: $0.severity.rawValue, message: $0.message, file: $0.location?.file,
                               line: $0.location?.line, column: $0.location?.column, path: $0.path)
        }
    }
}

/// A manifest's text as the API shows it: a value written literally after a key that names a
/// secret (`password:`, `token:`, `api-key:` …) is replaced by `<redacted>`; `${env:…}`
/// references are shown, as they hold no secret.
enum ManifestRedaction {
    static let secretWords = ["password", "passwd", "secret", "token", "apikey", "api-key", "api_key", "authorization", "credentials"]

    static func redacted(_ source: String) -> String {
        source.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            guard let colon = line.firstIndex(of: ":") else { return String(line) }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "-\"' ")).lowercased()
            guard secretWords.contains(where: { key.hasSuffix($0) }) else { return String(line) }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            guard !value.isEmpty, !value.hasPrefix("${"), !value.hasPrefix("\"${"), !value.hasPrefix("'${") else { return String(line) }
            return String(line[...colon]) + " <redacted>"
        }.joined(separator: "\n")
    }
}
