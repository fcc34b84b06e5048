import CLibnl
#if canImport(Glibc)
import Glibc
#endif

/// IPv4 addresses to and from libnl's `struct nl_addr`.
enum LibnlAddress {
    /// A new `nl_addr` (the caller puts it) holding `address` with `prefixLength`; for a /0
    /// network it holds no address bytes at all, as libnl's own "default" does, so that
    /// route messages carry no `RTA_DST`.
    static func make(_ address: IPv4Address, prefixLength: Int) -> OpaquePointer {
        let made: OpaquePointer?
        if prefixLength == 0 && address == IPv4Address(0) {
            made = nl_addr_alloc(0)
            if let made { nl_addr_set_family(made, AF_INET) }
        } else {
            made = address.bytes.withUnsafeBytes { nl_addr_build(AF_INET, $0.baseAddress, 4) }
        }
        guard let made else { preconditionFailure("libnl could not allocate an address") }
        nl_addr_set_prefixlen(made, Int32(prefixLength))
        return made
    }

    /// The IPv4 address `address` holds: `0.0.0.0` when it holds no bytes (a default route's
    /// destination), `nil` when it is not an IPv4 address.
    static func ipv4(_ address: OpaquePointer?) -> IPv4Address? {
        guard let address, nl_addr_get_family(address) == AF_INET else { return nil }
        let length = Int(nl_addr_get_len(address))
        if length == 0 { return IPv4Address(0) }
        guard length == 4, let data = nl_addr_get_binary_addr(address) else { return nil }
        return IPv4Address(bytes: Array(UnsafeRawBufferPointer(start: data, count: 4)))
    }
}
