/// Expression sequences for the matches lbnet's rules use, written as `nft` would compile them
/// (so `nft list ruleset` prints them back in their usual form). Each uses register 1.
public enum NFTMatch {
    /// Offsets of the IPv4 source and destination address in the network header.
    public static let ipv4SourceOffset: UInt32 = 12
    public static let ipv4DestinationOffset: UInt32 = 16

    /// `ip daddr <address>`
    public static func ipDestination(_ address: IPv4Address) -> [NFTExpression] {
        [.payload(.network, offset: ipv4DestinationOffset, length: 4, into: .register(1)),
         .compare(.register(1), .equal, data: address.bytes)]
    }

    /// `ip saddr <network>` or `ip daddr <network>` (by `offset`): nothing for `/0`, the address
    /// for `/32`, else the address under the network's mask.
    public static func ipNetwork(_ network: IPv4Network, at offset: UInt32) -> [NFTExpression] {
        switch network.prefixLength {
        case 0:
            return []
        case 32:
            return [.payload(.network, offset: offset, length: 4, into: .register(1)),
                    .compare(.register(1), .equal, data: network.network.bytes)]
        default:
            return [.payload(.network, offset: offset, length: 4, into: .register(1)),
                    .bitwise(.register(1), mask: IPv4Address(network.netmask).bytes, xor: [0, 0, 0, 0], into: .register(1)),
                    .compare(.register(1), .equal, data: network.network.bytes)]
        }
    }

    /// `th dport <first>-<last>` as two comparisons (after a `layer4Protocol` match).
    public static func transportDestinationPorts(_ range: ClosedRange<UInt16>) -> [NFTExpression] {
        if range.lowerBound == range.upperBound { return transportDestinationPort(range.lowerBound) }
        return [.payload(.transport, offset: 2, length: 2, into: .register(1)),
                .compare(.register(1), .greaterOrEqual, data: bigEndian(range.lowerBound)),
                .compare(.register(1), .lessOrEqual, data: bigEndian(range.upperBound))]
    }

    /// One byte of the transport header equals `value` (ICMP type at 0, code at 1).
    public static func transportByte(at offset: UInt32, equals value: UInt8) -> [NFTExpression] {
        [.payload(.transport, offset: offset, length: 1, into: .register(1)), .compare(.register(1), .equal, data: [value])]
    }

    static func bigEndian(_ port: UInt16) -> [UInt8] { [UInt8(port >> 8), UInt8(port & 0xff)] }

    /// `meta l4proto <number>` (6 for TCP, 17 for UDP).
    public static func layer4Protocol(_ number: UInt8) -> [NFTExpression] {
        [.meta(.layer4Protocol, into: .register(1)), .compare(.register(1), .equal, data: [number])]
    }

    /// `ct mark <value>`: the connection's mark (host byte order).
    public static func conntrackMark(_ value: UInt32) -> [NFTExpression] {
        [.conntrack(.mark, into: .register(1)), .compare(.register(1), .equal, data: hostOrder(value))]
    }

    /// `meta mark <value>`: the packet's firewall mark (host byte order).
    public static func mark(_ value: UInt32) -> [NFTExpression] {
        [.meta(.mark, into: .register(1)), .compare(.register(1), .equal, data: hostOrder(value))]
    }

    /// `th dport <port>`: the destination port of TCP or UDP (after a `layer4Protocol` match).
    public static func transportDestinationPort(_ port: UInt16) -> [NFTExpression] {
        [.payload(.transport, offset: 2, length: 2, into: .register(1)),
         .compare(.register(1), .equal, data: bigEndian(port))]
    }

    /// `iifname "<name>"`: the exact interface name, NUL-padded to `IFNAMSIZ` as nft does.
    public static func inputInterface(_ name: String) -> [NFTExpression] {
        [.meta(.inputInterfaceName, into: .register(1)), .compare(.register(1), .equal, data: interfaceNameBytes(name))]
    }

