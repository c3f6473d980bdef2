import Foundation
import HTTPTypes
import Hummingbird
import Logging
import SluiceCore

/// Deny by default: every request is checked against its route's rule (`APIAccessPolicy`)
/// before its handler runs. A route without a rule is refused; a missing, unknown or revoked
/// token answers 401, a token without the scope 403; an address with too many failed
/// authentications 429. Bodies larger than the limit are refused (413) before they are read.
/// Tokens never reach a log: a failure logs the address and the route only.
public struct APIAuthMiddleware: RouterMiddleware {
    public typealias Context = APIRequestContext

    let check: APITokenCheck
    let limiter: AuthFailureLimiter
    let calls: BlockingCalls
    let maximumBodySize: Int

    public init(check: APITokenCheck, limiter: AuthFailureLimiter, calls: BlockingCalls, maximumBodySize: Int) {
        self.check = check
        self.limiter = limiter
        self.calls = calls
        self.maximumBodySize = maximumBodySize
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maximumBodySize {
            throw APIError(.contentTooLarge, "body_too_large", "the request body is larger than \(maximumBodySize) bytes")
        }
        // No route matched (the router's not-found answer passes here too).
        guard let endpoint = context.endpointPath else { throw APIError.notFound("no such route; see docs/api.md") }
        guard let rule = APIAccessPolicy.rule(method: request.method, endpoint: endpoint) else {
            throw APIError(.forbidden, "forbidden", "this route has no access rule")
        }
        var context = context
        switch rule {
        case .anyone:
            return try await next(request, context)
        case let .token(scope):
            context.token = try await authenticate(bearer(request), needing: scope, request: request, context: context)
        case .triggerSecret:
            let secret = bearer(request) ?? request.uri.queryParameters["secret"].map(String.init)
            context.token = try await authenticate(secret, needing: .trigger, request: request, context: context)
        }
        return try await next(request, context)
    }

    /// The token of `Authorization: Bearer …`, if any.
    func bearer(_ request: Request) -> String? {
        guard let value = request.headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }

    func authenticate(_ secret: String?, needing scope: APIScope, request: Request, context: Context) async throws -> APITokenRecord {
        let address = context.clientAddress
        if let wait = limiter.refusal(for: address) {
            throw APIError(.tooManyRequests, "too_many_failures", "too many failed authentications from this address; try again later",
                           headers: [.retryAfter: String(Int(wait.rounded(.up)))])
        }
        guard let secret, !secret.isEmpty else {
            limiter.recordFailure(of: address)
            throw Self.unauthorized("a token is needed: send `Authorization: Bearer <token>` (see `sluice api-token create`)")
        }
        let check = self.check
        guard let token = try await calls.run({ try check.record(for: secret) }) else {
            limiter.recordFailure(of: address)
            context.logger.notice("API: refused an unknown or revoked token", metadata: ["client": "\(address)", "route": "\(context.endpointPath ?? "?")"])
            throw Self.unauthorized("the token is unknown or revoked")
        }
        guard token.scope.allows(scope) else {
            throw APIError(.forbidden, "forbidden", "the token \(token.id) has the scope \(token.scope.rawValue); this needs \(scope.rawValue)")
        }
        return token
    }

    static func unauthorized(_ message: String) -> APIError {
        APIError(.unauthorized, "unauthorized", message, headers: [.wwwAuthenticate: "Bearer realm=\"sluice\""])
    }
}
