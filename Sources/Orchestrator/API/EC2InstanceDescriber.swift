import AWSAPI
import Foundation

/// EC2's describe calls about instances over the applied model and the daemon's status report:
/// `DescribeInstances` (the state from the instance's real process), their attributes and CPU
/// credits, the instance types lbnet knows, their (absent) EBS volumes, and the tags EC2 shows.
struct EC2InstanceDescriber {
    let identity: AWSIdentity
    let creationTimes: APICreationTimes
    let model: DeploymentModel?
    let report: StatusReport?
    /// Instances terminated lately, described as `terminated` (unless the name is live again).
    var terminated: [Placed] = []

    /// An instance as the state file has it, with where the topology placed it.
    struct Placed: Sendable {
        let instance: StateFile.Instance
        let host: Topology.Host
    }

    var instances: [Placed] {
        guard let model else { return [] }
        return model.file.instances.compactMap { instance in
            model.topology.hosts.first { $0.name == instance.name }.map { Placed(instance: instance, host: $0) }
        }
    }

    /// The instances `ids` name, in that order; an unknown one is AWS's `InvalidInstanceID.NotFound`.
    func instances(_ ids: [String]) throws(APIError) -> [Placed] {
        let all = instances
        return try ids.map { id throws(APIError) in
            guard let found = all.first(where: { identity.instanceId($0.instance.name) == id }) else { throw Self.notFound(id) }
            return found
        }
    }

    static func notFound(_ id: String) -> APIError {
        APIError("InvalidInstanceID.NotFound", "The instance ID '\(id)' does not exist")
    }

    // MARK: DescribeInstances

    func describeInstances(_ p: QueryParameters) throws(APIError) -> [XMLNode] {
        try EC2InstanceCalls.refuseUnknown(p, "DescribeInstances", known: ["InstanceId.", "Filter.", "MaxResults", "NextToken"])
        let filters = try EC2Filter.of(p, known: [
            "instance-id", "subnet-id", "vpc-id", "availability-zone", "instance-state-name", "instance-state-code",
            "private-ip-address", "image-id", "instance-type", "client-token", "reservation-id", "owner-id", "tag:", "tag-key",
        ])
        let asked = p.ec2List("InstanceId")
        let live = instances
        let listed = live + terminated.filter { gone in !live.contains { $0.instance.name == gone.instance.name } }
        if let missing = asked.first(where: { id in !listed.contains { identity.instanceId($0.instance.name) == id } }) {
            throw Self.notFound(missing)
        }
        let matching = listed.filter { placed in
            let id = identity.instanceId(placed.instance.name), state = state(of: placed)
            let tags = Self.tags(of: placed.instance)
            return (asked.isEmpty || asked.contains(id)) && EC2Filter.matches(filters, [
                "instance-id": [id], "subnet-id": [identity.subnetId(placed.host.subnet)], "vpc-id": [identity.vpcId(placed.host.vpc)],
                "availability-zone": [placed.host.az], "instance-state-name": [state.name], "instance-state-code": [String(state.code)],
                "private-ip-address": [placed.host.address.address.description], "image-id": [imageId(placed.instance)],
                "instance-type": [instanceType(placed.instance)], "client-token": placed.instance.clientToken.map { [$0] } ?? [],
                "reservation-id": [reservationId(placed.instance)], "owner-id": [identity.accountId], "tag-key": tags.map(\.key),
            ].merging(tags.map { ("tag:\($0.key)", [$0.value]) }) { a, _ in a })
        }
        let page = try APIPage(marker: p["NextToken"], size: p["MaxResults"], limit: 5...1000, sizeName: "MaxResults")
        let (shown, next) = page.slice(matching)
        var reservations: [(id: String, instances: [Placed])] = []
        for placed in shown {
            let id = reservationId(placed.instance)
            if let index = reservations.firstIndex(where: { $0.id == id }) {
                reservations[index].instances.append(placed)
            } else {
                reservations.append((id, [placed]))
            }
        }
        return [.items("reservationSet", try reservations.map { reservation throws(APIError) in
            try reservationShape(reservation.id, reservation.instances.map { placed throws(APIError) in try instanceShape(placed) })
        })] + XMLNode.field("nextToken", next)
    }

