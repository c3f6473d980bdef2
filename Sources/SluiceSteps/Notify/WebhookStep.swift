import Foundation
import SluiceCore
import SluiceFormats
import SluiceHTTP

/// `webhook`: an HTTP POST of a JSON body rendered from a template, with an
/// `Idempotency-Key` header that stays the same across retries and resumes.
public struct WebhookStep: Step {
    public struct Configuration: Decodable, Sendable {
        public var url: String?
        /// A connection of type `webhook` in connections.yaml (url and headers, with secrets).
        public var connection: String?
        /// The JSON body, a template whose values are escaped for JSON strings.
        public var body: TemplateSource?
        public var headers: [String: String]?
        public var timeout: DurationValue?
    }

    public static let kind = "webhook"
    public static let stages: Set<StageName> = [.notify]
    public static let documentation = StepDocumentation(
        summary: """
        POSTs a JSON body (a template; values are escaped for JSON, and the result must be valid JSON) to a URL, \
        with `Content-Type: application/json` and an `Idempotency-Key` header that is the same for every attempt \
        of the same run and step. 2xx is success; 408, 429 and 5xx or a network failure are transient; other \
        answers fail the step with the server's reply. Without `body`, a summary of the run is sent.
        """,
        fields: [
            .init("url", "URL", example: "https://hooks.example.com/ventes?token=${env:HOOK_TOKEN}", secret: .urlCredentials,
                  "Where to POST (or give `connection`); a password or token in it is written as ${env:NAME}."),
            .init("connection", "name", "A connection of type webhook in connections.yaml: url, headers (secrets from ${env:...})."),
            .init("body", "template", "The JSON body."),
            .init("headers", "mapping", example: "{ Authorization: \"Bearer ${env:HOOK_TOKEN}\" }", secret: .credentialHeaders,
                  "More headers; credentials (Authorization, ...) are written as ${env:NAME}."),
            .init("timeout", "duration", default: "30s", "How long to wait for an answer."),
        ],
        example: """
        - webhook:
            url: http://127.0.0.1:8099/hooks/ventes
            body: '{"text": "Rapport du {{run.date}}: {{totaux.Montant.sum}} CHF sur {{totaux.rows}} produits"}'
        """)

    let configuration: Configuration
    public init(configuration: Configuration) { self.configuration = configuration }

    public func check(_ context: inout StepCheckContext) {
        if configuration.url == nil && configuration.connection == nil { context.error("give 'url' or 'connection'") }
        if let u = configuration.url, !u.hasPrefix("${env:"), URL(string: u)?.scheme.map({ ["http", "https"].contains($0) }) != true {
            context.error("'\(u)' is not an http(s) URL", at: ["url"])
        }
        if let b = configuration.body { context.check(b) }
        if let name = configuration.connection { context.requireConnection(name, type: "webhook", at: ["connection"]) }
    }

    public func run(_ context: StepContext) throws -> StepOutput {
        var url = configuration.url
        var headers: [String: String] = ["Content-Type": "application/json", "User-Agent": "sluice/0.1"]
        if let name = configuration.connection {
            guard let c = context.connections[name] else {
                throw StepError(.configuration, "no connection '\(name)' in connections.yaml\(Suggestion.didYouMean(name, among: context.connections.all.keys))")
            }
            url = url ?? c.setting("url")
            for (k, v) in c.maps["headers"] ?? [:] { headers[k] = v }
        }
        for (k, v) in configuration.headers ?? [:] { headers[k] = try Connections.environmentValue(v) }
        guard let written = url else { throw StepError(.configuration, "the webhook has no url") }
        let target = try Connections.environmentValue(written)
        let shown = redacted(written)
        let body: String
        if let template = configuration.body {
            body = try context.render(template, escaping: .json)
            do { _ = try JSONReader().parse(Array(body.utf8)) } catch {
                throw StepError(.configuration, "the webhook body is not valid JSON after rendering: \(error)", hint: "check the quotes and braces in 'body'")
            }
        } else {
            body = defaultBody(context)
        }
        let timeout = configuration.timeout?.seconds ?? 30
        let outcome = try context.effects.perform(step: context.stepID, item: "post", description: "POST \(body.utf8.count) bytes to \(shown)") { key in
            headers["Idempotency-Key"] = key
            let response: HTTPResponse
            do { response = try HTTPClient.send(method: "POST", url: target, headers: headers, body: Array(body.utf8), timeout: timeout) } catch {
                throw StepError(.effectFailed, "webhook \(shown) could not be reached: \(error)", transient: true)
            }
            context.resources.crashPoints.reached("after-webhook-response")
            if (200 ..< 300).contains(response.status) { return "HTTP \(response.status)" }
            let reply = String(decoding: response.body.prefix(300), as: UTF8.self)
            var error = StepError(.effectFailed, "webhook \(shown) answered HTTP \(response.status): \(reply)",
                                  transient: response.status == 408 || response.status == 429 || response.status >= 500)
            error.retryAfter = response.retryAfterSeconds(now: context.now)
            throw error
        }
        var summary: [String: Value] = [:]
        switch outcome {
        case let .done(d): summary["sent"] = .string(d ?? "")
        case let .alreadyDone(d): summary["already-sent"] = .string(d ?? "")
        case .planned: summary["planned"] = .bool(true)
        }
        return StepOutput(dataset: context.input, summary: summary)
    }

    /// The URL as written (secrets still as `${env:...}`), without its query, which may hold a
    /// token: for messages, logs and the ledger.
    func redacted(_ url: String) -> String {
        guard let q = url.firstIndex(of: "?") else { return url }
        return String(url[..<q]) + "?<redacted>"
    }

    func defaultBody(_ context: StepContext) -> String {
        var object = JSONObject()
        object.append(key: "pipeline", value: .string(context.run.pipeline))
        object.append(key: "run", value: .string(context.run.id))
        object.append(key: "date", value: .string(context.run.date.description))
        var datasets = JSONObject()
        for name in context.datasets.keys.sorted() { datasets.append(key: name, value: .number(String(context.datasets[name]!.rows.count))) }
        object.append(key: "rows", value: .object(datasets))
        return (try? JSONWriter().string(.object(object))) ?? "{}"
    }
}
