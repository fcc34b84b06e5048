import Kernel

/// The link between an interface endpoint and its provider NLB node: a /30 from 100.65.0.0/16
/// (shared address space; 100.64.0.0/16 holds the internet gateways' links), the provider's
/// end `.1`, the endpoint's `.2`.
public struct PrivateLinkTransit: Sendable, Equatable {
    public static let pool = IPv4Network(IPv4Address(100, 65, 0, 0), prefixLength: 16)!
    /// How many /30 links the pool holds.
    public static let capacity = Int(pool.size) / 4

    public let providerSide: IPv4Interface
    public let endpointSide: IPv4Interface

    /// The link at `position` (an endpoint interface's place in the file: endpoints in order,
    /// each with its subnets in order), or `nil` past the pool's end.
    public init?(position: Int) {
        guard position >= 0, position < Self.capacity else { return nil }
        let base = Self.pool.address(at: position * 4)
        providerSide = IPv4Interface(address: base.advanced(by: 1), prefixLength: 30)
        endpointSide = IPv4Interface(address: base.advanced(by: 2), prefixLength: 30)
    }
}
