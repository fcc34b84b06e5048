import NIOHTTP1

/// Reads one HTTP/1.x request head from its bytes (request line through the empty line) and
/// classifies it as AWS's HTTP desync guardian does: leniently enough to serve what AWS serves
/// (any token as method, bare LF line ends, spaces in the target, versions HTTP/1.2-1.9), and
/// strictly about how the body is delimited. Pure.
enum RequestHeadParser {
    /// ALB's limits: 16K for the request line and each header, 64K for all headers.
    static let maxLineBytes = 16 * 1024
    static let maxHeaderBytes = 64 * 1024

    /// Where the head in `bytes` ends (the index after its empty line), nil while incomplete.
    /// Throws when a limit is passed: 414 for the request line, 400 for headers.
    static func headEnd(in bytes: UnsafeRawBufferPointer) throws(RequestRefusal) -> Int? {
        var lineStart = 0
        var headersStart: Int?
        while let newline = nextLF(in: bytes, from: lineStart) {
            let length = newline - lineStart - (newline > lineStart && bytes[newline - 1] == HTTPBytes.cr ? 1 : 0)
            try checkLine(length: length, firstLine: headersStart == nil)
            if length == 0, headersStart != nil { return newline + 1 }
            if let headersStart, newline + 1 - headersStart > maxHeaderBytes { throw .malformed("HeadersTooLarge") }
            headersStart = headersStart ?? newline + 1
            lineStart = newline + 1
        }
        try checkLine(length: bytes.count - lineStart, firstLine: headersStart == nil)
        if let headersStart, bytes.count - headersStart > maxHeaderBytes { throw .malformed("HeadersTooLarge") }
        return nil
    }

    private static func checkLine(length: Int, firstLine: Bool) throws(RequestRefusal) {
        guard length > maxLineBytes else { return }
        throw firstLine ? RequestRefusal(statusCode: 414, logReason: "RequestLineTooLong") : .malformed("HeaderTooLarge")
    }

    private static func nextLF(in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard start < bytes.count else { return nil }
        return bytes[start...].firstIndex(of: HTTPBytes.lf)
    }

    /// Parses a complete head (as delimited by ``headEnd(in:)``).
    static func parse(_ bytes: UnsafeRawBufferPointer) -> Result<ParsedRequestHead, RequestRefusal> {
        var classification = DesyncClassification()
        // First pass: every line's ending, and where the request line is.
        var requestLine: Slice<UnsafeRawBufferPointer>?
        var fieldsStart = 0
        var lineStart = 0
        while let newline = nextLF(in: bytes, from: lineStart) {
            var end = newline
            if end > lineStart, bytes[end - 1] == HTTPBytes.cr {
                end -= 1
            } else {
                classification.raise(.acceptable, .nonCrLfLineTermination)
            }
            if end == lineStart, requestLine != nil { break }
            if requestLine == nil {
                requestLine = bytes[lineStart..<end]
                fieldsStart = newline + 1
            }
            lineStart = newline + 1
        }
        guard let requestLine else { return .failure(.malformed("MalformedRequest", classification)) }
        let line: RequestLine
        switch RequestLine.parse(requestLine, classification: &classification) {
        case .success(let parsed): line = parsed
        case .failure(let refusal): return .failure(refusal)
        }
        // Second pass: the field lines, read in place up to the empty line.
        var fields = HeaderFields()
        lineStart = fieldsStart
        while let newline = nextLF(in: bytes, from: lineStart) {
            let end = newline > lineStart && bytes[newline - 1] == HTTPBytes.cr ? newline - 1 : newline
            if end == lineStart { break }
            fields.read(bytes[lineStart..<end], classification: &classification)
            lineStart = newline + 1
        }
        return .success(assemble(line: line, fields: fields, classification: classification))
    }

    /// Checks framing and Host, and builds the head to route and forward.
    private static func assemble(line: RequestLine, fields: HeaderFields, classification: DesyncClassification) -> ParsedRequestHead {
        var classification = classification
        let framing = FramingHeaders.examine(
            fields, version: line.version, bodyless: line.method == "GET" || line.method == "HEAD", classification: &classification)
        var headers = HTTPHeaders()
        headers.reserveCapacity(fields.all.count + 1)
        var hostCount = 0
        for field in fields.all {
            switch field.kind {
            case .contentLength, .transferEncoding: continue
            case .host: hostCount += 1
            case .other: break
            }
            headers.add(name: field.name, value: field.value)
        }
        var refusal = framing.refusal
        if refusal == nil, fields.hasWhitespaceInName { refusal = .malformed("InvalidHeaderName") }
        switch framing.framing {
        case .chunked: headers.add(name: "Transfer-Encoding", value: "chunked")
        case .length(let length) where length > 0 || framing.hadContentLength: headers.add(name: "Content-Length", value: String(length))
        case .length: break
        }
        var uri = line.target
        if let absolute = AbsoluteFormTarget(line.target) {
            // RFC 9112 section 3.2.2: the target's authority replaces Host, for routing and forwarding alike.
            uri = absolute.originForm
            if hostCount > 0 { headers.replaceOrAdd(name: "Host", value: absolute.authority) }
        }
        if line.version == .http1_0, framing.hadTransferEncoding {
            // RFC 9112 section 6.1: the framing of an HTTP/1.0 message with Transfer-Encoding is
            // faulty; the connection closes after it, so nothing after it is read as a request.
            headers.replaceOrAdd(name: "Connection", value: "close")
        }
        if refusal == nil, line.version == .http1_1, hostCount != 1 {
            refusal = .malformed(hostCount == 0 ? "MissingHost" : "MultipleHost", classification)
        }
        refusal?.classification = classification
        let head = HTTPRequestHead(version: line.version, method: HTTPMethod(rawValue: line.method), uri: uri, headers: headers)
        return ParsedRequestHead(head: head, classification: classification, framing: framing.framing, refusal: refusal,
                                 hasInvalidHeaderNames: fields.hasInvalidNames)
    }
}

