#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import NIOCore

/// An IPv4 or IPv6 network in CIDR notation, for `source-ip` conditions.
struct CIDRBlock: Sendable, Equatable {
    /// The network address, 4 or 16 bytes, host bits cleared.
    let network: [UInt8]
    let prefixLength: Int

    /// Parses `a.b.c.d/n` or `x:y::z/n`; nil when it is not a CIDR block.
    init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let bytes = IPAddressBytes.parse(String(parts[0])),
            let length = Int(parts[1]), (0...bytes.count * 8).contains(length), parts[1].allSatisfy(\.isNumber)
        else { return nil }
        prefixLength = length
        network = Self.masked(bytes, prefixLength: length)
    }

    /// Whether `address` (4 or 16 bytes; IPv4-mapped IPv6 counts as IPv4) is inside the block.
    func contains(_ address: [UInt8]) -> Bool {
        let address = IPAddressBytes.unmapped(address)
        guard address.count == network.count else { return false }
        return Self.masked(address, prefixLength: prefixLength) == network
    }

    private static func masked(_ bytes: [UInt8], prefixLength: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let bitsInByte = max(0, min(8, prefixLength - index * 8))
            let mask: UInt8 = bitsInByte == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - bitsInByte))
            return byte & mask
        }
    }
}

/// Conversions between textual and socket addresses and their raw bytes.
enum IPAddressBytes {
    /// The 4 or 16 bytes of an IPv4 or IPv6 literal, or nil.
    static func parse(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    /// The bytes of a socket address's IP, or nil for Unix sockets.
    static func of(_ address: SocketAddress) -> [UInt8]? {
        switch address {
        case .v4(let v4):
            var raw = v4.address.sin_addr
            return withUnsafeBytes(of: &raw) { Array($0) }
        case .v6(let v6):
            var raw = v6.address.sin6_addr
            return unmapped(withUnsafeBytes(of: &raw) { Array($0) })
        case .unixDomainSocket:
            return nil
        }
    }

    /// IPv4-mapped IPv6 (`::ffff:a.b.c.d`) as its 4 IPv4 bytes; anything else unchanged.
    static func unmapped(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF
        else { return bytes }
        return Array(bytes[12..<16])
    }
}
