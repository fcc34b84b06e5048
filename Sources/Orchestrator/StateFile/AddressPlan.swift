import Kernel

/// The address of every instance: fixed ones as written, the others picked in declaration order
/// from the first free address at offset 11 of their subnet, skipping every fixed address.
struct AddressPlan {
    /// lbnet picks addresses from this offset of a subnet on, leaving the low ones for fixed addresses.
    static let firstPickedOffset = 11

    /// An address fixed in the file by a host.
    struct Claim {
        let address: IPv4Address
        let subnet: String
        /// The path of the value that fixes the address.
        let path: FieldPath
        let owner: String
    }

    /// Fixed addresses in file order: instances first, then load balancer subnet mappings.
    let claims: [Claim]
    /// Each instance's address by position; `nil` when its subnet is unknown or has no address left.
    let instanceAddresses: [IPv4Address?]

    init(file: StateFile, index: StateFileIndex) {
        var claims: [Claim] = []
        for (position, instance) in file.instances.enumerated() {
            guard let address = instance.address else { continue }
            let path = FieldPath.root.key("instances").index(position).key("address")
            claims.append(Claim(address: address, subnet: instance.subnet, path: path, owner: instance.name))
        }
        for (lbPosition, loadBalancer) in file.loadBalancers.enumerated() {
            for (position, mapping) in loadBalancer.subnetMappings.enumerated() {
                guard let address = mapping.privateIPv4Address else { continue }
                let path = FieldPath.root.key("loadBalancers").index(lbPosition)
                    .key("subnetMappings").index(position).key("privateIPv4Address")
                claims.append(Claim(address: address, subnet: mapping.subnetId, path: path, owner: loadBalancer.name))
            }
        }
        self.claims = claims

        var taken = Set(claims.map(\.address))
        instanceAddresses = file.instances.map { instance in
            if let address = instance.address { return address }
            guard let cidr = index.subnets[instance.subnet]?.subnet.cidr,
                  let address = Self.firstFree(in: cidr, excluding: taken) else { return nil }
            taken.insert(address)
            return address
        }
    }

    private static func firstFree(in subnet: IPv4Network, excluding taken: Set<IPv4Address>) -> IPv4Address? {
        let lastHost = Int(subnet.size) - 2
        guard firstPickedOffset <= lastHost else { return nil }
        return (firstPickedOffset...lastHost).lazy
            .map { subnet.address(at: $0) }
            .first { !taken.contains($0) }
    }
}
