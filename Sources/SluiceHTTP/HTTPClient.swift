import CCurl
import Foundation
import SluiceCurl

/// Blocking HTTP requests over libcurl (for the webhook step, and any other step that talks
/// HTTP). Called from the runner's thread, never from the cooperative pool. Knows nothing of
/// pipelines: a request in, a response or an `HTTPTransportError` out.
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
private final class ResponseSink {
    var body: [UInt8] = []
}
