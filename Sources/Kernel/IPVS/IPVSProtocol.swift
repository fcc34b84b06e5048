/// The transport protocol of an IPVS service (the IP protocol number on the wire).
public enum IPVSProtocol: UInt16, Hashable, Comparable, Sendable, CustomStringConvertible {
    case tcp = 6
    case udp = 17

    public var description: String {
        switch self {
        case .tcp: "TCP"
        case .udp: "UDP"
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
