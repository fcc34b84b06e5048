import CLibnl

/// rtnetlink values lbnet sets and reads (`linux/rtnetlink.h`, `net/if.h`).
public enum RouteConstants {
    public static let interfaceUp: UInt32 = 0x1
    public static let tableMain = UInt8(RT_TABLE_MAIN.rawValue)
    /// The `local` table, the kernel's own routes to the namespace's addresses.
    public static let tableLocal = UInt32(RT_TABLE_LOCAL.rawValue)
    /// A route's next hop is on the link even though no address of the link covers it.
    public static let nexthopOnLink = UInt32(RTNH_F_ONLINK)
    /// An address without the route to its prefix (`noprefixroute`): only its host route.
    public static let addressNoPrefixRoute = UInt32(IFA_F_NOPREFIXROUTE)
    public static let protocolStatic = UInt8(RTPROT_STATIC)
    public static let scopeUniverse = UInt8(RT_SCOPE_UNIVERSE.rawValue)
    public static let scopeLink = UInt8(RT_SCOPE_LINK.rawValue)
    public static let scopeHost = UInt8(RT_SCOPE_HOST.rawValue)
    public static let routeTypeUnicast = UInt8(RTN_UNICAST)
    /// A route that delivers to this host whatever the destination (`local`, as TPROXY uses).
    public static let routeTypeLocal = UInt8(RTN_LOCAL)
}
