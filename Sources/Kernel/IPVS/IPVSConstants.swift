import CLibnl

/// IPVS values lbnet sets (`linux/ip_vs.h` names the commands and attributes).
public enum IPVSConstants {
    public static let familyName = IPVS_GENL_NAME
    public static let version = UInt8(IPVS_GENL_VERSION)
    public static let addressFamilyIPv4 = UInt16(AF_INET)
    /// `union nf_inet_addr`: addresses are always sent as 16 bytes, IPv4 in the first four.
    public static let addressLength = 16
    /// The persistence netmask of an IPv4 service (`/32`: one client address per entry).
    public static let hostNetmask: UInt32 = 0xffff_ffff
    /// `IP_VS_SVC_F_PERSISTENT`: without it the service's timeout is ignored.
    public static let persistentFlag = UInt32(IP_VS_SVC_F_PERSISTENT)
}
