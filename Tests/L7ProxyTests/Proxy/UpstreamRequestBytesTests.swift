import NIOCore
import NIOHTTP1
import Testing

@testable import L7Proxy

@Suite struct UpstreamRequestBytesTests {
    static let added = ForwardedRequestHead.testContextFields

    func bytes(_ head: HTTPRequestHead) throws -> (String, Bool) {
        var buffer = ByteBuffer()
        let isChunked = try UpstreamRequestBytes.writeHead(.forTest(head), to: &buffer)
        return (String(buffer: buffer), isChunked)
    }

    @Test func theRewrittenHeadInOrder() throws {
        let head = HTTPRequestHead(version: .http1_0, method: .GET, uri: "/a?b=1",
                                   headers: ["Host": "example.com", "Connection": "keep-alive", "x-lower": "v"])
        #expect(try bytes(head) == ("GET /a?b=1 HTTP/1.1\r\nHost: example.com\r\nx-lower: v\r\n\(Self.added)\r\n", false))
    }

    /// The same bytes as the forwarded head gathered into NIO's type and written by its encoder.
    @Test func theSameFieldsAsTheHeadForHTTP2Targets() throws {
        let head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/",
                                   headers: ["Host": "a", "X-Forwarded-For": "192.0.2.1", "Content-Length": "3, 3", "Accept": "*/*"])
        let gathered = ForwardedRequestHead.forTest(head).head.headers.map { "\($0.name): \($0.value)\r\n" }.joined()
        #expect(try bytes(head).0 == "POST / HTTP/1.1\r\n\(gathered)\r\n")
        #expect(gathered.hasSuffix("X-Lbnet-Via: alb-a\r\nContent-Length: 3\r\n"))
    }

    @Test func framingAsNIOsEncoderFramesIt() throws {
        let withLength = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/", headers: ["Content-Length": "3"])
        #expect(try bytes(withLength) == ("POST / HTTP/1.1\r\n\(Self.added)Content-Length: 3\r\n\r\n", false))
        let chunked = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/", headers: ["Transfer-Encoding": "gzip, chunked"])
        #expect(try bytes(chunked) == ("GET / HTTP/1.1\r\n\(Self.added)Transfer-Encoding: chunked\r\n\r\n", true))
        let postWithoutLength = HTTPRequestHead(version: .http1_1, method: .PUT, uri: "/")
        #expect(try bytes(postWithoutLength) == ("PUT / HTTP/1.1\r\n\(Self.added)Transfer-Encoding: chunked\r\n\r\n", true))
        let trace = HTTPRequestHead(version: .http1_1, method: .TRACE, uri: "/", headers: ["Content-Length": "3"])
        #expect(try bytes(trace) == ("TRACE / HTTP/1.1\r\n\(Self.added)\r\n", false))
        let custom = HTTPRequestHead(version: .http1_1, method: .RAW(value: "PURGE"), uri: "/")
        #expect(try bytes(custom) == ("PURGE / HTTP/1.1\r\n\(Self.added)\r\n", false))
    }

    @Test func chunksAndTheLastChunk() throws {
        let allocator = ByteBufferAllocator()
        #expect(String(buffer: UpstreamRequestBytes.chunkStart(length: 255, allocator: allocator)) == "ff\r\n")
        #expect(String(buffer: try UpstreamRequestBytes.lastChunk(trailers: nil, allocator: allocator)) == "0\r\n\r\n")
        #expect(String(buffer: try UpstreamRequestBytes.lastChunk(trailers: ["Grpc-Status": "0"], allocator: allocator))
            == "0\r\nGrpc-Status: 0\r\n\r\n")
    }

    @Test(arguments: [("X-A", "a\rb"), ("X-A", "a\nb"), ("X-A", "a\u{0}b"), ("X A", "v"), ("", "v")])
    func fieldsThatCannotBeSentAreRefused(_ name: String, _ value: String) {
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/", headers: HTTPHeaders([(name, value)]))
        #expect(throws: UpstreamRequestBytes.InvalidField(name: name)) { try bytes(head) }
    }
}
