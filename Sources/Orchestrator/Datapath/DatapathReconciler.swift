import Foundation
import Kernel

/// Plans and applies the load-balancing and NAT state of namespaces: each NLB node's IPVS or
/// nftables table, each VPC gateway's 1:1 NAT and each interface endpoint's NAT. Planning reads the kernel and lists only what
/// differs; applying re-reads and writes only that, in one batch per table.
struct DatapathReconciler {
    let session: KernelSession

    /// Which datapath a node uses: `auto` picks IPVS where the kernel has it.
    func resolve(_ choice: StateFile.Datapath) -> StateFile.Datapath {
        switch choice {
        case .ipvs, .nftables: choice
        case .auto: Self.kernelHasIPVS ? .ipvs : .nftables
        }
    }

    /// Asks the kernel (in lbnet's own namespace) for the IPVS generic netlink family, which
    /// also loads the module where it exists but is not loaded.
    static let kernelHasIPVS: Bool = {
        guard let socket = try? NetlinkSocket(protocol: NetlinkConstants.Family.generic) else { return false }
        return (try? IPVSClient(socket: socket)) != nil
    }()

    func pending(_ fabric: FabricSpec) throws -> [Change] {
        var changes: [Change] = []
        for spec in fabric.nodeDatapaths {
            let datapath = resolve(spec.datapath)
            let details: [String] = switch datapath {
            case .ipvs: try IPVSNodeDatapath.pending(spec, session: session).map(\.description)
            default: try NFTablesNodeDatapath.pending(spec, session: session)
            }
            if !details.isEmpty {
                changes.append(.reconcileDatapath(namespace: spec.namespace, datapath: "\(datapath.rawValue) datapath of \(spec.node)", details: details))
            }
        }
        for spec in fabric.gateways {
            let details = try GatewayNAT.pending(spec, session: session)
            if !details.isEmpty {
                changes.append(.reconcileDatapath(namespace: spec.namespace, datapath: "elastic IP NAT of VPC \(spec.vpc)", details: details))
            }
        }
        for spec in fabric.endpoints {
            let details = try EndpointDatapath.pending(spec, session: session)
            if !details.isEmpty {
                changes.append(.reconcileDatapath(namespace: spec.namespace, datapath: "endpoint NAT of \(spec.endpoint)", details: details))
            }
        }
        return changes
    }

    func apply(namespace: String, fabric: FabricSpec) throws {
        for spec in fabric.nodeDatapaths where spec.namespace == namespace {
            switch resolve(spec.datapath) {
            case .ipvs:
                try IPVSNodeDatapath.apply(spec, session: session)
                try NFTablesNodeDatapath.applySourceNAT(spec, session: session)
            default:
                try NFTablesNodeDatapath.apply(spec, session: session)
            }
        }
        for spec in fabric.gateways where spec.namespace == namespace {
            try GatewayNAT.apply(spec, session: session)
        }
        for spec in fabric.endpoints where spec.namespace == namespace {
            try EndpointDatapath.apply(spec, session: session)
        }
    }
}
