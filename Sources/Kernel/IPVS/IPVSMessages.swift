/// Builders for the IPVS generic netlink requests lbnet sends; pure functions of their
/// arguments and of the family id the controller assigned, so their bytes can be checked
/// against golden values without a kernel.
public enum IPVSMessages {
    typealias C = IPVSConstants
    static let changeFlags = NetlinkConstants.Flags.request | NetlinkConstants.Flags.ack
    static let dumpFlags = NetlinkConstants.Flags.request | NetlinkConstants.Flags.dump

    static func encoder(family: UInt16, command: UInt8, flags: UInt16 = changeFlags) -> NetlinkEncoder {
        GenericNetlinkMessage.encoder(family: family, command: command, version: C.version, flags: flags)
    }

    /// An IPv4 address as `union nf_inet_addr`: four bytes in network order, then zeros.
    static func addressBytes(_ address: IPv4Address) -> [UInt8] {
        address.bytes + [UInt8](repeating: 0, count: C.addressLength - 4)
    }

    /// `struct ip_vs_flags { u32 flags; u32 mask; }`: the kernel sets the bits of `mask` to `flags`.
    static func flagsPayload(_ flags: UInt32, mask: UInt32) -> [UInt8] {
        withUnsafeBytes(of: flags.littleEndian, Array.init) + withUnsafeBytes(of: mask.littleEndian, Array.init)
    }

    /// `IPVS_CMD_ATTR_SERVICE` with the service's identity and, when `full`, the settings
    /// NEW_SERVICE and SET_SERVICE require (without any of them the kernel answers EINVAL).
    static func appendService(_ service: IPVSService, full: Bool, to encoder: inout NetlinkEncoder) {
        encoder.nested(C.CommandAttribute.service, flagNested: true) { e in
            e.attribute(C.ServiceAttribute.addressFamily, uint16: C.addressFamilyIPv4)
            e.attribute(C.ServiceAttribute.protocol, uint16: service.protocol.rawValue)
            e.attribute(C.ServiceAttribute.address, addressBytes(service.address))
            e.attribute(C.ServiceAttribute.port, bigEndianUInt16: service.port)
            guard full else { return }
            e.attribute(C.ServiceAttribute.schedulerName, string: service.scheduler.rawValue)
            let flags = service.flags.rawValue | (service.timeout > 0 ? C.persistentFlag : 0)
            e.attribute(C.ServiceAttribute.flags, flagsPayload(flags, mask: 0xffff_ffff))
            e.attribute(C.ServiceAttribute.timeout, uint32: service.timeout)
            e.attribute(C.ServiceAttribute.netmask, uint32: C.hostNetmask)
        }
    }

    /// `IPVS_CMD_ATTR_DEST` with the destination's address and port and, when `full`, the
    /// settings NEW_DEST and SET_DEST require.
    static func appendDestination(_ destination: IPVSDestination, full: Bool, to encoder: inout NetlinkEncoder) {
        encoder.nested(C.CommandAttribute.destination, flagNested: true) { e in
            e.attribute(C.DestinationAttribute.address, addressBytes(destination.address))
            e.attribute(C.DestinationAttribute.port, bigEndianUInt16: destination.port)
            if full {
                e.attribute(C.DestinationAttribute.forwardingMethod, uint32: destination.forwarding.rawValue)
                e.attribute(C.DestinationAttribute.weight, uint32: destination.weight)
                e.attribute(C.DestinationAttribute.upperThreshold, uint32: 0)
                e.attribute(C.DestinationAttribute.lowerThreshold, uint32: 0)
            }
            e.attribute(C.DestinationAttribute.addressFamily, uint16: C.addressFamilyIPv4)
        }
    }

    static func serviceRequest(_ command: UInt8, _ service: IPVSService, full: Bool, family: UInt16, operation: String) -> NetlinkRequest {
        var e = encoder(family: family, command: command)
        appendService(service, full: full, to: &e)
        return NetlinkRequest(e, operation: operation)
    }

    static func destinationRequest(_ command: UInt8, _ destination: IPVSDestination, service: IPVSService, full: Bool,
                                   family: UInt16, operation: String) -> NetlinkRequest {
        var e = encoder(family: family, command: command)
        appendService(service, full: false, to: &e)
        appendDestination(destination, full: full, to: &e)
        return NetlinkRequest(e, operation: operation)
    }

    /// The request that carries out `change`; its operation is the change's description.
    public static func request(for change: IPVSChange, family: UInt16) -> NetlinkRequest {
        let operation = change.description
        switch change {
        case .addService(let service):
            return serviceRequest(C.Command.newService, service, full: true, family: family, operation: operation)
        case .updateService(let service):
            return serviceRequest(C.Command.setService, service, full: true, family: family, operation: operation)
        case .deleteService(let service):
            return serviceRequest(C.Command.deleteService, service, full: false, family: family, operation: operation)
        case .addDestination(let destination, let service):
            return destinationRequest(C.Command.newDestination, destination, service: service, full: true,
                                      family: family, operation: operation)
        case .updateDestination(let destination, let service):
            return destinationRequest(C.Command.setDestination, destination, service: service, full: true,
                                      family: family, operation: operation)
        case .deleteDestination(let destination, let service):
            return destinationRequest(C.Command.deleteDestination, destination, service: service, full: false,
                                      family: family, operation: operation)
        case .setTCPTimeout(let seconds):
            var e = encoder(family: family, command: C.Command.setConfig)
            e.attribute(C.CommandAttribute.timeoutTCP, uint32: seconds)
            return NetlinkRequest(e, operation: operation)
        }
    }

    public static func newService(_ service: IPVSService, family: UInt16) -> NetlinkRequest {
        request(for: .addService(service), family: family)
    }

    public static func setService(_ service: IPVSService, family: UInt16) -> NetlinkRequest {
        request(for: .updateService(service), family: family)
    }

    public static func deleteService(_ service: IPVSService, family: UInt16) -> NetlinkRequest {
        request(for: .deleteService(service), family: family)
    }

    public static func newDestination(_ destination: IPVSDestination, in service: IPVSService, family: UInt16) -> NetlinkRequest {
        request(for: .addDestination(destination, service: service), family: family)
    }

    public static func setDestination(_ destination: IPVSDestination, in service: IPVSService, family: UInt16) -> NetlinkRequest {
        request(for: .updateDestination(destination, service: service), family: family)
    }

    public static func deleteDestination(_ destination: IPVSDestination, from service: IPVSService, family: UInt16) -> NetlinkRequest {
        request(for: .deleteDestination(destination, service: service), family: family)
    }

    /// Deletes every service (and destination) of the namespace's table.
    public static func flush(family: UInt16) -> NetlinkRequest {
        NetlinkRequest(encoder(family: family, command: C.Command.flush), operation: "flushing the IPVS table")
    }

    /// `IPVS_CMD_GET_CONFIG`: the namespace's timeouts, answered in one message.
    public static func getConfig(family: UInt16) -> NetlinkRequest {
        NetlinkRequest(encoder(family: family, command: C.Command.getConfig), operation: "reading the IPVS timeouts")
    }

    public static func dumpServices(family: UInt16) -> NetlinkEncoder {
        encoder(family: family, command: C.Command.getService, flags: dumpFlags)
    }

    public static func dumpDestinations(of service: IPVSService, family: UInt16) -> NetlinkEncoder {
        var e = encoder(family: family, command: C.Command.getDestination, flags: dumpFlags)
        appendService(service, full: false, to: &e)
        return e
    }
}