    /// The `Reservation` shape (also `RunInstances`' answer).
    func reservationShape(_ id: String, _ instances: [[XMLNode]]) -> [XMLNode] {
        [.text("reservationId", id), .text("ownerId", identity.accountId), .items("groupSet", []), .items("instancesSet", instances)]
    }

    /// Instances launched together (one `RunInstances` with a client token) share a
    /// reservation; any other instance is a reservation of its own.
    func reservationId(_ instance: StateFile.Instance) -> String {
        "r-" + (instance.clientToken.map { AWSIdentity.id("reservation", $0, length: 17) }
            ?? String(identity.instanceId(instance.name).dropFirst(2)))
    }

    /// The `Instance` shape. lbnet instances have no EBS volumes (no block device mapping)
    /// and one interface, `eth0`, with the private address: the primary network interface
    /// `DescribeNetworkInterfaces` lists.
    func instanceShape(_ placed: Placed, state override: (code: Int, name: String)? = nil) throws(APIError) -> [XMLNode] {
        let instance = placed.instance, host = placed.host
        let id = identity.instanceId(instance.name), state = override ?? state(of: placed)
        let address = host.address.address.description
        let type = InstanceType.named(instanceType(instance))
        let launched = ELBv2Describer.timestamp(try launchTime(of: instance))
        let enis = ENIIdentity(identity: identity), interface = enis.interfaceId(host.name)
        let directory = SecurityGroupDirectory(file: model?.file ?? StateFile())
        let groupSet = directory.groupSet(directory.attached(to: host), vpc: host.vpc, identity: identity)
        let launchIndex = instances.filter { reservationId($0.instance) == reservationId(instance) }
            .firstIndex { $0.instance.name == instance.name } ?? 0
        return [
            .text("instanceId", id), .text("imageId", imageId(instance)),
            .element("instanceState", [.text("code", String(state.code)), .text("name", state.name)]),
            .text("privateDnsName", "ip-\(address.replacingOccurrences(of: ".", with: "-")).ec2.internal"), .text("dnsName", ""),
            .text("reason", ""), .text("amiLaunchIndex", String(launchIndex)), .items("productCodes", []),
            .text("instanceType", instanceType(instance)), .text("launchTime", launched),
            .element("placement", [.text("availabilityZone", host.az), .text("groupName", ""), .text("tenancy", "default")]),
            .element("monitoring", [.text("state", "disabled")]),
            .text("subnetId", identity.subnetId(host.subnet)), .text("vpcId", identity.vpcId(host.vpc)), .text("privateIpAddress", address),
            .text("sourceDestCheck", "true"), .items("groupSet", groupSet), .text("architecture", "x86_64"),
            .text("rootDeviceType", "instance-store"), .items("blockDeviceMapping", []), .text("virtualizationType", "hvm"),
            .items("networkInterfaceSet", [[
                .text("networkInterfaceId", interface), .text("subnetId", identity.subnetId(host.subnet)),
                .text("vpcId", identity.vpcId(host.vpc)), .text("description", "Primary network interface"),
                .text("ownerId", identity.accountId), .text("status", "in-use"), .text("macAddress", NetworkInterfaceCalls.macAddress(interface)),
                .text("privateIpAddress", address), .text("sourceDestCheck", "true"), .items("groupSet", groupSet),
                .element("attachment", [.text("attachmentId", enis.attachmentId(host.name)),
                                        .text("deviceIndex", "0"), .text("status", "attached"), .text("attachTime", launched),
                                        .text("deleteOnTermination", "true")]),
                .items("privateIpAddressesSet", [[.text("privateIpAddress", address), .text("primary", "true")]]),
                .text("interfaceType", "interface"),
            ]]),
        ] + XMLNode.field("clientToken", instance.clientToken) + [
            .items("tagSet", Self.tags(of: instance).map { [.text("key", $0.key), .text("value", $0.value)] }),
            .text("hypervisor", "xen"), .text("ebsOptimized", "false"), .text("enaSupport", "true"),
            .element("cpuOptions", [.text("coreCount", String(max(1, (type?.vCPUs ?? 2) / 2))),
                                    .text("threadsPerCore", String(min(2, type?.vCPUs ?? 2)))]),
            .element("hibernationOptions", [.text("configured", "false")]),
            .text("platformDetails", "Linux/UNIX"), .text("usageOperation", "RunInstances"),
        ]
    }

