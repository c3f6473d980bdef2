import Foundation
import HTTPTypes
import Hummingbird

/// A refusal the API answers with: a status and a JSON body `{"error": {"code", "message"}}`.
/// The message is for the person who called; it never holds a secret.
public struct APIError: HTTPResponseError, CustomStringConvertible {
    public var status: HTTPResponse.Status
    /// A stable word for programs (`not_found`, `unauthorized`, `forbidden`, `bad_request` …).
    public var code: String
    public var message: String
    /// Extra headers (`WWW-Authenticate`, `Retry-After`).
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    struct Body: Encodable {
        struct Detail: Encodable { var code: String; var message: String }
        var error: Detail
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try JSONResponse.make(Body(error: Body.Detail(code: code, message: message)), status: status)
        for field in headers { response.headers.append(field) }
        return response
    }

    static func notFound(_ message: String) -> APIError { APIError(.notFound, "not_found", message) }
    static func badRequest(_ message: String) -> APIError { APIError(.badRequest, "bad_request", message) }
    static func conflict(_ message: String) -> APIError { APIError(.conflict, "conflict", message) }
}

/// JSON responses: sorted keys, ISO 8601 dates, slashes left alone.
enum JSONResponse {
    static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return e
    }

    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        var data = try encoder().encode(value)
        data.append(UInt8(ascii: "\n"))
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        fields[.cacheControl] = "no-store"
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
