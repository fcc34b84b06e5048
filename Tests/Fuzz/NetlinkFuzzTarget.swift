import Kernel

/// Any bytes as a netlink datagram from the kernel: split into messages, error answers read,
/// attributes walked (nested ones too) and conntrack dump replies decoded, never a crash or an
/// out-of-bounds read, however the lengths lie.
struct NetlinkFuzzTarget: FuzzTarget {
    static let name = "netlink"

    func run(_ input: [UInt8]) {
        for message in NetlinkMessage.split(input) {
            _ = message.errorCode
            _ = ConntrackFlows.entry(message)
            walk(NetlinkAttributes(message.payload[...]), depth: 0)
        }
    }

    private func walk(_ attributes: NetlinkAttributes, depth: Int) {
        for attribute in attributes {
            _ = (attribute.uint8, attribute.uint16, attribute.uint32, attribute.uint64, attribute.string, attribute.ipv4)
            if depth < 4 { walk(attribute.nested, depth: depth + 1) }
        }
    }
}