    /// `running` once the instance's process runs (its namespace and interface are up), else
    /// `pending` (being built, or its process starting again); `terminated` once terminated.
    func state(of placed: Placed) -> (code: Int, name: String) {
        if !instances.contains(where: { $0.instance.name == placed.instance.name }) { return (48, "terminated") }
        let row = report?.hosts.first { $0.name == placed.host.name }
        return row?.process == "running" && row?.state == "up" ? (16, "running") : (0, "pending")
    }

    func launchTime(of instance: StateFile.Instance) throws(APIError) -> Date {
        do { return try creationTimes.created("instance/\(instance.name)") } catch {
            throw .internalFailure("lbnet could not record the launch time of \(instance.name): \(error)")
        }
    }

    func imageId(_ instance: StateFile.Instance) -> String { instance.imageId ?? StateFile.Instance.defaultImageId }

    func instanceType(_ instance: StateFile.Instance) -> String { instance.instanceType ?? StateFile.Instance.defaultInstanceType }

    /// EC2 tags: a file-made object carries its lbnet name as `Name`; an API-made one (named by
    /// its ID) has none (the tags clients set are added by ``APITagging``).
    static func tags(of instance: StateFile.Instance) -> [(key: String, value: String)] {
        AWSIdentity.isID(instance.name, "i-") ? [] : [("Name", instance.name)]
    }

    // MARK: Attributes and CPU credits

    func describeInstanceAttribute(_ p: QueryParameters) throws(APIError) -> [XMLNode] {
        try EC2InstanceCalls.refuseUnknown(p, "DescribeInstanceAttribute", known: ["InstanceId", "Attribute"])
        let attribute = try p.required("Attribute")
        let instance = try instances([try p.required("InstanceId")])[0].instance
        let value: XMLNode
        switch attribute {
        case "disableApiTermination": value = .element(attribute, [.text("value", String(instance.disableApiTermination))])
        case "disableApiStop": value = .element(attribute, [.text("value", String(instance.disableApiStop))])
        case "userData": value = .element(attribute, XMLNode.field("value", instance.userData.map { Data($0.utf8).base64EncodedString() }))
        case "instanceType": value = .element(attribute, [.text("value", instanceType(instance))])
        // lbnet has no shutdown from inside an instance; EC2's default is what it would do.
        case "instanceInitiatedShutdownBehavior": value = .element(attribute, [.text("value", "stop")])
        default:
            throw APIError("InvalidParameterValue", "lbnet does not implement the instance attribute \(attribute) yet")
        }
        return [.text("instanceId", identity.instanceId(instance.name)), value]
    }

    func describeInstanceCreditSpecifications(_ p: QueryParameters) throws(APIError) -> [XMLNode] {
        try EC2InstanceCalls.refuseUnknown(p, "DescribeInstanceCreditSpecifications", known: ["InstanceId.", "Filter.", "MaxResults", "NextToken"])
        let filters = try EC2Filter.of(p, known: ["instance-id"])
        let asked = p.ec2List("InstanceId")
        let chosen = asked.isEmpty ? instances : try instances(asked)
        // Only burstable instances have CPU credits; EC2 leaves the others out.
        let items: [[XMLNode]] = chosen.compactMap { placed in
            let id = identity.instanceId(placed.instance.name)
            guard let type = InstanceType.named(instanceType(placed.instance)), let standard = type.defaultCpuCredits,
                  EC2Filter.matches(filters, ["instance-id": [id]]) else { return nil }
            return [.text("instanceId", id), .text("cpuCredits", placed.instance.cpuCredits ?? standard)]
        }
        let page = try APIPage(marker: p["NextToken"], size: p["MaxResults"], limit: 5...1000, sizeName: "MaxResults")
        let (shown, next) = page.slice(items)
        return [.items("instanceCreditSpecificationSet", shown)] + XMLNode.field("nextToken", next)
    }

