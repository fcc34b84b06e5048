import CLibnl

/// rtnetlink values lbnet sets and reads (`linux/rtnetlink.h`, `net/if.h`).
public enum RouteConstants {
    public static let interfaceUp: UInt32 = 0x1
    public static let tableMain = UInt8(RT_TABLE_MAIN.rawValue)
    public static let protocolStatic = UInt8(RTPROT_STATIC)
    public static let scopeUniverse = UInt8(RT_SCOPE_UNIVERSE.rawValue)
    public static let scopeLink = UInt8(RT_SCOPE_LINK.rawValue)
    public static let routeTypeUnicast = UInt8(RTN_UNICAST)
}
