import Kernel

extension StateFileValidator {
    /// Fixed host addresses (instances and load balancer subnet mappings) and the addresses lbnet picks.
    mutating func validateAddresses() {
        let plan = AddressPlan(file: file, index: index)
        var owners: [IPv4Address: AddressPlan.Claim] = [:]
        for claim in plan.claims {
            guard let subnet = index.subnets[claim.subnet]?.subnet else { continue }
            if !subnet.cidr.contains(claim.address) {
                report("\(claim.address) is outside subnet '\(subnet.name)' (\(subnet.cidr))", at: claim.path)
            } else if let reason = SubnetReservation.reason(for: claim.address, in: subnet.cidr) {
                report("\(claim.address) is reserved in subnet '\(subnet.name)' (\(reason))", at: claim.path)
            } else if let owner = owners[claim.address] {
                report("\(claim.address) is already taken by '\(owner.owner)' (\(owner.path))", at: claim.path)
            } else {
                owners[claim.address] = claim
            }
        }
        for (position, instance) in file.instances.enumerated() where plan.instanceAddresses[position] == nil {
            guard let subnet = index.subnets[instance.subnet]?.subnet else { continue }
            report(
                "subnet '\(subnet.name)' (\(subnet.cidr)) has no free address left to pick "
                    + "(lbnet picks from offset \(AddressPlan.firstPickedOffset) on)",
                at: Self.path("instances", position))
        }
    }

    /// Instance subnets, ports and command lines.
    mutating func validateInstances() {
        for (position, instance) in file.instances.enumerated() {
            let path = Self.path("instances", position)
            _ = subnet(named: instance.subnet, at: path.key("subnet"))
            checkPort(instance.port, at: path.key("port"))
            if instance.run?.isEmpty == true {
                report("must name a command to run", at: path.key("run"))
            }
            validateEC2Fields(of: instance, at: path)
        }
    }

    /// The image ID's shape, a known instance type, CPU credits only for burstable types, and
    /// user data lbnet can run.
    private mutating func validateEC2Fields(of instance: StateFile.Instance, at path: FieldPath) {
        if let image = instance.imageId, !StateFile.Instance.isImageId(image) {
            report("'\(image)' is not an AMI ID (ami- and 8 or 17 hex digits)", at: path.key("imageId"))
        }
        let typeName = instance.instanceType ?? StateFile.Instance.defaultInstanceType
        let type = InstanceType.named(typeName)
        if type == nil {
            report("lbnet does not know the instance type '\(typeName)' (known: "
                   + InstanceType.known.map(\.name).joined(separator: ", ") + ")", at: path.key("instanceType"))
        }
        if let credits = instance.cpuCredits {
            if !["standard", "unlimited"].contains(credits) {
                report("must be 'standard' or 'unlimited'", at: path.key("cpuCredits"))
            } else if type?.isBurstable == false {
                report("CPU credits apply only to burstable (T) instance types, not \(typeName)",
                       at: path.key("cpuCredits"))
            }
        }
        if let script = instance.userData, let problem = UserDataScript.problem(with: script) {
            report(problem, at: path.key("userData"))
        }
    }
}
