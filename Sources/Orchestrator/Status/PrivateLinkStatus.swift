import Kernel

/// The PrivateLink part of `lbnet status`: every endpoint service with its load balancers and
/// who may connect, and every interface endpoint with its state and the provider node it uses.
public struct PrivateLinkStatus: Codable, Sendable, Equatable {
    /// An endpoint service.
    public struct ServiceRow: Codable, Sendable, Equatable {
        public let service: String
        public let networkLoadBalancers: [String]
        public let acceptanceRequired: Bool
        public let allowedPrincipals: [String]
        public let acceptedEndpoints: [String]
    }

    /// One interface of a VPC endpoint.
    public struct EndpointRow: Codable, Sendable, Equatable {
        /// The interface's host, `ENDPOINT-AZ` (what `lbnet exec` takes).
        public let interface: String
        public let endpoint: String
        public let service: String
        public let vpc: String
        public let subnet: String
        public let availabilityZone: String
        public let address: String
        /// `pendingAcceptance` or `available`.
        public let state: String
        public let providerNode: String
        /// The endpoint's and the provider's ends of the transit link.
        public let transit: String
        /// `in sync`, `out of sync (run up)` or `missing`.
        public let kernel: String
    }

    public var services: [ServiceRow] = []
    public var endpoints: [EndpointRow] = []

    public init() {}

    public var isEmpty: Bool { services.isEmpty && endpoints.isEmpty }

    func renderedTables() -> [String] {
        var serviceTable = TextTable(["ENDPOINT SERVICE", "NLB", "ACCEPTANCE REQUIRED", "ALLOWED PRINCIPALS", "ACCEPTED"])
        for row in services {
            serviceTable.add([row.service, row.networkLoadBalancers.joined(separator: ", "), row.acceptanceRequired ? "yes" : "no",
                              row.allowedPrincipals.joined(separator: ", "),
                              row.acceptedEndpoints.isEmpty ? "-" : row.acceptedEndpoints.joined(separator: ", ")])
        }
        var endpointTable = TextTable(["ENDPOINT", "INTERFACE", "SERVICE", "VPC", "SUBNET", "AZ", "ADDRESS", "STATE",
                                       "PROVIDER NODE", "TRANSIT", "KERNEL"])
        for row in endpoints {
            endpointTable.add([row.endpoint, row.interface, row.service, row.vpc, row.subnet, row.availabilityZone, row.address,
                               row.state, row.providerNode, row.transit, row.kernel])
        }
        return endpoints.isEmpty ? [serviceTable.render()] : [serviceTable.render(), endpointTable.render()]
    }
}

extension Deployment {
    func privateLinkStatus(_ planned: DeploymentPlan, session: KernelSession) throws -> PrivateLinkStatus {
        let model = planned.model
        var status = PrivateLinkStatus()
        status.services = model.file.endpointServices.map {
            .init(service: $0.name, networkLoadBalancers: $0.networkLoadBalancers, acceptanceRequired: $0.acceptanceRequired,
                  allowedPrincipals: $0.allowedPrincipals, acceptedEndpoints: $0.acceptedEndpoints)
        }
        status.endpoints = try model.interfaceEndpoints.map { endpoint in
            let host = endpoint.host
            return .init(interface: endpoint.name, endpoint: endpoint.endpoint, service: endpoint.service, vpc: host.vpc,
                         subnet: host.subnet, availabilityZone: host.az, address: host.address.address.description,
                         state: endpoint.state.rawValue, providerNode: endpoint.providerNode,
                         transit: endpoint.isAvailable ? "\(endpoint.transit.endpointSide) -> \(endpoint.transit.providerSide.address)" : "-",
                         kernel: try kernelState(of: endpoint, planned: planned, session: session))
        }
        return status
    }

    /// Whether the endpoint's namespace has its transit link exactly when it is available, and
    /// the NAT table it should have.
    private func kernelState(of endpoint: InterfaceEndpoint, planned: DeploymentPlan, session: KernelSession) throws -> String {
        let namespace = naming.hostNamespace(endpoint.name)
        guard NetworkNamespace.exists(namespace) else { return "missing" }
        let hasLink = try session.route(in: namespace).links().contains { $0.name == Naming.privateLinkInterface }
        let tableDiffers = planned.changes.contains { if case .nftables(let step) = $0 { step.namespace == namespace } else { false } }
        return hasLink == endpoint.isAvailable && !tableDiffers ? "in sync" : "out of sync (run up)"
    }
}
