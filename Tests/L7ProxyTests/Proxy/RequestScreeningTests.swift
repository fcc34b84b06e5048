import NIOCore
import NIOHTTP1
import Testing

@testable import L7Proxy

@Suite struct RequestScreeningTests {
    func check(_ method: HTTPMethod = .GET, _ headers: HTTPHeaders = ["Host": "a"]) -> RequestRefusal? {
        RequestScreening.check(HTTPRequestHead(version: .http1_1, method: method, uri: "/", headers: headers))
    }

    @Test func refusesTraceAndConnectAndLongForwardedChains() {
        #expect(check() == nil)
        #expect(check(.RAW(value: "FOO")) == nil)
        #expect(check(.TRACE)?.statusCode == 405)
        #expect(check(.CONNECT)?.statusCode == 400)
        let many = (0...30).map { "10.0.0.\($0)" }.joined(separator: ",")
        #expect(check(.GET, ["Host": "a", "X-Forwarded-For": many])?.statusCode == 463)
        let thirty = (1...30).map { "10.0.0.\($0)" }.joined(separator: ",")
        #expect(check(.GET, ["Host": "a", "X-Forwarded-For": thirty]) == nil)
    }
}

@Suite struct RequestHeadParserTests {
    func parse(_ raw: String) -> Result<ParsedRequestHead, RequestRefusal> {
        let bytes = Array(raw.utf8)
        return bytes.withUnsafeBytes { RequestHeadParser.parse($0) }
    }

    func classification(_ raw: String) -> (DesyncClassification.Tier, DesyncClassification.Reason)? {
        switch parse(raw) {
        case .success(let parsed): (parsed.classification.tier, parsed.classification.reason)
        case .failure(let refusal): (refusal.classification.tier, refusal.classification.reason)
        }
    }

    @Test func classifiesAsTheDesyncGuardianDoes() {
        let cases: [(String, DesyncClassification.Tier, DesyncClassification.Reason)] = [
            ("GET / HTTP/1.1\r\nHost: a\r\n\r\n", .compliant, .compliant),
            ("GET / HTTP/1.1\nHost: a\n\n", .acceptable, .nonCrLfLineTermination),
            ("GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", .acceptable, .spaceInUri),
            ("GET / HTTP/1.2\r\nHost: a\r\n\r\n", .acceptable, .nonCompliantVersion),
            ("GET / HTTP/1.1\r\nHost: a\r\nX-A: caf\u{e9}\r\n\r\n", .acceptable, .nonCompliantHeader),
            ("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n", .acceptable, .getHeadZeroContentLength),
            ("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\n", .ambiguous, .undefinedContentLengthSemantics),
            ("GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n", .ambiguous, .undefinedTransferEncodingSemantics),
            ("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", .ambiguous, .undefinedTransferEncodingSemantics),
            ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n", .ambiguous, .duplicateContentLength),
            ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", .ambiguous, .bothTeClPresent),
            ("POST / HTTP/1.1\r\nHost: a\r\nTransfer_Encoding: chunked\r\n\r\n", .ambiguous, .suspiciousHeader),
            ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n", .ambiguous, .suspiciousHeader),
            ("POST / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n Transfer-Encoding: chunked\r\n\r\n", .ambiguous, .multilineHeader),
            ("GET / HTTP/1.1\r\nHost: a\r\nno colon here\r\n\r\n", .ambiguous, .missingHeaderColon),
            ("GET / HTTP/1.1\r\nHost: a\r\n: empty\r\n\r\n", .ambiguous, .emptyHeader),
            ("GET /\u{1}x HTTP/1.1\r\nHost: a\r\n\r\n", .ambiguous, .ambiguousUri),
            ("GET HTTP/1.1\r\nHost: a\r\n\r\n", .ambiguous, .missingUri),
            ("GET / HTTP/1.1\r\nHost: a\r\nX-A: a\rb\r\n\r\n", .severe, .badHeader),
            ("GET /a\rb HTTP/1.1\r\nHost: a\r\n\r\n", .severe, .badUri),
            ("GET / HTTX/1.1\r\nHost: a\r\n\r\n", .severe, .badVersion),
            ("G(T / HTTP/1.1\r\nHost: a\r\n\r\n", .severe, .badMethod),
            ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", .severe, .multipleContentLength),
            ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\n", .severe, .badContentLength),
            ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", .severe, .badContentLength),
            ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", .severe, .multipleTransferEncodingChunked),
            ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n", .severe, .badTransferEncoding),
        ]
        for (raw, tier, reason) in cases {
            let got = classification(raw)
            #expect(got?.0 == tier && got?.1 == reason, "\(raw.debugDescription): \(String(describing: got))")
        }
    }

