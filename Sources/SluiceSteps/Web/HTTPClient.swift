import CCurl
import Foundation
import SluiceMail

/// A response to an HTTP request.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var body: [UInt8]
    /// The Retry-After header, when the server sent one (seconds, or an HTTP date).
    public var retryAfter: String? = nil

    /// Retry-After as seconds from `now`.
    public func retryAfterSeconds(now: Date) -> TimeInterval? {
        guard let text = retryAfter?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        if let seconds = Double(text) { return max(0, seconds) }
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: "GMT")
        f.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return f.date(from: text).map { max(0, $0.timeIntervalSince(now)) }
    }
}

/// A failure below HTTP: refused connection, timeout, TLS.
public struct HTTPTransportError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// Blocking HTTP requests over libcurl, for webhooks. Called from the runner's thread,
/// never from the cooperative pool.
public enum HTTPClient {
    /// Sends one request and returns the response, or throws for a transport failure.
    public static func send(method: String, url: String, headers: [String: String], body: [UInt8], timeout: TimeInterval) throws -> HTTPResponse {
        _ = LibCurl.ready
        guard let handle = curl_easy_init() else { throw HTTPTransportError(description: "cannot create an HTTP handle") }
        defer { curl_easy_cleanup(handle) }
        let sink = ResponseSink()
        let unmanaged = Unmanaged.passRetained(sink)
        defer { unmanaged.release() }
        var list: UnsafeMutablePointer<curl_slist>?
        for (k, v) in headers.sorted(by: { $0.key < $1.key }) { list = curl_slist_append(list, "\(k): \(v)") }
        list = curl_slist_append(list, "Expect:")
        defer { curl_slist_free_all(list) }
        _ = sluice_curl_set_string(handle, CURLOPT_URL, url)
        _ = sluice_curl_set_string(handle, CURLOPT_CUSTOMREQUEST, method)
        _ = sluice_curl_set_slist(handle, CURLOPT_HTTPHEADER, list)
        _ = sluice_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = sluice_curl_set_long(handle, CURLOPT_TIMEOUT_MS, Int(timeout * 1000))
        _ = sluice_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Int(min(timeout, 10) * 1000))
        _ = sluice_curl_set_long(handle, CURLOPT_FOLLOWLOCATION, 0)
        _ = sluice_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        _ = sluice_curl_set_pointer(handle, CURLOPT_WRITEDATA, unmanaged.toOpaque())
        _ = sluice_curl_set_write_function(handle) { data, size, count, context in
            guard let data, let context else { return 0 }
            let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
            sink.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: size * count))
            return size * count
        }
        let code: CURLcode = body.withUnsafeBufferPointer { buffer in
            _ = sluice_curl_set_long(handle, CURLOPT_POSTFIELDSIZE, buffer.count)
            _ = sluice_curl_set_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: buffer.baseAddress))
            return curl_easy_perform(handle)
        }
        guard code == CURLE_OK else {
            throw HTTPTransportError(description: String(cString: curl_easy_strerror(code)))
        }
        var status = 0
        _ = sluice_curl_get_response_code(handle, &status)
        var retryAfter: String?
        var header: UnsafeMutablePointer<curl_header>?
        if curl_easy_header(handle, "Retry-After", 0, UInt32(CURLH_HEADER), -1, &header) == CURLHE_OK, let value = header?.pointee.value {
            retryAfter = String(cString: value)
        }
        return HTTPResponse(status: status, body: sink.body, retryAfter: retryAfter)
    }
}

/// Collects a response body inside libcurl's write callback (used on one thread only).
final class ResponseSink {
    var body: [UInt8] = []
}
