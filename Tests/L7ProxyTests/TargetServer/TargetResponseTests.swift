import Foundation
import NIOCore
import NIOHTTP1
import Testing

@testable import L7Proxy

@Suite struct TargetResponseTests {
    let local = try! SocketAddress(ipAddress: "10.0.1.10", port: 8080)
    let remote = try! SocketAddress(ipAddress: "10.0.1.4", port: 40312)

    func answer(_ head: HTTPRequestHead) -> TargetResponse {
        TargetResponse.answering(
            head, instance: "web-a", availabilityZone: "az-a", localAddress: local, remoteAddress: remote
        )
    }

    func echo(_ response: TargetResponse) throws -> TargetEcho {
        try JSONDecoder().decode(TargetEcho.self, from: Data(response.body.utf8))
    }

    @Test func echoesRequestAndConnection() throws {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "app.example")
        headers.add(name: "X-Forwarded-For", value: "192.0.2.7")
        headers.add(name: "X-Forwarded-Proto", value: "http")
        headers.add(name: "X-Forwarded-Port", value: "80")
        headers.add(name: "X-Lbnet-Via", value: "nlb-az-a")
        headers.add(name: "x-lbnet-via", value: "alb-az-a")
        let response = answer(HTTPRequestHead(version: .http1_1, method: .POST, uri: "/cart?id=1", headers: headers))

        #expect(response.status == .ok)
        #expect(response.contentType == "application/json")
        let expected = TargetEcho(
            instance: "web-a", availabilityZone: "az-a", address: "10.0.1.10:8080", client: "10.0.1.4:40312",
            method: "POST", path: "/cart?id=1", host: "app.example",
            forwarded: .init(for: "192.0.2.7", proto: "http", port: "80"), via: ["nlb-az-a", "alb-az-a"], httpVersion: "HTTP/1.1"
        )
        #expect(try echo(response) == expected)
    }

    @Test func absentHeadersAreOmitted() throws {
        let response = answer(HTTPRequestHead(version: .http1_1, method: .GET, uri: "/"))
        let echo = try echo(response)
        #expect(echo.host == nil)
        #expect(echo.forwarded == TargetEcho.Forwarded())
        #expect(echo.via.isEmpty)
        #expect(response.body.contains("\"forwarded\":{}"))
        #expect(!response.body.contains("host"))
    }

    @Test func repeatedForwardedForLinesAreJoined() throws {
        let headers = HTTPHeaders([("X-Forwarded-For", "192.0.2.7"), ("X-Forwarded-For", "10.0.0.5")])
        let echo = try echo(answer(HTTPRequestHead(version: .http1_1, method: .GET, uri: "/", headers: headers)))
        #expect(echo.forwarded.for == "192.0.2.7, 10.0.0.5")
    }

    @Test func commaSeparatedViaValuesAreSplit() throws {
        let headers = HTTPHeaders([("X-Lbnet-Via", "nlb-a, alb-a"), ("X-Lbnet-Via", "alb-b")])
        let echo = try echo(answer(HTTPRequestHead(version: .http1_1, method: .GET, uri: "/", headers: headers)))
        #expect(echo.via == ["nlb-a", "alb-a", "alb-b"])
    }

    @Test func ipv6AddressesAreBracketed() throws {
        let response = TargetResponse.answering(
            HTTPRequestHead(version: .http1_1, method: .GET, uri: "/"), instance: "i", availabilityZone: "z",
            localAddress: try SocketAddress(ipAddress: "::1", port: 80),
            remoteAddress: try SocketAddress(ipAddress: "fd00::2", port: 5000)
        )
        let echo = try echo(response)
        #expect(echo.address == "[::1]:80")
        #expect(echo.client == "[fd00::2]:5000")
    }

    @Test(arguments: ["/health", "/health?probe=1"])
    func healthAnswersOk(uri: String) {
        let response = answer(HTTPRequestHead(version: .http1_1, method: .GET, uri: uri))
        #expect(response == TargetResponse(status: .ok, contentType: "text/plain; charset=utf-8", body: "ok"))
    }

    @Test func healthOnlyForGetAndExactPath() throws {
        #expect(try echo(answer(HTTPRequestHead(version: .http1_1, method: .POST, uri: "/health"))).method == "POST")
        #expect(try echo(answer(HTTPRequestHead(version: .http1_1, method: .GET, uri: "/healthz"))).path == "/healthz")
    }

    @Test func headCarriesLengthAndKeepAliveSemantics() {
        let response = TargetResponse(status: .ok, contentType: "text/plain", body: "héllo")

        let http11 = response.head(answering: HTTPRequestHead(version: .http1_1, method: .GET, uri: "/"))
        #expect(http11.version == .http1_1)
        #expect(http11.headers["Content-Length"] == ["6"])
        #expect(http11.headers["Connection"].isEmpty)

        let http11Close = response.head(
            answering: HTTPRequestHead(version: .http1_1, method: .GET, uri: "/", headers: ["Connection": "close"])
        )
        #expect(http11Close.headers["Connection"] == ["close"])

        let http10 = response.head(answering: HTTPRequestHead(version: .http1_0, method: .GET, uri: "/"))
        #expect(http10.version == .http1_0)
        #expect(http10.headers["Connection"] == ["close"])

        let http10KeepAlive = response.head(
            answering: HTTPRequestHead(version: .http1_0, method: .GET, uri: "/", headers: ["Connection": "keep-alive"])
        )
        #expect(http10KeepAlive.headers["Connection"] == ["keep-alive"])
    }
}
