import Kernel

/// What an interface endpoint's namespace must hold: its NAT table (`lbnet_endpoint`) when the
/// endpoint is available, none while it waits for acceptance.
public struct EndpointDatapathSpec: Sendable, Equatable {
    /// The interface's host name, `ENDPOINT-AZ`.
    public let endpoint: String
    public let namespace: String
    /// `nil`: the table must not exist.
    public let nat: EndpointNATSpec?

    public init(endpoint: String, namespace: String, nat: EndpointNATSpec?) {
        self.endpoint = endpoint
        self.namespace = namespace
        self.nat = nat
    }
}
