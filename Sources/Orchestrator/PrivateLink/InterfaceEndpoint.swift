import Kernel

/// One network interface of a PrivateLink interface endpoint: a host in a consumer subnet that
/// forwards the endpoint service's TCP listener ports to one provider NLB node over a transit
/// link of its own, so the two VPCs are never routed together.
public struct InterfaceEndpoint: Sendable, Equatable {
    /// AWS's state of the endpoint connection.
    public enum State: String, Sendable, Codable {
        /// The service requires acceptance and has not accepted the endpoint: nothing is carried.
        case pendingAcceptance
        case available
    }

    /// The `vpcEndpoints` entry this interface belongs to.
    public let endpoint: String
    public let service: String
    /// The interface's host, `ENDPOINT-AZ`, with its address in the consumer subnet.
    public let host: Topology.Host
    public let state: State
    /// The NLB node the interface reaches (in its AZ when the service has one there).
    public let providerNode: String
    public let transit: PrivateLinkTransit
    /// The TCP ports of the provider NLB's listeners, forwarded unchanged.
    public let ports: [UInt16]

    public init(endpoint: String, service: String, host: Topology.Host, state: State, providerNode: String,
                transit: PrivateLinkTransit, ports: [UInt16]) {
        self.endpoint = endpoint
        self.service = service
        self.host = host
        self.state = state
        self.providerNode = providerNode
        self.transit = transit
        self.ports = ports
    }

    public var name: String { host.name }
    public var isAvailable: Bool { state == .available }
}
