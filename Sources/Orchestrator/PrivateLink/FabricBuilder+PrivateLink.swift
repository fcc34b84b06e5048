import Kernel

extension FabricBuilder {
    /// Adds what the endpoint connections of `node` need. Every endpoint namespace forwards;
    /// an available endpoint also gets its transit veth (`pl0` in the endpoint, `pl-…` in the
    /// node, with the transit /30's `.2` and `.1`), its NAT table and its way back from the
    /// node (`PrivateLinkReturnPath`); a pending one gets none of it, so it carries nothing.
    func addEndpointConnections(of node: NetworkLoadBalancerNode, to fabric: inout FabricSpec) {
        let providerNamespace = naming.hostNamespace(node.name)
        for endpoint in node.endpointConnections {
            let namespace = naming.hostNamespace(endpoint.name)
            guard let endpointIndex = fabric.namespaces.firstIndex(where: { $0.name == namespace }) else { continue }
            fabric.namespaces[endpointIndex].sysctls["net.ipv4.ip_forward"] = "1"
            guard endpoint.isAvailable, let providerIndex = fabric.namespaces.firstIndex(where: { $0.name == providerNamespace }) else {
                fabric.endpoints.append(EndpointDatapathSpec(endpoint: endpoint.name, namespace: namespace, nat: nil))
                continue
            }
            let endpointSide = Naming.privateLinkInterface
            let providerSide = Naming.privateLinkPort(endpoint: endpoint.name)
            fabric.namespaces[endpointIndex].links.append(LinkSpec(
                name: endpointSide, kind: .veth(peerNamespace: providerNamespace, peerName: providerSide)))
            fabric.namespaces[endpointIndex].addresses.append(AddressSpec(interface: endpointSide, address: endpoint.transit.endpointSide))
            fabric.namespaces[providerIndex].links.append(LinkSpec(
                name: providerSide, kind: .vethPeer(ownerNamespace: namespace, ownerName: endpointSide)))
            fabric.namespaces[providerIndex].addresses.append(AddressSpec(interface: providerSide, address: endpoint.transit.providerSide))
            let link = PrivateLinkReturnPath.Link(endpoint: endpoint.name, port: providerSide, address: endpoint.transit.providerSide.address,
                                                  endpointAddress: endpoint.transit.endpointSide.address)
            fabric.namespaces[providerIndex].rules.append(PrivateLinkReturnPath.rule(link))
            fabric.namespaces[providerIndex].routes.append(PrivateLinkReturnPath.route(link))
            fabric.privateLinkReturnPaths[providerNamespace, default: []].append(link)
            fabric.endpoints.append(EndpointDatapathSpec(endpoint: endpoint.name, namespace: namespace, nat: EndpointNATSpec(
                endpointAddress: endpoint.host.address.address, providerAddress: endpoint.transit.providerSide.address,
                ports: endpoint.ports)))
        }
    }
}