    /// `ct state new`: the packet opens a connection.
    public static let conntrackStateNew: [NFTExpression] = [
        .conntrack(.state, into: .register(1)),
        .bitwise(.register(1), mask: hostOrder(conntrackStateNewBit), xor: hostOrder(0), into: .register(1)),
        .compare(.register(1), .notEqual, data: hostOrder(0)),
    ]

    /// `NF_CT_STATE_BIT(IP_CT_NEW)`.
    static let conntrackStateNewBit: UInt32 = 1 << 3

    /// `oifname "<name>"`: the exact interface name, NUL-padded to `IFNAMSIZ` as nft does.
    public static func outputInterface(_ name: String) -> [NFTExpression] {
        [.meta(.outputInterfaceName, into: .register(1)), .compare(.register(1), .equal, data: interfaceNameBytes(name))]
    }

    /// `ct status <bit>`: any of `bits` is set in the connection's status (host byte order).
    public static func conntrackStatus(_ bits: UInt32) -> [NFTExpression] {
        [.conntrack(.status, into: .register(1)),
         .bitwise(.register(1), mask: hostOrder(bits), xor: hostOrder(0), into: .register(1)),
         .compare(.register(1), .notEqual, data: hostOrder(0))]
    }

    /// `ct direction original` (from the side that opened the connection) or `ct direction reply`.
    public static func conntrackDirection(reply: Bool) -> [NFTExpression] {
        [.conntrack(.direction, into: .register(1)), .compare(.register(1), .equal, data: [reply ? 1 : 0])]
    }

    /// `ct original ip daddr <address> meta l4proto <protocol> ct original proto-dst <port>`:
    /// the connection was opened to `address` and `port`, whatever NAT made of it since (the
    /// protocol comes before the port, as nft writes it, so `nft list` can show the port).
    public static func conntrackOriginalDestination(_ address: IPv4Address, protocol number: UInt8, port: UInt16) -> [NFTExpression] {
        [.conntrackOriginal(.destinationAddress, into: .register(1)), .compare(.register(1), .equal, data: address.bytes)]
            + layer4Protocol(number)
            + [.conntrackOriginal(.destinationPort, into: .register(1)), .compare(.register(1), .equal, data: bigEndian(port))]
    }

    /// `ct original ip daddr != <address>`: the connection was opened to another address.
    public static func conntrackOriginalDestination(not address: IPv4Address) -> [NFTExpression] {
        [.conntrackOriginal(.destinationAddress, into: .register(1)), .compare(.register(1), .notEqual, data: address.bytes)]
    }

    /// `tcp flags & rst != 0`: a TCP reset (after a TCP `layer4Protocol` match).
    public static let tcpReset: [NFTExpression] = [
        .payload(.transport, offset: 13, length: 1, into: .register(1)),
        .bitwise(.register(1), mask: [0x04], xor: [0], into: .register(1)),
        .compare(.register(1), .notEqual, data: [0]),
    ]

    /// `tcp flags & (fin | syn | rst | ack) == syn`: the first packet of a TCP handshake (after a
    /// TCP `layer4Protocol` match).
    public static let tcpSYN: [NFTExpression] = [
        .payload(.transport, offset: 13, length: 1, into: .register(1)),
        .bitwise(.register(1), mask: [0x17], xor: [0], into: .register(1)),
        .compare(.register(1), .equal, data: [0x02]),
    ]

    /// `IPS_DST_NAT` from `linux/netfilter/nf_conntrack_common.h`: the connection was DNATed.
    public static let conntrackStatusDestinationNAT: UInt32 = 1 << 5

    /// The `IFNAMSIZ` (16) bytes the kernel compares an interface name in.
    static func interfaceNameBytes(_ name: String) -> [UInt8] {
        let utf8 = Array(name.utf8.prefix(15))
        return utf8 + [UInt8](repeating: 0, count: 16 - utf8.count)
    }

    /// A 32-bit value as registers hold marks, states and statuses: host byte order.
    public static func hostOrder(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value, Array.init) }
}
