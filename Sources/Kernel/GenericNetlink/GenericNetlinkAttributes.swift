import CLibnl

/// The attributes of a received generic netlink message, or of one nested attribute, as
/// libnl parsed and checked them against a policy (`genlmsg_parse`, `nla_parse_nested`): an
/// attribute of the wrong size makes the whole message unreadable rather than misread. The
/// pointers point into the received bytes, so a value is used only inside
/// `GenericNetlinkAttributes.parse`'s closure.
struct GenericNetlinkAttributes {
    private var table: [UnsafeMutablePointer<nlattr>?]

    /// A policy for attributes `1...maximum`: each listed type's libnl kind (`NLA_U16`, …)
    /// and, for binary ones, its minimum length; others are not checked.
    static func policy(maximum: Int32, _ entries: [Int32: (kind: Int, minimumLength: UInt16)]) -> [nla_policy] {
        (0...maximum).map { type in
            entries[type].map { nla_policy(type: UInt16($0.kind), minlen: $0.minimumLength, maxlen: 0) } ?? nla_policy()
        }
    }

    /// Calls `body` with the attributes after the `genlmsg_hdr` of `message`; `nil` when libnl
    /// finds them malformed.
    static func parse<T>(_ message: NetlinkMessage, policy: [nla_policy], _ body: (GenericNetlinkAttributes) -> T?) -> T? {
        message.withHeader { header in
            var table = [UnsafeMutablePointer<nlattr>?](repeating: nil, count: policy.count)
            var policy = policy
            guard genlmsg_parse(UnsafeMutablePointer(mutating: header), 0, &table, Int32(policy.count - 1), &policy) == 0 else {
                return nil
            }
            return body(GenericNetlinkAttributes(table: table))
        }
    }

    subscript(type: Int32) -> UnsafeMutablePointer<nlattr>? {
        type >= 0 && Int(type) < table.count ? table[Int(type)] : nil
    }

    /// The attributes nested in `type`; `nil` when it is absent or malformed.
    func nested(_ type: Int32, policy: [nla_policy]) -> GenericNetlinkAttributes? {
        guard let attribute = self[type] else { return nil }
        var table = [UnsafeMutablePointer<nlattr>?](repeating: nil, count: policy.count)
        var policy = policy
        guard nla_parse_nested(&table, Int32(policy.count - 1), attribute, &policy) == 0 else { return nil }
        return GenericNetlinkAttributes(table: table)
    }

    func uint16(_ type: Int32) -> UInt16? { self[type].map { nla_get_u16($0) } }
    func uint32(_ type: Int32) -> UInt32? { self[type].map { nla_get_u32($0) } }
    func uint64(_ type: Int32) -> UInt64? { self[type].map { nla_get_u64($0) } }
    /// A 16-bit value sent in network byte order (ports).
    func bigEndianUInt16(_ type: Int32) -> UInt16? { uint16(type).map { UInt16(bigEndian: $0) } }
    func string(_ type: Int32) -> String? { self[type].map { String(cString: nla_get_string($0)) } }

    /// The first four bytes of `type`: an IPv4 address in network order (alone, or at the
    /// start of a 16-byte `union nf_inet_addr`).
    func ipv4(_ type: Int32) -> IPv4Address? {
        guard let attribute = self[type], nla_len(attribute) >= 4, let data = nla_data(attribute) else { return nil }
        return IPv4Address(bytes: Array(UnsafeRawBufferPointer(start: data, count: 4)))
    }
}
