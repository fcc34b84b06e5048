import Kernel
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// The daemon's DNS answerer for load balancer names (the API's `DNSName`): UDP port 53 in each
/// VPC's router namespace (instances ask their subnet's gateway, where AWS has its VPC
/// resolver) and in the `internet` namespace (its clients ask 127.0.0.1). One socket per
/// namespace, made on a thread inside it; all answer from one zone, replaced after every
/// reconcile. `lbnet exec` points a command's `/etc/resolv.conf` at it (``ResolverConfiguration``).
public final class DNSAnswerer: Sendable {
    public static let port = 53

    private let zone = ZoneBox()
    private let loops = NamespaceEventLoops()
    /// Each namespace's socket, with the namespace's inode when it was bound: a namespace made
    /// again under the same name gets a new socket.
    private let listeners = Mutex<[String: (channel: any Channel, inode: UInt64?)]>([:])
    private let logger: Logger

    public init(logger: Logger) { self.logger = logger }

    /// Answers for `model`'s load balancers, listening in its namespaces: binds where a VPC
    /// (or its namespace) is new, closes where one is gone. A namespace whose socket cannot be
    /// bound is logged and tried again at the next update.
    public func update(_ model: DeploymentModel?, naming: Naming) async {
        zone.replace(with: LoadBalancerZone.of(model))
        var wanted: Set<String> = []
        if let model {
            wanted.insert(naming.internetNamespace)
            for vpc in model.topology.vpcs { wanted.insert(naming.routerNamespace(vpc: vpc.name)) }
        }
        let inodes = Dictionary(uniqueKeysWithValues: wanted.map { ($0, NetworkNamespace.inode($0)) })
        let stale = listeners.withLock { listeners in
            let gone = listeners.filter { namespace, listener in
                !wanted.contains(namespace) || !listener.channel.isActive || inodes[namespace] != listener.inode
            }
            gone.keys.forEach { listeners[$0] = nil }
            return gone.values.map(\.channel)
        }
        for channel in stale { try? await channel.close() }
        await loops.keep(only: wanted)
        for namespace in wanted.sorted() where listeners.withLock({ $0[namespace] == nil }) {
            do {
                let channel = try await bind(in: namespace)
                listeners.withLock { $0[namespace] = (channel, inodes[namespace] ?? nil) }
            } catch {
                logger.warning("the DNS answerer cannot listen in a namespace",
                               metadata: ["namespace": "\(namespace)", "error": "\(error)"])
            }
        }
    }

    public func shutdown() async {
        let open = listeners.withLock { listeners in
            defer { listeners = [:] }
            return listeners.values.map(\.channel)
        }
        for channel in open { try? await channel.close() }
        await loops.shutdown()
    }

    private func bind(in namespace: String) async throws -> any Channel {
        let loop = try await loops.loop(for: namespace)
        let zone = self.zone
        // The socket is made on the loop's thread, which is inside the namespace.
        return try await loop.flatSubmit {
            DatagramBootstrap(group: loop)
                .channelOption(.socketOption(.so_reuseaddr), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(DNSQueryHandler(zone: zone)) }
                }
                .bind(host: "0.0.0.0", port: Self.port)
        }.get()
    }
}
