/// The part tree: what a finished header block starts, what a boundary ends.
extension MIMEStreamParser {
    /// The blank line after a header block: decide what the body is.
    func endHeaders() throws {
        let (fields, invalidUTF8) = MIMEHeaderBlock.parse(part.headerBytes)
        let current = part
        part.headerBytes = []
        mode = .body
        sink = .discard
        resetLine()
        var problems: [MIMEDefect] = []
        if invalidUTF8 { problems.append(MIMEDefect(.invalidUTF8Header, "raw header bytes that are not UTF-8 became U+FFFD", place: current.path)) }
        if current.headerOverflow {
            problems.append(MIMEDefect(.headerTooLong, "header block over \(limits.maxHeaderBytes) bytes; the rest was skipped", place: current.path))
        }
        if current.isTopLevel { readMessageFields(fields) }
        let info = MIMEPartHeaders(fields, defaultType: current.defaultType)
        problems += info.problems.map { MIMEDefect($0.0, $0.1, place: current.path) }

        if info.isMultipart {
            if let boundary = info.boundary, !boundary.isEmpty {
                message.defects += problems
                guard current.depth < limits.maxDepth else {
                    defect(.depthLimit, "multipart nested deeper than \(limits.maxDepth) levels; its content is skipped", current.path)
                    return
                }
                let delimiter = Array("--\(boundary)".utf8)
                longestDelimiter = max(longestDelimiter, delimiter.count)
                frames.append(MultipartFrame(delimiter: delimiter, depth: current.depth, path: current.path,
                                             isDigest: info.contentType == "multipart/digest"))
                return
            }
            problems.append(MIMEDefect(.missingBoundary, "\(info.contentType) without a boundary parameter; read as one text part", place: current.path))
            var plain = info
            plain.contentType = "text/plain"
            try beginLeaf(plain, current, problems)
            return
        }
        let identity = TransferDecoder.kind(forHeader: info.transferEncoding).kind == .identity
        if info.isEncapsulatedMessage && identity {
            message.defects += problems
            guard current.depth < limits.maxDepth else {
                defect(.depthLimit, "message nested deeper than \(limits.maxDepth) levels; its content is skipped", current.path)
                return
            }
            guard countPart(place: current.path) else { return }
            part = PartInProgress(depth: current.depth + 1, path: current.path, isTopLevel: false, defaultType: "text/plain")
            message.maxDepth = max(message.maxDepth, part.depth)
            mode = .headers
            return
        }
        try beginLeaf(info, current, problems)
    }

    /// A leaf part's body begins: an attachment, the first text or HTML body, or neither.
    private func beginLeaf(_ info: MIMEPartHeaders, _ current: PartInProgress, _ problems: [MIMEDefect]) throws {
        var problems = problems
        let (kind, known) = TransferDecoder.kind(forHeader: info.transferEncoding)
        if !known {
            problems.append(MIMEDefect(.unknownTransferEncoding, "unknown Content-Transfer-Encoding '\(info.transferEncoding ?? "")'; kept as is", place: current.path))
        }
        let isAttachment = info.fileName != nil || info.disposition == "attachment"
        if isAttachment {
            let index = message.attachments.count
            let safeName = names.claim(AttachmentName.safe(info.fileName, index: index, contentType: info.contentType))
            let attachment = MIMEAttachment(
                index: index, originalName: info.fileName, safeName: safeName, contentType: info.contentType,
                disposition: info.disposition, contentID: info.contentID, transferEncoding: info.transferEncoding,
                size: 0, depth: current.depth, defects: problems, complete: true, inline: info.disposition == "inline",
                place: current.path)
            message.attachments.append(attachment)
            let output = try store?.begin(attachment)
            sink = .attachment(AttachmentBody(index: index, output: output, decoder: TransferDecoder(kind)))
            return
        }
        message.defects += problems
        if info.contentType == "text/plain" && !textTaken {
            textTaken = true
            sink = .text(TextBody(isHTML: false, charset: info.charset, limit: limits.maxBodyTextBytes, decoder: TransferDecoder(kind)))
        } else if info.contentType == "text/html" && !htmlTaken {
            htmlTaken = true
            sink = .text(TextBody(isHTML: true, charset: info.charset, limit: limits.maxBodyTextBytes, decoder: TransferDecoder(kind)))
        }
        textPlace = current.path
    }

