#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A streaming MIME parser (RFC 2045–2049, 2183, 2231, 5322, 6532): feed it a message in
/// chunks of any size, then ``finish()`` returns what it holds, while attachment bodies are
/// decoded on the fly and streamed to a ``MIMEAttachmentStore``.
///
/// ```swift
/// let message = try MIMEStreamParser.parse(file: "order.eml", store: folderStore)
/// print(message.subject ?? "", message.attachments.map(\.safeName))
/// ```
///
/// Memory stays bounded by the limits, whatever the message: one line of lookahead for
/// boundaries, one header block, the kept text bodies and a 64 KiB write buffer. Nesting is
/// followed with an explicit stack, never recursion. It handles every multipart kind (parts
/// of `multipart/digest` default to `message/rfc822`), descends into attached messages,
/// LF-only line endings, folded and raw UTF-8 headers, and boundaries per RFC 2046 §5.1.1
/// (trailing whitespace allowed, the line break before a boundary belongs to it, a boundary
/// of an enclosing multipart also ends inner ones). A message that ends before the closing
/// boundary of a begun part is ``MIMEMessage/truncated`` and the cut attachment is finished
/// with `complete: false`.
public final class MIMEStreamParser {
    let limits: MIMELimits
    let store: (any MIMEAttachmentStore)?
    var message = MIMEMessage()
    var names = AttachmentNameSet()

    // MARK: Structure

    /// An open multipart part, waiting for its boundaries.
    struct MultipartFrame {
        /// `--` + boundary.
        var delimiter: [UInt8]
        /// Depth of the multipart part itself.
        var depth: Int
        var path: String
        /// Parts begun so far.
        var children = 0
        /// `multipart/digest`: parts default to `message/rfc822`.
        var isDigest: Bool
    }

    /// The part whose header block is being read (and then whose body).
    struct PartInProgress {
        var depth: Int
        var path: String
        /// The top-level message (its headers fill the ``MIMEMessage`` fields).
        var isTopLevel: Bool
        var defaultType: String
        var headerBytes: [UInt8] = []
        var headerOverflow = false
        var firstLine = true
    }

    enum Mode { case headers, body }

    var frames: [MultipartFrame] = []
    var mode = Mode.headers
    var part = PartInProgress(depth: 0, path: "", isTopLevel: true, defaultType: "text/plain")
    var sink = MIMEPartSink.discard
    var overPartLimit = false
    var textTaken = false
    var htmlTaken = false
    var longestDelimiter = 0
    /// The place of the text or HTML body being read, for its defects.
    var textPlace = ""

    // MARK: Lines

    /// A line being collected whole: header lines, and body lines that start with `-`
    /// while boundaries are open.
    private var carry: [UInt8] = []
    /// Bytes of the collected line were dropped (over a limit).
    private var carryCut = false
    /// The previous body line's break (0 none, 1 LF, 2 CRLF), held back because it
    /// belongs to a boundary if one follows.
    var pendingBreak = 0
    /// A body line's last byte so far is a CR that may start its CRLF.
    private var heldCR = false
    private var atLineStart = true
    private var finished = false

    /// A parser that passes attachments to `store` (nil: attachments are measured, not kept).
    public init(limits: MIMELimits = MIMELimits(), store: (any MIMEAttachmentStore)?) {
        self.limits = limits
        self.store = store
        message.partCount = 1
    }

    /// Parses the next bytes of the message. Rethrows the store's errors.
    public func feed(_ bytes: UnsafeRawBufferPointer) throws {
        guard !finished else { throw MIMEError(.parserFinished, "feed called after finish") }
        try scan(bytes)
    }

