import NIOCore
import NIOHTTP1
import Testing

@testable import L7Proxy

@Suite struct RequestScreeningTests {
    func check(_ headers: HTTPHeaders, uri: String = "/", version: HTTPVersion = .http1_1) -> RequestScreening.Refusal? {
        RequestScreening.check(HTTPRequestHead(version: version, method: .POST, uri: uri, headers: headers))
    }

    @Test func acceptsOrdinaryRequests() {
        #expect(check(["Host": "a", "Content-Length": "10"]) == nil)
        #expect(check(["Host": "a", "Transfer-Encoding": "Chunked"]) == nil)
        #expect(check(["Host": "a", "Content-Length": "5", "content-length": "5"]) == nil)
        #expect(check([:], version: .http1_0) == nil)
    }

    @Test func refusesAmbiguousFraming() {
        #expect(check(["Host": "a", "Content-Length": "1", "Transfer-Encoding": "chunked"]) == .contentLengthWithTransferEncoding)
        #expect(check(["Host": "a", "Content-Length": "1", "Content-Length": "2"]) == .conflictingContentLength)
        #expect(check(["Host": "a", "Content-Length": "1, 2"]) == .conflictingContentLength)
        #expect(check(["Host": "a", "Content-Length": "-1"]) == .invalidContentLength)
        #expect(check(["Host": "a", "Content-Length": "0x10"]) == .invalidContentLength)
        #expect(check(["Host": "a", "Transfer-Encoding": "chunked, gzip"]) == .unsupportedTransferEncoding)
        #expect(check(["Host": "a", "Transfer-Encoding": "chunked", "Transfer-Encoding": "chunked"]) == .unsupportedTransferEncoding)
    }

    @Test func refusesOtherViolations() {
        #expect(check([:]) == .missingHost)
        #expect(check(["Host": "a", "Host": "b"]) == .missingHost)
        #expect(check(["Host": "a"], uri: "/" + String(repeating: "x", count: 16 * 1024)) == .requestLineTooLong)
        let many = (0...30).map { "10.0.0.\($0)" }.joined(separator: ",")
        let refusal = check(["Host": "a", "X-Forwarded-For": many])
        #expect(refusal == .tooManyForwardedAddresses)
        #expect(refusal?.statusCode == 463)
    }
}
