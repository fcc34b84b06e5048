import NIOCore
import NIOPosix
import Synchronization
import Testing

import Health
@testable import L7Proxy

/// A target group with proxy protocol: every health check starts with the `LOCAL` PROXY v2
/// header (AWS's checks name no client), then the check as usual. A loopback server keeps the
/// bytes each connection sent and answers the first request line it sees with `200`.
@Suite struct HealthProbePreambleTests {
    /// Every byte each accepted connection sent, in order of acceptance, and which have closed.
    final class ReceivedBytes: Sendable {
        private struct State {
            var connections: [[UInt8]] = []
            var closed = 0
            var waiter: (count: Int, continuation: CheckedContinuation<[[UInt8]], Never>)?
        }
        private let state = Mutex(State())

        func accepted() -> Int { state.withLock { $0.connections.append([]); return $0.connections.count - 1 } }
        func add(_ bytes: [UInt8], to connection: Int) { state.withLock { $0.connections[connection] += bytes } }
        func bytes(of connection: Int) -> [UInt8] { state.withLock { $0.connections[connection] } }

        func closed() {
            let ready = state.withLock { state -> (CheckedContinuation<[[UInt8]], Never>, [[UInt8]])? in
                state.closed += 1
                guard let waiter = state.waiter, state.closed >= waiter.count else { return nil }
                state.waiter = nil
                return (waiter.continuation, state.connections)
            }
            ready.map { $0.0.resume(returning: $0.1) }
        }

        /// The bytes of every connection once `count` of them have closed.
        func whenClosed(count: Int) async throws -> [[UInt8]] {
            await withCheckedContinuation { continuation in
                let now = state.withLock { state -> [[UInt8]]? in
                    guard state.closed < count else { return state.connections }
                    state.waiter = (count, continuation)
                    return nil
                }
                now.map { continuation.resume(returning: $0) }
            }
        }
    }

    /// Keeps what its connection sends; answers `200` once a request head has ended.
    final class Recorder: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let received: ReceivedBytes
        let connection: Int

        init(_ received: ReceivedBytes, connection: Int) {
            self.received = received
            self.connection = connection
        }

        func channelInactive(context: ChannelHandlerContext) {
            received.closed()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            received.add(Array(unwrapInboundIn(data).readableBytesView), to: connection)
            guard String(decoding: received.bytes(of: connection), as: UTF8.self).contains("\r\n\r\n") else { return }
            let answer = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: answer)), promise: nil)
        }
    }

    @Test func eachCheckStartsWithTheLocalHeader() async throws {
        let received = ReceivedBytes()
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    try child.pipeline.syncOperations.addHandler(Recorder(received, connection: received.accepted()))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        defer { server.close(promise: nil) }
        let port = try #require(server.localAddress?.port)
        let local = ProxyProtocolHeader(command: .local, transport: .unspecified, source: nil, destination: nil).encoded()
        let eventLoop = MultiThreadedEventLoopGroup.singleton.next()

        var http = HealthCheckSettings.defaults(for: .network, protocol: .http)
        http.path = "/ping"
        http.preamble = local
        let checked = try await HealthProbe.check(address: "127.0.0.1", trafficPort: port, settings: http, on: eventLoop).get()
        #expect(checked == .success(statusCode: 200))
        var tcp = HealthCheckSettings.defaults(for: .network)
        tcp.preamble = local
        #expect(try await HealthProbe.check(address: "127.0.0.1", trafficPort: port, settings: tcp, on: eventLoop).get().isSuccess)

        // The TCP check's bytes are written as it closes: the server reads them by the time it sees the close.
        let connections = try await received.whenClosed(count: 2)
        #expect(Array(connections[0].prefix(local.count)) == local)
        #expect(String(decoding: connections[0].dropFirst(local.count), as: UTF8.self).hasPrefix("GET /ping HTTP/1.1\r\n"))
        #expect(connections[1] == local)
        if case .header(let header, _) = try ProxyProtocolHeader.parse(local) {
            #expect(header.command == .local && header.source == nil)
        } else {
            Issue.record("the LOCAL header does not parse")
        }
    }
}
