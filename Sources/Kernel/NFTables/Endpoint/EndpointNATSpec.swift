/// What a PrivateLink interface endpoint does in its own namespace: TCP flows to the endpoint's
/// address on the service's ports go to the provider's end of the transit link, the consumer's
/// address kept.
public struct EndpointNATSpec: Hashable, Sendable {
    /// The endpoint's address in its consumer subnet, the one consumers connect to.
    public let endpointAddress: IPv4Address
    /// The provider NLB node's address on the transit link.
    public let providerAddress: IPv4Address
    /// The TCP ports forwarded (each kept as it is).
    public let ports: [UInt16]

    public init(endpointAddress: IPv4Address, providerAddress: IPv4Address, ports: [UInt16]) {
        self.endpointAddress = endpointAddress
        self.providerAddress = providerAddress
        self.ports = ports
    }
}