    @Test func framesBodiesAndNormalizesTheHead() throws {
        let chunked = try parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n").get()
        #expect(chunked.framing == .chunked)
        #expect(chunked.head.headers["Content-Length"].isEmpty)
        #expect(chunked.head.headers["Transfer-Encoding"] == ["chunked"])

        let custom = try parse("PURGEALL /x HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n  2\r\n\r\n").get()
        #expect(custom.head.method.rawValue == "PURGEALL")
        #expect(custom.head.headers["X-A"] == ["1 2"])

        let absolute = try parse("GET http://admin.example/x?y HTTP/1.1\r\nHost: www.example\r\n\r\n").get()
        #expect(absolute.head.uri == "/x?y")
        #expect(absolute.head.headers["Host"] == ["admin.example"])

        let spaced = try parse("GET /a b HTTP/1.1\r\nHost: a\r\n\r\n").get()
        #expect(spaced.head.uri == "/a%20b")

        let old = try parse("POST / HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n").get()
        #expect(!old.head.isKeepAlive)
        #expect(old.framing == .chunked)
    }

    @Test func refusesWhatCannotBeFramedOrServed() throws {
        let refusals: [(String, Int)] = [
            ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
            ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n", 400),
            ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\n\r\n", 400),
            ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        ]
        for (raw, status) in refusals {
            let parsed = try parse(raw).get()
            #expect(parsed.refusal?.statusCode == status, "\(raw.debugDescription)")
        }
        let identity = try parse("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\nContent-Length: 3\r\n\r\n").get()
        #expect(identity.refusal == nil)
        #expect(identity.framing == .length(3))
    }

    @Test func limitsLinesAndHeaders() {
        let longLine = Array("GET /\(String(repeating: "p", count: 17 * 1024)) HTTP/1.1\r\n".utf8)
        #expect(throws: RequestRefusal.self) { try longLine.withUnsafeBytes { try RequestHeadParser.headEnd(in: $0) } }
        let status = longLine.withUnsafeBytes { bytes in
            do { _ = try RequestHeadParser.headEnd(in: bytes); return 0 } catch { return (error as? RequestRefusal)?.statusCode ?? 0 }
        }
        #expect(status == 414)
        let complete = Array("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET".utf8)
        #expect(complete.withUnsafeBytes { try? RequestHeadParser.headEnd(in: $0) } == complete.count - 3)
    }

    @Test func invalidHeaderNamesAreDroppedOnRequest() throws {
        let parsed = try parse("GET / HTTP/1.1\r\nHost: a\r\nX_Under: 1\r\nX-Ok: 2\r\n\r\n").get()
        #expect(parsed.hasInvalidHeaderNames)
        let dropped = parsed.droppingInvalidHeaders()
        #expect(dropped.headers["X_Under"].isEmpty)
        #expect(dropped.headers["X-Ok"] == ["2"])
    }
}

@Suite struct DesyncMitigationModeTests {
    @Test func awsTable() {
        #expect(DesyncMitigationMode.monitor.verdict(for: .severe) == .allow)
        #expect(DesyncMitigationMode.defensive.verdict(for: .acceptable) == .allow)
        #expect(DesyncMitigationMode.defensive.verdict(for: .ambiguous) == .allowThenClose)
        #expect(DesyncMitigationMode.defensive.verdict(for: .severe) == .block)
        #expect(DesyncMitigationMode.strictest.verdict(for: .acceptable) == .block)
        #expect(DesyncMitigationMode.strictest.verdict(for: .compliant) == .allow)
    }
}

@Suite struct TraceIdentifierTests {
    @Test func keepsExtendsOrReplaces() {
        var generator = FixedGenerator(value: 0xABCD)
        let made = TraceIdentifier.forwarded(incoming: [], epochSeconds: 0x5833_7262, using: &generator)
        #expect(made.hasPrefix("Root=1-58337262-"))

        let incoming = "Root=1-67891233-abcdef012345678912345678;CalledFrom=app"
        let extended = TraceIdentifier.forwarded(incoming: [incoming], epochSeconds: 0x5833_7262, using: &generator)
        #expect(extended.hasPrefix("Self=1-58337262-"))
        #expect(extended.hasSuffix(";" + incoming))

        let withSelf = "Self=1-67891234-12456789abcdef0123456789;Root=1-67891233-abcdef012345678912345678"
        let updated = TraceIdentifier.forwarded(incoming: [withSelf], epochSeconds: 0x5833_7262, using: &generator)
        #expect(updated.hasSuffix(";Root=1-67891233-abcdef012345678912345678"))
        #expect(!updated.contains("Self=1-67891234"))

        for malformed in ["garbage", "Root=1-xyz-abc", "Root=1-67891233-abcdef012345678912345678;Root=1-67891233-abcdef012345678912345678"] {
            let replaced = TraceIdentifier.forwarded(incoming: [malformed], epochSeconds: 0x5833_7262, using: &generator)
            #expect(replaced.hasPrefix("Root=1-58337262-") && !replaced.contains(";"), "\(malformed)")
        }
    }
}