/// The request line: method, target and version.
struct RequestLine {
    var method: String
    /// The request target with spaces, control characters and non-ASCII bytes percent-encoded.
    var target: String
    var version: HTTPVersion

    static func parse(_ bytes: Slice<UnsafeRawBufferPointer>, classification: inout DesyncClassification) -> Result<RequestLine, RequestRefusal> {
        var line = bytes
        while let last = line.last, last == HTTPBytes.space {
            line = line.dropLast()
            classification.raise(.acceptable, .nonCompliantVersion)
        }
        guard let firstSpace = line.firstIndex(of: HTTPBytes.space) else {
            classification.raise(.ambiguous, .missingUri)
            return .failure(.malformed("MalformedRequest", classification))
        }
        let method = line[line.startIndex..<firstSpace]
        guard !method.isEmpty, method.allSatisfy(HTTPToken.isTokenByte) else {
            classification.raise(.severe, .badMethod)
            return .failure(.malformed("MalformedRequest", classification))
        }
        var rest = line[(firstSpace + 1)...]
        guard let lastSpace = rest.lastIndex(of: HTTPBytes.space) else {
            // Either no target (`GET HTTP/1.1`) or no version: HTTP/0.9, which lbnet does not speak.
            if rest.starts(with: "HTTP/".utf8) {
                classification.raise(.ambiguous, .missingUri)
            } else {
                classification.raise(.acceptable, .nonCompliantVersion)
            }
            return .failure(.malformed("MalformedRequest", classification))
        }
        let versionBytes = rest[(lastSpace + 1)...]
        rest = rest[rest.startIndex..<lastSpace]
        while let first = rest.first, first == HTTPBytes.space {
            rest = rest.dropFirst()
            classification.raise(.acceptable, .nonCompliantVersion)
        }
        while let last = rest.last, last == HTTPBytes.space {
            rest = rest.dropLast()
            classification.raise(.acceptable, .nonCompliantVersion)
        }
        guard !rest.isEmpty else {
            classification.raise(.ambiguous, .missingUri)
            return .failure(.malformed("MalformedRequest", classification))
        }
        guard let version = version(versionBytes, classification: &classification) else {
            return .failure(.malformed("MalformedRequest", classification))
        }
        return .success(RequestLine(method: String(decoding: method, as: UTF8.self), target: target(rest, classification: &classification),
                                    version: version))
    }

    /// `HTTP/1.0` and `HTTP/1.1`; `HTTP/1.2` to `HTTP/1.9` are served as 1.1 (NonCompliantVersion).
    private static func version(_ bytes: Slice<UnsafeRawBufferPointer>, classification: inout DesyncClassification) -> HTTPVersion? {
        let prefix = "HTTP/1.".utf8
        guard bytes.count == prefix.count + 1, bytes.starts(with: prefix), let minor = bytes.last,
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(minor)
        else {
            classification.raise(.severe, .badVersion)
            return nil
        }
        if minor > UInt8(ascii: "1") { classification.raise(.acceptable, .nonCompliantVersion) }
        return minor == UInt8(ascii: "0") ? .http1_0 : .http1_1
    }

    private static func target(_ bytes: Slice<UnsafeRawBufferPointer>, classification: inout DesyncClassification) -> String {
        var needsEncoding = false
        for byte in bytes {
            if HTTPBytes.isBad(byte) {
                classification.raise(.severe, .badUri)
            } else if byte == HTTPBytes.space {
                classification.raise(.acceptable, .spaceInUri)
            } else if HTTPBytes.isControl(byte) || byte == HTTPBytes.tab {
                classification.raise(.ambiguous, .ambiguousUri)
            }
            if byte <= HTTPBytes.space || byte >= 0x7F { needsEncoding = true }
        }
        guard needsEncoding else { return String(decoding: bytes, as: UTF8.self) }
        var encoded: [UInt8] = []
        encoded.reserveCapacity(bytes.count + 16)
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in bytes {
            if byte <= HTTPBytes.space || byte >= 0x7F {
                encoded += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            } else {
                encoded.append(byte)
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }
}
