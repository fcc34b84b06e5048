import NIOCore
import NIOHTTP1
import Testing

@testable import L7Proxy

@Suite struct RequestFactsTests {
    func facts(_ uri: String, host: String? = nil) -> RequestFacts {
        var headers = HTTPHeaders()
        if let host { headers.add(name: "Host", value: host) }
        return RequestFacts(head: HTTPRequestHead(version: .http1_1, method: .GET, uri: uri, headers: headers), peer: nil)
    }

    @Test func splitsPathAndQuery() {
        let plain = facts("/a/b?x=1&y")
        #expect(plain.path == "/a/b")
        #expect(plain.query == "x=1&y")
        #expect(facts("/a").query == nil)
        #expect(facts("/a?").query == "")
        #expect(facts("*").path == "*")
    }

    @Test func hostDropsPort() {
        #expect(facts("/", host: "Example.com:8080").host == "Example.com")
        #expect(facts("/", host: "[::1]:80").host == "[::1]")
        #expect(facts("/", host: "plain").host == "plain")
        #expect(facts("/").host == nil)
    }

    @Test func absoluteFormTakesHostFromAuthority() {
        let absolute = facts("http://api.example.com:81/v1?q=2", host: "other")
        #expect(absolute.host == "api.example.com")
        #expect(absolute.path == "/v1")
        #expect(absolute.query == "q=2")
        #expect(facts("http://api.example.com").path == "/")
    }

    @Test func queryParametersAreDecoded() {
        let parameters = facts("/?a=1&b=x%20y&flag&c=d+e&bad=%zz").queryParameters
        #expect(parameters.map(\.key) == ["a", "b", "flag", "c", "bad"])
        #expect(parameters.map(\.value) == ["1", "x y", "", "d e", "%zz"])
    }

    @Test func sourceAddressFromPeer() throws {
        let v4 = RequestFacts(head: HTTPRequestHead(version: .http1_1, method: .GET, uri: "/"),
                              peer: try SocketAddress(ipAddress: "192.0.2.7", port: 1))
        #expect(v4.sourceAddress == [192, 0, 2, 7])
        let mapped = RequestFacts(head: HTTPRequestHead(version: .http1_1, method: .GET, uri: "/"),
                                  peer: try SocketAddress(ipAddress: "::ffff:192.0.2.7", port: 1))
        #expect(mapped.sourceAddress == [192, 0, 2, 7])
    }
}

@Suite struct CIDRBlockTests {
    @Test func containment() throws {
        let block = try #require(CIDRBlock("10.1.0.0/16"))
        #expect(block.contains([10, 1, 200, 3]))
        #expect(!block.contains([10, 2, 0, 1]))
        #expect(try #require(CIDRBlock("192.0.2.7/32")).contains([192, 0, 2, 7]))
        #expect(try #require(CIDRBlock("0.0.0.0/0")).contains([1, 2, 3, 4]))
        #expect(try #require(CIDRBlock("10.1.2.3/12")).network == [10, 0, 0, 0])
        let v6 = try #require(CIDRBlock("2001:db8::/32"))
        #expect(v6.contains(try #require(IPAddressBytes.parse("2001:db8:1::5"))))
        #expect(!v6.contains([10, 1, 2, 3]))
    }

    @Test(arguments: ["10.0.0.0", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0/8", "host/8", "::/129", "10.0.0.0/+8"])
    func rejects(text: String) {
        #expect(CIDRBlock(text) == nil)
    }
}
