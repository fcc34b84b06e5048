import NIOCore
import NIOHTTP1
import Testing

@testable import L7Proxy

@Suite struct UpstreamRequestBytesTests {
    func bytes(_ head: HTTPRequestHead) throws -> (String, Bool) {
        let (buffer, isChunked) = try UpstreamRequestBytes.head(head, allocator: ByteBufferAllocator())
        return (String(buffer: buffer), isChunked)
    }

    @Test func theHeadAsGivenInOrder() throws {
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/a?b=1",
                                   headers: ["Host": "example.com", "X-Forwarded-For": "192.0.2.1", "x-lower": "v"])
        #expect(try bytes(head) == ("GET /a?b=1 HTTP/1.1\r\nHost: example.com\r\nX-Forwarded-For: 192.0.2.1\r\nx-lower: v\r\n\r\n", false))
    }

    @Test func framingAsNIOsEncoderFramesIt() throws {
        let withLength = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/", headers: ["Content-Length": "3", "Transfer-Encoding": "chunked"])
        #expect(try bytes(withLength) == ("POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\n", false))
        let chunked = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/", headers: ["Transfer-Encoding": "chunked"])
        #expect(try bytes(chunked).1)
        let postWithoutLength = HTTPRequestHead(version: .http1_1, method: .PUT, uri: "/")
        #expect(try bytes(postWithoutLength) == ("PUT / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", true))
        let trace = HTTPRequestHead(version: .http1_1, method: .TRACE, uri: "/", headers: ["Content-Length": "3"])
        #expect(try bytes(trace) == ("TRACE / HTTP/1.1\r\n\r\n", false))
        let custom = HTTPRequestHead(version: .http1_1, method: .RAW(value: "PURGE"), uri: "/")
        #expect(try bytes(custom) == ("PURGE / HTTP/1.1\r\n\r\n", false))
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
        #expect(throws: UpstreamRequestBytes.InvalidField.self) { try bytes(head) }
    }
}
