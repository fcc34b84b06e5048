import AWSAPI
import Foundation
import Kernel

/// EC2's calls that launch, change and terminate instances: each edits the desired state through
/// the ``DesiredStateEditor``. A launched instance is a namespace in its subnet, named by its new
/// ID, running its user data (as an unprivileged user) or lbnet's target server.
struct EC2InstanceCalls {
    /// The most instances one `RunInstances` launches (EC2's default On-Demand quota of a new
    /// account is about this many small instances).
    static let launchLimit = 20

    let identity: AWSIdentity
    let editor: DesiredStateEditor
    let describer: @Sendable (DeploymentModel?) async -> EC2InstanceDescriber
    let terminated: TerminatedInstances

    func runInstances(_ p: QueryParameters) async throws(APIError) -> [XMLNode] {
        try Self.refuseUnknown(p, "RunInstances", known: [
            "ImageId", "InstanceType", "MinCount", "MaxCount", "SubnetId", "PrivateIpAddress", "UserData", "ClientToken",
            "DisableApiTermination", "DisableApiStop", "EbsOptimized", "Monitoring.Enabled", "HibernationOptions.Configured",
            "CreditSpecification.CpuCredits", "Placement.AvailabilityZone", "Placement.Tenancy", "SecurityGroupId.",
        ])
        if let tenancy = p["Placement.Tenancy"], tenancy != "default" { throw EC2Changes.unsupported("Placement.Tenancy \(tenancy)") }
        for (name, what) in [("EbsOptimized", "EBS-optimized instances"), ("Monitoring.Enabled", "detailed monitoring"),
                             ("HibernationOptions.Configured", "hibernation")] where p[name] == "true" {
            throw EC2Changes.unsupported("\(what) (\(name)=true)")
        }
        let launch = try InstanceLaunch(p)
        if let token = launch.clientToken, let earlier = try await launched(token: token, like: launch) { return earlier }
        let instanceNames = (0..<launch.count).map { _ in AWSIdentity.newID("i-") }
        let (_, model) = try await editor.edit { (file: inout StateFile, current) throws(APIError) in
            let names = APINames(identity: identity, file: file, model: current)
            let subnet = try names.subnet(id: launch.subnetId)
            let groups = try names.securityGroups(ids: p.ec2List("SecurityGroupId"), vpc: names.vpc(ofSubnet: subnet) ?? "")
            try checkAddress(launch.address, in: subnet, file: file, model: current)
            // Terraform sends an empty zone; a zone must be the subnet's.
            if let zone = p["Placement.AvailabilityZone"], !zone.isEmpty,
               let subnetZone = file.vpcs.flatMap(\.subnets).first(where: { $0.name == subnet })?.az, zone != subnetZone {
                throw APIError("InvalidParameterValue", "Value (\(zone)) for parameter availabilityZone is invalid. "
                               + "Subnet '\(launch.subnetId)' is in the availability zone \(subnetZone)")
            }
            file.instances += instanceNames.map { name in
                StateFile.Instance(name: name, subnet: subnet, address: launch.address, imageId: launch.imageId,
                                   instanceType: launch.instanceType, cpuCredits: launch.cpuCredits, userData: launch.userData,
                                   disableApiTermination: launch.disableApiTermination, disableApiStop: launch.disableApiStop,
                                   clientToken: launch.clientToken ?? (instanceNames.count > 1 ? "lbnet-" + instanceNames[0] : nil), securityGroups: groups)
            }
            if AddressPlan(file: file, index: StateFileIndex(file)).instanceAddresses.contains(nil) {
                throw APIError("InsufficientFreeAddressesInSubnet",
                               "There are not enough free addresses in subnet '\(launch.subnetId)' to satisfy the requested number of instances.")
            }
        }
        let describer = await describer(model)
        let placed = describer.instances.filter { instanceNames.contains($0.instance.name) }
        guard let first = placed.first else { throw .internalFailure("instances \(instanceNames.joined(separator: ", ")) vanished") }
        return describer.reservationShape(describer.reservationId(first.instance), try placed.map { placed throws(APIError) in
            try describer.instanceShape(placed, state: (0, "pending"))
        })
    }

    /// A fixed private address must lie in the subnet and be free, as EC2 requires.
    private func checkAddress(_ address: IPv4Address?, in subnet: String, file: StateFile, model: DeploymentModel?) throws(APIError) {
        guard let address, let cidr = file.vpcs.flatMap(\.subnets).first(where: { $0.name == subnet })?.cidr else { return }
        guard cidr.contains(address) else {
            throw APIError("InvalidParameterValue", "Address \(address) does not fall within the subnet's address range")
        }
        if model?.topology.hosts.contains(where: { $0.address.address == address }) == true || file.instances.contains(where: { $0.address == address }) {
            throw APIError("InvalidIPAddress.InUse", "Address \(address) is in use.")
        }
    }