    /// Ends the message: closes what is open (reporting truncation) and returns the result.
    public func finish() throws -> MIMEMessage {
        guard !finished else { throw MIMEError(.parserFinished, "finish called twice") }
        finished = true
        if !carry.isEmpty || carryCut {
            let line = carry
            carry = []
            try completeLine(line, hasBreak: false)
        }
        if heldCR {
            heldCR = false
            try emit(Self.cr)
        }
        let cut = frames.contains { $0.children > 0 }
        try endHeaderBlocks()
        try emitPendingBreak()
        try finishSink(complete: !cut)
        for frame in frames.reversed() where frame.children == 0 {
            defect(.startBoundaryNotFound, "boundary '\(frame.boundaryText)' never appears", frame.path)
        }
        if cut, let open = frames.last(where: { $0.children > 0 }) {
            message.truncated = true
            defect(.truncated, "the message ends before the closing boundary of part \(open.path.isEmpty ? "(top level)" : open.path)", open.path)
        }
        frames.removeAll()
        return message
    }

    /// Parses the file at `path`, read in 64 KiB chunks.
    public static func parse(file path: String, limits: MIMELimits = MIMELimits(), store: (any MIMEAttachmentStore)?) throws -> MIMEMessage {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw MIMEError(.fileSystem, "cannot open: \(String(cString: strerror(errno)))", source: path) }
        defer { _ = close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR {
            throw MIMEError(.fileSystem, "is a folder, not a message file", source: path)
        }
        let parser = MIMEStreamParser(limits: limits, store: store)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw MIMEError(.fileSystem, "cannot read: \(String(cString: strerror(errno)))", source: path)
            }
            if n == 0 { break }
            try chunk.withUnsafeBytes { try parser.feed(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
        return try parser.finish()
    }

    // MARK: Scanning

    static let cr: [UInt8] = [0x0D]
    private static let lf: UInt8 = 0x0A
    private static let dash: UInt8 = 0x2D

    /// Splits input into lines where they matter (headers, possible boundaries) and passes
    /// runs of body bytes straight through otherwise.
    private func scan(_ input: UnsafeRawBufferPointer) throws {
        let n = input.count
        var p = 0
        while p < n {
            if mode == .headers || !carry.isEmpty {
                let lineEnd = Self.find(Self.lf, in: input, from: p) ?? n
                let room = carryRoom() - carry.count
                let take = min(lineEnd - p, max(room, 0))
                if take > 0 { carry.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[p..<(p + take)])) }
                if take < lineEnd - p {
                    if mode == .body {
                        // Too long for a boundary line: body text after all.
                        try emitPendingBreak()
                        if carry.last == 0x0D {
                            carry.removeLast()
                            heldCR = true
                        }
                        try emit(carry)
                        carry.removeAll(keepingCapacity: true)
                        atLineStart = false
                        p += take
                        continue
                    }
                    carryCut = true
                }
                if lineEnd == n { return }
                p = lineEnd + 1
                let line = carry
                carry.removeAll(keepingCapacity: true)
                try completeLine(line, hasBreak: true)
                continue
            }
            if heldCR {
                heldCR = false
                if input[p] == Self.lf {
                    pendingBreak = 2
                    atLineStart = true
                    p += 1
                    continue
                }
                try emit(Self.cr)
            }
            if atLineStart {
                if !frames.isEmpty && input[p] == Self.dash {
                    carry.append(Self.dash)
                    p += 1
                    continue
                }
                try emitPendingBreak()
                atLineStart = false
            }
            // Inside a body line: extend the run over whole lines while the next one cannot
            // be a boundary.
            var q = p
            while true {
                guard let lf = Self.find(Self.lf, in: input, from: q) else {
                    var end = n
                    if input[n - 1] == 0x0D {
                        end = n - 1
                        heldCR = true
                    }
                    if end > p { try emit(UnsafeRawBufferPointer(rebasing: input[p..<end])) }
                    p = n
                    break
                }
                if lf + 1 < n && (frames.isEmpty || input[lf + 1] != Self.dash) {
                    q = lf + 1
                    continue
                }
                var end = lf
                pendingBreak = 1
                if lf > p && input[lf - 1] == 0x0D {
                    end = lf - 1
                    pendingBreak = 2
                }
                if end > p { try emit(UnsafeRawBufferPointer(rebasing: input[p..<end])) }
                p = lf + 1
                atLineStart = true
                break
            }
        }
    }

    /// How many bytes of one line may be collected.
    private func carryRoom() -> Int {
        let boundaryRoom = longestDelimiter + 258
        if mode == .body { return boundaryRoom }
        return max(limits.maxHeaderBytes - part.headerBytes.count, boundaryRoom)
    }

    /// A whole collected line (without its LF).
    private func completeLine(_ line: [UInt8], hasBreak: Bool) throws {
        let cut = carryCut
        carryCut = false
        var content = line[...]
        let hadCR = content.last == 0x0D
        if hadCR && hasBreak { content = content.dropLast() }
        if !cut, let (frame, close) = matchBoundary(content) {
            try boundary(frame: frame, close: close)
            return
        }
        if mode == .body {
            try emitPendingBreak()
            try emit(Array(content))
            pendingBreak = hasBreak ? (hadCR ? 2 : 1) : 0
            atLineStart = true
            return
        }
        try headerLine(content, cut: cut, whole: line, hasBreak: hasBreak)
    }

    private func headerLine(_ content: ArraySlice<UInt8>, cut: Bool, whole: [UInt8], hasBreak: Bool) throws {
        if content.isEmpty && !cut {
            try endHeaders()
            return
        }
        let first = part.firstLine
        part.firstLine = false
        if first && content.starts(with: Array("From ".utf8)) { return }  // an mbox envelope line
        let kind = content.withUnsafeBytes { MIMEHeaderBlock.classify($0) }
        if kind == .other {
            defect(.malformedHeader, "a header line without a field name; the body starts there", part.path)
            try endHeaders()
            try (whole + (hasBreak ? [Self.lf] : [])).withUnsafeBytes { try scan($0) }
            return
        }
        let room = limits.maxHeaderBytes - part.headerBytes.count
        if cut || content.count + 1 > room {
            part.headerOverflow = true
        }
        if room > 0 {
            part.headerBytes.append(contentsOf: content.prefix(room - 1))
            part.headerBytes.append(Self.lf)
        }
    }

    /// Ends header blocks that never got their blank line (a boundary or the end came first).
    func endHeaderBlocks() throws {
        while mode == .headers { try endHeaders() }
    }

    /// Which open multipart `line` is a boundary of (innermost first), and whether it is
    /// the closing one: `--boundary`, optional `--`, optional spaces and tabs.
    private func matchBoundary(_ line: ArraySlice<UInt8>) -> (Int, Bool)? {
        guard !frames.isEmpty, line.count >= 2, line[line.startIndex] == Self.dash,
              line[line.startIndex + 1] == Self.dash else { return nil }
        for k in frames.indices.reversed() {
            let d = frames[k].delimiter
            guard line.count >= d.count, line.starts(with: d) else { continue }
            var rest = line.dropFirst(d.count)
            var close = false
            if rest.starts(with: [Self.dash, Self.dash]) {
                close = true
                rest = rest.dropFirst(2)
            }
            if rest.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return (k, close) }
        }
        return nil
    }

    // MARK: Output

    func emitPendingBreak() throws {
        switch pendingBreak {
        case 1: try emit([Self.lf])
        case 2: try emit([0x0D, Self.lf])
        default: break
        }
        pendingBreak = 0
    }

    func emit(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try emit($0) }
    }

    @inline(__always)
    func emit(_ bytes: UnsafeRawBufferPointer) throws {
        switch sink {
        case .discard: return
        case .attachment(let body): try body.consume(bytes)
        case .text(let body): body.consume(bytes)
        }
    }

    /// A boundary line ended the part being read, and so it is no longer at a line start.
    func resetLine() {
        pendingBreak = 0
        atLineStart = true
    }

    func defect(_ code: MIMEDefect.Code, _ text: String, _ place: String) {
        message.defects.append(MIMEDefect(code, text, place: place))
    }

    /// Finds `byte` in `input[from...]`.
    @inline(__always)
    static func find(_ byte: UInt8, in input: UnsafeRawBufferPointer, from: Int) -> Int? {
        guard from < input.count, let base = input.baseAddress else { return nil }
        guard let hit = memchr(base + from, Int32(byte), input.count - from) else { return nil }
        return UnsafeRawPointer(hit) - base
    }
}

extension MIMEStreamParser.MultipartFrame {
    var boundaryText: String { String(decoding: delimiter.dropFirst(2), as: UTF8.self) }
}
