import AWSAPI
import Foundation
import Kernel
import Logging
import NIOCore
import NIOExtras
import NIOPosix
import ServiceLifecycle
#if canImport(Glibc)
import Glibc
#endif

/// A daemon socket: one JSON request per line, answered by reply lines until `done` or
/// `failed`. The control socket (`STATE/daemon.sock`, mode 0600: only root may drive the
/// daemon) takes every request; the status socket (`STATE/status.sock`, mode 0666) only
/// read-only ones. Each connection is served by its own task; the handler decides what runs
/// concurrently.
public struct ControlServer: Service {
    public typealias Handler = @Sendable (DaemonRequest, _ reply: @escaping @Sendable (DaemonReply) async -> Void) async -> DaemonReply

    let socketPath: String
    /// The socket file's mode: 0600 for control, 0666 for status.
    let permissions: mode_t
    let group: any EventLoopGroup
    let logger: Logger
    let handler: Handler

    public init(socketPath: String, permissions: mode_t = 0o600, group: any EventLoopGroup, logger: Logger,
                handler: @escaping Handler) {
        self.socketPath = socketPath
        self.permissions = permissions
        self.group = group
        self.logger = logger
        self.handler = handler
    }

    public func run() async throws {
        // Bound in a fresh root-only directory, given its mode, then moved into place: nobody can
        // connect before the mode is right, and no process-wide umask is changed meanwhile.
        let directory = (socketPath as NSString).deletingLastPathComponent
        var template = Array("\(directory)/.socket-XXXXXX".utf8CString)
        guard let privateDirectory = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }).map({ String(cString: $0) }) else {
            throw SystemError("making a private directory for \(socketPath)", errno: errno)
        }
        defer { rmdir(privateDirectory) }
        let boundPath = "\(privateDirectory)/\((socketPath as NSString).lastPathComponent)"
        let server = try await ServerBootstrap(group: group)
            .bind(unixDomainSocketPath: boundPath, cleanupExistingSocketFile: true) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineBasedFrameDecoder()))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        guard chmod(boundPath, permissions) == 0, rename(boundPath, socketPath) == 0 else {
            let failure = errno
            unlink(boundPath)
            throw SystemError("placing the socket at \(socketPath)", errno: failure)
        }
        logger.info("socket listening", metadata: ["path": "\(socketPath)", "mode": "\(String(permissions, radix: 8))"])
        try await server.serveConnectionsUntilShutdown { await serve($0) }
        unlink(socketPath)
    }

    private func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                for try await line in inbound {
                    let request: DaemonRequest
                    do {
                        request = try JSONDecoder().decode(DaemonRequest.self, from: Data(line.readableBytesView))
                    } catch {
                        try await outbound.write(Self.encode(.failed("malformed request: \(error)")))
                        return
                    }
                    let final = await handler(request) { reply in
                        try? await outbound.write(Self.encode(reply))
                    }
                    try await outbound.write(Self.encode(final))
                }
            }
        } catch {
            logger.warning("control connection ended", metadata: ["error": "\(error)"])
        }
    }

    static func encode(_ reply: DaemonReply) -> ByteBuffer {
        var data = (try? JSONEncoder().encode(reply)) ?? Data(#"{"failed":{"_0":"unencodable reply"}}"#.utf8)
        data.append(UInt8(ascii: "\n"))
        return ByteBuffer(bytes: data)
    }
}
