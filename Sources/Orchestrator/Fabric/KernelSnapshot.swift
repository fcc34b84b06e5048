import Foundation
import Kernel

/// What the kernel holds in the namespaces lbnet looked at, and which of its processes run.
public struct KernelSnapshot: Sendable, Equatable {
    public var namespaces: [String: NamespaceState]
    /// Processes lbnet supervises, by name, with the spec they were started from, when running.
    public var processes: [String: ProcessSpec]
    /// The ALB node configuration files in the state directory, by node.
    public var proxyConfigurations: [String: Data]

    public init(namespaces: [String: NamespaceState] = [:], processes: [String: ProcessSpec] = [:],
                proxyConfigurations: [String: Data] = [:]) {
        self.namespaces = namespaces
        self.processes = processes
        self.proxyConfigurations = proxyConfigurations
    }
}

/// The observed contents of one namespace.
public struct NamespaceState: Sendable, Equatable {
    public var links: [Link]
    public var addresses: [InterfaceAddress]
    public var routes: [Route]
    /// The policy routing rules that match a firewall mark.
    public var rules: [RoutingRule] = []
    public var sysctls: [String: String]
    /// The tables of `OwnedNFTable.names` that exist, by name.
    public var nftables: [String: NFTTableState]
    /// The ruleset generation every table in `nftables` was read at.
    public var nftablesGeneration: UInt32?
    /// The IPVS services, where lbnet looked (NLB node namespaces on a kernel with IPVS).
    public var ipvs: IPVSTable?
    /// IPVS's idle timeout of established TCP connections, read with `ipvs`.
    public var ipvsTCPTimeout: UInt32?

    public init(links: [Link] = [], addresses: [InterfaceAddress] = [], routes: [Route] = [], sysctls: [String: String] = [:],
                nftables: [String: NFTTableState] = [:], nftablesGeneration: UInt32? = nil, ipvs: IPVSTable? = nil) {
        self.links = links
        self.addresses = addresses
        self.routes = routes
        self.sysctls = sysctls
        self.nftables = nftables
        self.nftablesGeneration = nftablesGeneration
        self.ipvs = ipvs
    }

    public func link(named name: String) -> Link? { links.first { $0.name == name } }
    public func link(index: Int32) -> Link? { links.first { $0.index == index } }

    /// Addresses by interface name (loopback's are the kernel's own and left out).
    var addressSpecs: Set<AddressSpec> {
        Set(addresses.compactMap { entry in
            guard let link = link(index: entry.interfaceIndex), link.name != "lo" else { return nil }
            return AddressSpec(interface: link.name, address: entry.address, noPrefixRoute: entry.noPrefixRoute)
        })
    }

    /// Routes lbnet could have made (static ones), with device names instead of indexes.
    var staticRouteSpecs: Set<RouteSpec> {
        Set(routes.filter { $0.origin == RouteConstants.protocolStatic }.map { route in
            RouteSpec(destination: route.destination, gateway: route.gateway,
                      device: route.gateway == nil || route.gatewayOnLink ? route.outputInterfaceIndex.flatMap { link(index: $0)?.name } : nil,
                      table: route.table, gatewayOnLink: route.gatewayOnLink, isLocal: route.isLocal)
        })
    }
}
