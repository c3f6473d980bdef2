import HTTPTypes
import Hummingbird
import SluiceCore

/// Who may call a route. Deny by default: a route with no rule here answers 403 to everyone,
/// and a test fails when the router has a route without one.
public enum APIAccess: Sendable, Equatable {
    /// Anyone, without a token (`/health` only).
    case anyone
    /// A bearer token with a scope that allows this one.
    case token(APIScope)
    /// A trigger-scoped token, as a bearer token or as the `secret=` query parameter (for
    /// callers that can only request a URL, such as an external cron service).
    case triggerSecret
}

/// The rule of every route, by `METHOD path` as the router names it (`GET /api/runs/{id}`).
public enum APIAccessPolicy {
    public static let rules: [String: APIAccess] = [
        "GET /health": .anyone,
        "GET /ready": .token(.read),
        "GET /api/pipelines": .token(.read),
        "GET /api/pipelines/{name}": .token(.read),
        "POST /api/pipelines/{name}/pause": .token(.admin),
        "POST /api/pipelines/{name}/resume": .token(.admin),
        "POST /api/reload": .token(.admin),
        "POST /api/pipelines/{name}/runs": .token(.trigger),
        "GET /api/pipelines/{name}/trigger": .triggerSecret,
        "POST /api/pipelines/{name}/trigger": .triggerSecret,
        "GET /api/runs": .token(.read),
        "GET /api/runs/{id}": .token(.read),
        "POST /api/runs/{id}/retry": .token(.admin),
        "POST /api/runs/{id}/cancel": .token(.admin),
        "GET /api/scheduler/jobs": .token(.read),
        "GET /api/tokens": .token(.admin),
    ]

    /// The rule of a request's route; nil when it has none (refused).
    public static func rule(method: HTTPRequest.Method, endpoint: String?) -> APIAccess? {
        guard let endpoint else { return nil }
        return rules["\(method.rawValue) \(endpoint)"]
    }
}