    // MARK: Instance types, volumes, tags

    func describeInstanceTypes(_ p: QueryParameters) throws(APIError) -> [XMLNode] {
        try EC2InstanceCalls.refuseUnknown(p, "DescribeInstanceTypes", known: ["InstanceType.", "Filter.", "MaxResults", "NextToken"])
        let filters = try EC2Filter.of(p, known: ["instance-type", "vcpu-info.default-vcpus", "memory-info.size-in-mib",
                                                  "burstable-performance-supported", "current-generation"])
        let asked = p.ec2List("InstanceType")
        let unknown = asked.filter { InstanceType.named($0) == nil }
        guard unknown.isEmpty else {
            throw APIError("InvalidInstanceType", "The following supplied instance types do not exist: [\(unknown.joined(separator: ", "))]")
        }
        let types = InstanceType.known.filter { type in
            (asked.isEmpty || asked.contains(type.name)) && EC2Filter.matches(filters, [
                "instance-type": [type.name], "vcpu-info.default-vcpus": [String(type.vCPUs)],
                "memory-info.size-in-mib": [String(type.memoryMiB)], "burstable-performance-supported": [String(type.isBurstable)],
                "current-generation": [String(type.isCurrentGeneration)],
            ])
        }
        let page = try APIPage(marker: p["NextToken"], size: p["MaxResults"], limit: 5...100, sizeName: "MaxResults")
        let (shown, next) = page.slice(types)
        return [.items("instanceTypeSet", shown.map(Self.typeShape))] + XMLNode.field("nextToken", next)
    }

    /// The `InstanceTypeInfo` shape.
    static func typeShape(_ type: InstanceType) -> [XMLNode] {
        [
            .text("instanceType", type.name), .text("currentGeneration", String(type.isCurrentGeneration)),
            .text("freeTierEligible", String(["t2.micro", "t3.micro"].contains(type.name))),
            XMLNode.element("supportedUsageClasses", [.text("item", "on-demand")]),
            XMLNode.element("supportedRootDeviceTypes", [.text("item", "ebs")]),
            XMLNode.element("supportedVirtualizationTypes", [.text("item", "hvm")]),
            .text("bareMetal", "false"), .text("hypervisor", type.isCurrentGeneration ? "nitro" : "xen"),
            .element("processorInfo", [XMLNode.element("supportedArchitectures", [.text("item", "x86_64")])]),
            .element("vCpuInfo", [.text("defaultVCpus", String(type.vCPUs))]),
            .element("memoryInfo", [.text("sizeInMiB", String(type.memoryMiB))]),
            .text("instanceStorageSupported", "false"),
            .text("burstablePerformanceSupported", String(type.isBurstable)), .text("hibernationSupported", "false"),
            .text("dedicatedHostsSupported", "false"), .text("autoRecoverySupported", "true"),
        ]
    }

    /// lbnet instances have no EBS volumes: every listing is empty, every named volume unknown.
    func describeVolumes(_ p: QueryParameters) throws(APIError) -> [XMLNode] {
        try EC2InstanceCalls.refuseUnknown(p, "DescribeVolumes", known: ["VolumeId.", "Filter.", "MaxResults", "NextToken"])
        _ = try EC2Filter.of(p, known: ["attachment.instance-id", "attachment.device", "attachment.status", "volume-id",
                                        "availability-zone", "status", "volume-type", "size", "tag:", "tag-key"])
        if let volume = p.ec2List("VolumeId").first {
            throw APIError("InvalidVolume.NotFound", "The volume '\(volume)' does not exist.")
        }
        return [.items("volumeSet", [])]
    }
}
