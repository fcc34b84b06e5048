/// The header lines of one request head as read: line folds joined to the field before them,
/// lines without a name or colon left out, each classified as AWS's desync guardian does.
struct HeaderFields {
    /// What a field is to the node.
    enum Kind { case contentLength, transferEncoding, host, other }

    struct Field {
        var name: String
        var value: String
        var kind: Kind
    }

    private(set) var all: [Field] = []
    /// Whether a name is outside `[-A-Za-z0-9]+`, AWS's valid header names.
    private(set) var hasInvalidNames = false
    /// Whether a name holds whitespace (`Transfer-Encoding : chunked`), which RFC 9112 section
    /// 5.1 says a server must answer with 400.
    private(set) var hasWhitespaceInName = false

    init() {
        all.reserveCapacity(16)
    }

    mutating func read(_ line: Slice<UnsafeRawBufferPointer>, classification: inout DesyncClassification) {
        guard let first = line.first else { return }
        if HTTPBytes.isWhitespace(first) {
            fold(line, classification: &classification)
            return
        }
        guard let colon = line.firstIndex(of: HTTPBytes.colon) else {
            classification.raise(.ambiguous, .missingHeaderColon)
            return
        }
        let name = line[line.startIndex..<colon]
        guard !name.isEmpty else {
            classification.raise(.ambiguous, .emptyHeader)
            return
        }
        let value = HTTPBytes.trimmed(line[(colon + 1)...])
        let isToken = name.allSatisfy(HTTPToken.isTokenByte)
        if !isToken {
            classification.raise(name.contains(where: HTTPBytes.isBad) ? .severe : .acceptable,
                                 name.contains(where: HTTPBytes.isBad) ? .badHeader : .nonCompliantHeader)
            if name.contains(where: HTTPBytes.isWhitespace) { hasWhitespaceInName = true }
        }
        let kind = isToken ? Self.kind(of: name) : .other
        if kind == .other, Self.resemblesFramingHeader(name) { classification.raise(.ambiguous, .suspiciousHeader) }
        Self.classifyValue(value, classification: &classification)
        // A name that is not a token cannot be sent on in HTTP/1.1: such a field is dropped.
        guard isToken else { return }
        if !name.allSatisfy(HTTPBytes.isValidHeaderNameByte) { hasInvalidNames = true }
        all.append(Field(name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self), kind: kind))
    }

    /// An obs-fold line (RFC 9112 section 5.2): joined to the previous field with one space, as
    /// a proxy must before forwarding. Folding is Ambiguous except in `Content-Type`.
    private mutating func fold(_ line: Slice<UnsafeRawBufferPointer>, classification: inout DesyncClassification) {
        let content = HTTPBytes.trimmed(line)
        guard var previous = all.popLast(), !content.isEmpty else {
            classification.raise(.ambiguous, .emptyHeader)
            return
        }
        if previous.name.lowercased() != "content-type" { classification.raise(.ambiguous, .multilineHeader) }
        Self.classifyValue(content, classification: &classification)
        previous.value += " " + String(decoding: content, as: UTF8.self)
        all.append(previous)
    }

    private static func classifyValue(_ value: Slice<UnsafeRawBufferPointer>, classification: inout DesyncClassification) {
        for byte in value {
            if byte == 0 || byte == HTTPBytes.cr {
                classification.raise(.severe, .badHeader)
            } else if HTTPBytes.isControl(byte) || byte >= 0x80 {
                classification.raise(.acceptable, .nonCompliantHeader)
            }
        }
    }

    private static func kind(of name: Slice<UnsafeRawBufferPointer>) -> Kind {
        switch name.count {
        case 4 where HTTPBytes.equalsIgnoringCase(name, "host"): .host
        case 14 where HTTPBytes.equalsIgnoringCase(name, "content-length"): .contentLength
        case 17 where HTTPBytes.equalsIgnoringCase(name, "transfer-encoding"): .transferEncoding
        default: .other
        }
    }

    /// A name that is not `Transfer-Encoding` or `Content-Length` but has their letters once
    /// other characters are taken out (`Transfer_Encoding`, `Content-Length `, `Transfer-Encodıng`
    /// with a dotless i): engines that normalize names would take it for one (SuspiciousHeader).
    private static func resemblesFramingHeader(_ name: Slice<UnsafeRawBufferPointer>) -> Bool {
        guard name.count >= 13 else { return false }
        var letters: [UInt8] = []
        letters.reserveCapacity(name.count)
        var index = name.startIndex
        while index < name.endIndex {
            let byte = name[index]
            let next = index + 1 < name.endIndex ? name[index + 1] : 0
            if byte == 0xC5, next == 0xBF {
                letters.append(UInt8(ascii: "s"))
                index += 2
                continue
            }
            if byte == 0xC4, next == 0xB1 {
                letters.append(UInt8(ascii: "i"))
                index += 2
                continue
            }
            if (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) { letters.append(byte | 0x20) }
            index += 1
        }
        return letters.elementsEqual("transferencoding".utf8) || letters.elementsEqual("contentlength".utf8)
    }
}
