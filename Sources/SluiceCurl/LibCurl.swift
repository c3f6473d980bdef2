import CCurl

/// libcurl's process-wide set-up, done once before the first handle of any protocol (HTTP in
/// SluiceHTTP, IMAP and SMTP in SluiceMail).
///
/// `curl_global_init` is not thread-safe and must run before any other libcurl call, exactly
/// once per process: every user of libcurl reads `ready` before `curl_easy_init`, and Swift runs
/// a global's initializer once, under its own lock.
public enum LibCurl {
    /// True once libcurl is initialized; reading it is what initializes it.
    public static let ready: Bool = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        return true
    }()
}