    /// The reservation an earlier `RunInstances` with `token` made, if any (a retry launches
    /// nothing); the same token with other parameters is AWS's `IdempotentParameterMismatch`.
    private func launched(token: String, like launch: InstanceLaunch) async throws(APIError) -> [XMLNode]? {
        let describer = await describer(editor.model())
        let earlier = describer.instances.filter { $0.instance.clientToken == token }
        guard let first = earlier.first else { return nil }
        let same = earlier.allSatisfy { placed in
            identity.subnetId(placed.host.subnet) == launch.subnetId && placed.instance.imageId == launch.imageId
                && placed.instance.instanceType == launch.instanceType && placed.instance.userData == launch.userData
        }
        guard same else {
            throw APIError("IdempotentParameterMismatch",
                           "Arguments on this idempotent request are inconsistent with arguments used in previous request(s).")
        }
        return describer.reservationShape(describer.reservationId(first.instance), try earlier.map { placed throws(APIError) in
            try describer.instanceShape(placed)
        })
    }

    func terminateInstances(_ p: QueryParameters) async throws(APIError) -> [XMLNode] {
        try Self.refuseUnknown(p, "TerminateInstances", known: ["InstanceId."])
        let ids = p.ec2List("InstanceId")
        guard !ids.isEmpty else { throw .missingParameter("InstanceId") }
        let before = await describer(editor.model())
        // Terminating a terminated instance again changes nothing and says so.
        let gone = Set(before.terminated.map { identity.instanceId($0.instance.name) })
        let live = ids.filter { id in !gone.contains(id) || before.instances.contains { identity.instanceId($0.instance.name) == id } }
        let stopping = try before.instances(live)
        let previous: [(code: Int, name: String)] = ids.map { id in
            stopping.first { identity.instanceId($0.instance.name) == id }.map(before.state) ?? (48, "terminated")
        }
        if !live.isEmpty { try await remove(live) }
        terminated.record(stopping)
        return [.items("instancesSet", zip(ids, previous).map { id, state in
            let current: (code: Int, name: String) = state.code == 48 ? state : (32, "shutting-down")
            return [.text("instanceId", id), .element("currentState", [.text("code", String(current.code)), .text("name", current.name)]),
                    .element("previousState", [.text("code", String(state.code)), .text("name", state.name)])]
        })]
    }

    /// Removes the instances `ids` name from the desired state (all or none), and their
    /// registrations in target groups, as AWS deregisters a terminated instance.
    private func remove(_ ids: [String]) async throws(APIError) {
        _ = try await editor.edit { (file: inout StateFile, _) throws(APIError) in
            for id in ids {
                guard let index = file.instances.firstIndex(where: { identity.instanceId($0.name) == id }) else {
                    throw EC2InstanceDescriber.notFound(id)
                }
                let name = file.instances[index].name
                if file.instances[index].disableApiTermination {
                    throw APIError("OperationNotPermitted", "The instance '\(id)' may not be terminated. "
                                   + "Modify its 'disableApiTermination' instance attribute and try again.")
                }
                file.instances.remove(at: index)
                for group in file.targetGroups.indices where file.targetGroups[group].targetType == .instance {
                    file.targetGroups[group].targets.removeAll { $0.id == name }
                }
            }
        }
    }

    /// `DisableApiTermination.Value` / `DisableApiStop.Value`, or `Attribute` with `Value`
    /// for either; every other attribute is refused by name.
    func modifyInstanceAttribute(_ p: QueryParameters) async throws(APIError) -> [XMLNode] {
        try Self.refuseUnknown(p, "ModifyInstanceAttribute", known: [
            "InstanceId", "DisableApiTermination.Value", "DisableApiStop.Value", "Attribute", "Value",
        ])
        let id = try p.required("InstanceId")
        var changes: [(attribute: String, value: String)] = []
        if let value = p["DisableApiTermination.Value"] { changes.append(("disableApiTermination", value)) }
        if let value = p["DisableApiStop.Value"] { changes.append(("disableApiStop", value)) }
        if let attribute = p["Attribute"] {
            guard ["disableApiTermination", "disableApiStop"].contains(attribute) else {
                throw APIError("InvalidParameterValue", "lbnet does not implement changing the instance attribute \(attribute) yet")
            }
            changes.append((attribute, try p.required("Value")))
        }
        guard changes.count == 1, let change = changes.first else {
            throw APIError("InvalidParameterCombination", "Exactly one attribute must be specified")
        }
        guard let value = Bool(change.value) else {
            throw APIError("InvalidParameterValue", "Value (\(change.value)) for parameter \(change.attribute) is invalid. Expected 'true' or 'false'.")
        }
        _ = try await editor.edit { (file: inout StateFile, _) throws(APIError) in
            guard let index = file.instances.firstIndex(where: { identity.instanceId($0.name) == id }) else {
                throw EC2InstanceDescriber.notFound(id)
            }
            if change.attribute == "disableApiTermination" {
                file.instances[index].disableApiTermination = value
            } else {
                file.instances[index].disableApiStop = value
            }
        }
        return [.text("return", "true")]
    }

    /// ``QueryParameters/refuseUnknown(_:known:)`` with EC2's error code for a parameter it does
    /// not take, `UnknownParameter`.
    static func refuseUnknown(_ p: QueryParameters, _ action: String, known: [String]) throws(APIError) {
        do { try p.refuseUnknown(action, known: known) } catch { throw APIError("UnknownParameter", error.message) }
    }
}