    /// A boundary line of `frames[frame]`: ends every part open inside it, then begins its
    /// next part or, for the closing delimiter, its epilogue.
    func boundary(frame k: Int, close: Bool) throws {
        try endHeaderBlocks()
        try finishSink(complete: true)
        while frames.count - 1 > k {
            let inner = frames.removeLast()
            if inner.children == 0 {
                defect(.startBoundaryNotFound, "boundary '\(inner.boundaryText)' never appears", inner.path)
            } else {
                defect(.closeBoundaryNotFound, "no closing boundary '\(inner.boundaryText)--'; an enclosing boundary ends it", inner.path)
            }
        }
        resetLine()
        sink = .discard
        mode = .body
        if close {
            frames.removeLast()
            return
        }
        frames[k].children += 1
        let parent = frames[k]
        let path = parent.path.isEmpty ? "\(parent.children)" : "\(parent.path).\(parent.children)"
        guard countPart(place: path) else { return }
        part = PartInProgress(depth: parent.depth + 1, path: path, isTopLevel: false,
                              defaultType: parent.isDigest ? "message/rfc822" : "text/plain")
        message.maxDepth = max(message.maxDepth, part.depth)
        mode = .headers
    }

    /// Counts a new part; false once past the part limit (the part is then skipped).
    private func countPart(place: String) -> Bool {
        message.partCount += 1
        if overPartLimit { return false }
        if message.partCount > limits.maxParts {
            overPartLimit = true
            defect(.partLimit, "more than \(limits.maxParts) parts; later parts are counted but not read", place)
            return false
        }
        return true
    }

    /// Ends the body being decoded.
    func finishSink(complete: Bool) throws {
        let ending = sink
        sink = .discard
        switch ending {
        case .discard:
            break
        case .attachment(let body):
            let problem = try body.finish(complete: complete)
            var attachment = message.attachments[body.index]
            attachment.size = body.size
            attachment.complete = complete
            if let problem { attachment.defects.append(MIMEDefect(problem.0, problem.1, place: attachment.place)) }
            if !complete {
                attachment.defects.append(MIMEDefect(.truncated, "the message ends inside this part; its bytes were discarded", place: attachment.place))
            }
            message.attachments[body.index] = attachment
        case .text(let body):
            let (text, problems) = body.finish()
            if body.isHTML { message.htmlBody = text } else { message.textBody = text }
            for p in problems { defect(p.0, p.1, textPlace) }
        }
    }

    /// Subject, addresses, date and ids from the top-level header block.
    private func readMessageFields(_ fields: [MIMEHeader]) {
        var unknown: [String] = []
        var undecodable = false
        func decoded(_ raw: String) -> String {
            let d = EncodedWords.decode(raw)
            for c in d.unknownCharsets where !unknown.contains(c) { unknown.append(c) }
            undecodable = undecodable || d.undecodable
            return d.text
        }
        func addresses(_ name: String) -> [MailAddress] {
            fields.all(name).flatMap { MailAddress.parseList($0) }.map { address in
                MailAddress(name: address.name.map(decoded), address: address.address)
            }
        }
        message.headers = fields.map { MIMEHeader(name: $0.name, rawValue: $0.rawValue, value: decoded($0.rawValue)) }
        if let subject = fields.first("Subject") {
            // An encoded word could smuggle a line break into a value that ends up in a header.
            message.subject = String(decoded(subject).map { $0 == "\r" || $0 == "\n" || $0 == "\r\n" || $0 == "\0" ? " " : $0 })
        }
        message.from = addresses("From")
        message.to = addresses("To")
        message.cc = addresses("Cc")
        message.replyTo = addresses("Reply-To")
        if let date = fields.first("Date") {
            message.dateText = date.trimmingSpaces.isEmpty ? nil : String(date.trimmingSpaces)
            message.date = MailDate.parse(date)
        }
        message.messageID = fields.first("Message-ID").flatMap { Self.messageIDs($0).first ?? nilIfEmpty(MIMEPartHeaders.unbracketed($0)) }
        message.inReplyTo = fields.first("In-Reply-To").flatMap { Self.messageIDs($0).first }
        message.references = fields.first("References").map(Self.messageIDs) ?? []
        for c in unknown { defect(.unknownCharset, "header text in unknown charset '\(c)', decoded as UTF-8", "") }
        if undecodable { defect(.undecodableText, "header text has bytes invalid in its charset, replaced with U+FFFD", "") }
    }

    private func nilIfEmpty(_ s: String) -> String? { s.isEmpty ? nil : s }

    /// Every `<id>` in a header value, without the brackets.
    static func messageIDs(_ value: String) -> [String] {
        var ids: [String] = []
        var rest = Substring(value)
        while let open = rest.firstIndex(of: "<"), let close = rest[open...].firstIndex(of: ">") {
            let id = rest[rest.index(after: open)..<close].trimmingSpaces
            if !id.isEmpty { ids.append(String(id)) }
            rest = rest[rest.index(after: close)...]
        }
        return ids
    }
}
