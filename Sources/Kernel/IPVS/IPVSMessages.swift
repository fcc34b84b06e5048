import CLibnl

/// Builders for the IPVS generic netlink requests lbnet sends, with libnl-genl-3 and the
/// attributes ipvsadm's libipvs sends; pure functions of their arguments and of the family id
/// the controller assigned, so their bytes can be checked against golden values without a kernel.
public enum IPVSMessages {
    typealias C = IPVSConstants

    static func request(family: UInt16, command: Int, flags: Int32 = 0, operation: String,
                        completion: NetlinkRequest.Completion = .acknowledgement,
                        _ attributes: (OpaquePointer) -> Int32 = { _ in 0 }) -> NetlinkRequest {
        GenericNetlinkMessage.request(family: family, command: UInt8(command), version: C.version, flags: flags,
                                      operation: operation, completion: completion, attributes)
    }

    /// The first error of libnl's `nla_put*` calls, or 0.
    static func all(_ codes: Int32...) -> Int32 { codes.first { $0 < 0 } ?? 0 }

    /// An IPv4 address as `union nf_inet_addr`: four bytes in network order, then zeros.
    static func putAddress(_ message: OpaquePointer, _ type: Int, _ address: IPv4Address) -> Int32 {
        let bytes = address.bytes + [UInt8](repeating: 0, count: C.addressLength - 4)
        return bytes.withUnsafeBytes { nla_put(message, Int32(type), Int32($0.count), $0.baseAddress) }
    }

    /// `IPVS_CMD_ATTR_SERVICE` with the service's identity and, when `full`, the settings
    /// NEW_SERVICE and SET_SERVICE require (without any of them the kernel answers EINVAL).
    static func putService(_ message: OpaquePointer, _ service: IPVSService, full: Bool) -> Int32 {
        GenericNetlinkMessage.nest(message, Int32(IPVS_CMD_ATTR_SERVICE)) { m in
            // A firewall-mark service is its mark; an address service its protocol, address and port.
            let identity = all(
                nla_put_u16(m, Int32(IPVS_SVC_ATTR_AF), C.addressFamilyIPv4),
                service.firewallMark.map { nla_put_u32(m, Int32(IPVS_SVC_ATTR_FWMARK), $0) } ?? all(
                    nla_put_u16(m, Int32(IPVS_SVC_ATTR_PROTOCOL), service.protocol.rawValue),
                    putAddress(m, IPVS_SVC_ATTR_ADDR, service.address),
                    nla_put_u16(m, Int32(IPVS_SVC_ATTR_PORT), service.port.bigEndian)))
            guard full, identity >= 0 else { return identity }
            // `struct ip_vs_flags { u32 flags; u32 mask; }`: the kernel sets the bits of `mask` to `flags`.
            var flags = ip_vs_flags(flags: service.flags.rawValue | (service.timeout > 0 ? C.persistentFlag : 0), mask: 0xffff_ffff)
            return all(
                nla_put_string(m, Int32(IPVS_SVC_ATTR_SCHED_NAME), service.scheduler.rawValue),
                nla_put(m, Int32(IPVS_SVC_ATTR_FLAGS), Int32(MemoryLayout<ip_vs_flags>.size), &flags),
                nla_put_u32(m, Int32(IPVS_SVC_ATTR_TIMEOUT), service.timeout),
                nla_put_u32(m, Int32(IPVS_SVC_ATTR_NETMASK), C.hostNetmask))
        }
    }

    /// `IPVS_CMD_ATTR_DEST` with the destination's address and port and, when `full`, the
    /// settings NEW_DEST and SET_DEST require.
    static func putDestination(_ message: OpaquePointer, _ destination: IPVSDestination, full: Bool) -> Int32 {
        GenericNetlinkMessage.nest(message, Int32(IPVS_CMD_ATTR_DEST)) { m in
            let identity = all(
                putAddress(m, IPVS_DEST_ATTR_ADDR, destination.address),
                nla_put_u16(m, Int32(IPVS_DEST_ATTR_PORT), destination.port.bigEndian))
            let settings = !full ? 0 : all(
                nla_put_u32(m, Int32(IPVS_DEST_ATTR_FWD_METHOD), destination.forwarding.rawValue),
                nla_put_u32(m, Int32(IPVS_DEST_ATTR_WEIGHT), destination.weight),
                nla_put_u32(m, Int32(IPVS_DEST_ATTR_U_THRESH), 0),
                nla_put_u32(m, Int32(IPVS_DEST_ATTR_L_THRESH), 0))
            return all(identity, settings, nla_put_u16(m, Int32(IPVS_DEST_ATTR_ADDR_FAMILY), C.addressFamilyIPv4))
        }
    }

    /// The request that carries out `change`; its operation is the change's description.
    public static func request(for change: IPVSChange, family: UInt16) -> NetlinkRequest {
        let operation = change.description
        func service(_ command: Int, _ service: IPVSService, full: Bool) -> NetlinkRequest {
            request(family: family, command: command, operation: operation) { putService($0, service, full: full) }
        }
        func destination(_ command: Int, _ destination: IPVSDestination, _ service: IPVSService, full: Bool) -> NetlinkRequest {
            request(family: family, command: command, operation: operation) {
                all(putService($0, service, full: false), putDestination($0, destination, full: full))
            }
        }
        switch change {
        case .addService(let s): return service(IPVS_CMD_NEW_SERVICE, s, full: true)
        case .updateService(let s): return service(IPVS_CMD_SET_SERVICE, s, full: true)
        case .deleteService(let s): return service(IPVS_CMD_DEL_SERVICE, s, full: false)
        case .addDestination(let d, let s): return destination(IPVS_CMD_NEW_DEST, d, s, full: true)
        case .updateDestination(let d, let s): return destination(IPVS_CMD_SET_DEST, d, s, full: true)
        case .deleteDestination(let d, let s): return destination(IPVS_CMD_DEL_DEST, d, s, full: false)
        case .setTCPTimeout(let seconds):
            return request(family: family, command: IPVS_CMD_SET_CONFIG, operation: operation) {
                nla_put_u32($0, Int32(IPVS_CMD_ATTR_TIMEOUT_TCP), seconds)
            }
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
        request(family: family, command: IPVS_CMD_FLUSH, operation: "flushing the IPVS table")
    }

    /// `IPVS_CMD_GET_CONFIG`: the namespace's timeouts, answered in one message.
    public static func getConfig(family: UInt16) -> NetlinkRequest {
        request(family: family, command: IPVS_CMD_GET_CONFIG, operation: "reading the IPVS timeouts")
    }

    public static func dumpServices(family: UInt16) -> NetlinkRequest {
        request(family: family, command: IPVS_CMD_GET_SERVICE, flags: NLM_F_DUMP, operation: "dumping IPVS services",
                completion: .dump)
    }

    public static func dumpDestinations(of service: IPVSService, family: UInt16) -> NetlinkRequest {
        request(family: family, command: IPVS_CMD_GET_DEST, flags: NLM_F_DUMP, operation: "dumping IPVS destinations of \(service)",
                completion: .dump) { putService($0, service, full: false) }
    }
}
