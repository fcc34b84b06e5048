import Foundation
import Logging
import NIOCore
import NIOExtras
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// The control socket of a running proxy (`lbnet proxy --control PATH`): a Unix socket, mode
/// 0600, on which each line is one JSON request (``ProxyControlRequest``) answered by one JSON
/// line. `reload` answers a ``ProxyReloadAnswer``, `report` a ``ProxyNodeReport``, `metrics` a
/// ``ProxyMetricsReport``.
struct ProxyControlServer {
    let path: String
    let node: ProxyNode
    let logger: Logger

    /// Listens until the task is cancelled, then removes the socket file (if it is still this
    /// server's: a successor may have bound the path already).
    func run() async throws {
        try ProxyControlSocketPath.validate(path)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineBasedFrameDecoder()))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let inode = Self.inode(path)
        defer {
            if let inode, Self.inode(path) == inode { unlink(path) }
        }
        guard chmod(path, 0o600) == 0 else {
            let code = errno
            try? await server.channel.close()
            throw IOError(errnoCode: code, reason: "chmod 0600 \(path)")
        }
        logger.info("control socket listening", metadata: ["lbnet.socket": "\(path)"])
        try await withThrowingDiscardingTaskGroup { group in
            try await server.executeThenClose { connections in
                for try await connection in connections {
                    group.addTask { await serve(connection) }
                }
            }
        }
    }

    private func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        do {
            try await connection.executeThenClose { lines, answers in
                for try await line in lines {
                    var answer = await respond(to: line)
                    answer.writeString("\n")
                    try await answers.write(answer)
                }
            }
        } catch {
            logger.debug("control connection ended", metadata: ["lbnet.error": "\(error)"])
        }
    }

    private func respond(to line: ByteBuffer) async -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let data: Data
        do {
            switch try JSONDecoder().decode(ProxyControlRequest.self, from: Data(line.readableBytesView)).op {
            case ProxyControlRequest.reload.op:
                data = try encoder.encode(await node.reload())
            case ProxyControlRequest.report.op:
                data = try encoder.encode(await node.currentReport())
            case ProxyControlRequest.metrics.op:
                data = try encoder.encode(try await node.currentMetrics())
            case let other:
                data = try encoder.encode(ProxyControlFailure(error: "unknown op '\(other)': use reload, report or metrics"))
            }
        } catch {
            data = (try? encoder.encode(ProxyControlFailure(error: "not a request: \(error)"))) ?? Data()
        }
        return ByteBuffer(bytes: data)
    }

    private static func inode(_ path: String) -> UInt64? {
        var info = stat()
        return stat(path, &info) == 0 ? UInt64(info.st_ino) : nil
    }
}
