/// IPVS generic netlink commands, attributes and values (`linux/ip_vs.h`).
public enum IPVSConstants {
    public static let familyName = "IPVS"
    public static let version: UInt8 = 1
    public static let addressFamilyIPv4: UInt16 = 2
    /// `union nf_inet_addr`: addresses are always sent as 16 bytes, IPv4 in the first four.
    public static let addressLength = 16
    /// The persistence netmask of an IPv4 service (`/32`: one client address per entry).
    public static let hostNetmask: UInt32 = 0xffff_ffff
    /// `IP_VS_SVC_F_PERSISTENT`: without it the service's timeout is ignored.
    public static let persistentFlag: UInt32 = 0x0001

    public enum Command {
        public static let newService: UInt8 = 1
        public static let setService: UInt8 = 2
        public static let deleteService: UInt8 = 3
        public static let getService: UInt8 = 4
        public static let newDestination: UInt8 = 5
        public static let setDestination: UInt8 = 6
        public static let deleteDestination: UInt8 = 7
        public static let getDestination: UInt8 = 8
        public static let setConfig: UInt8 = 12
        public static let getConfig: UInt8 = 13
        public static let flush: UInt8 = 17
    }

    public enum CommandAttribute {
        public static let service: UInt16 = 1
        public static let destination: UInt16 = 2
        /// `IPVS_CMD_ATTR_TIMEOUT_TCP`: seconds an idle established TCP connection lives (per netns).
        public static let timeoutTCP: UInt16 = 4
    }

    public enum ServiceAttribute {
        public static let addressFamily: UInt16 = 1
        public static let `protocol`: UInt16 = 2
        public static let address: UInt16 = 3
        public static let port: UInt16 = 4
        public static let firewallMark: UInt16 = 5
        public static let schedulerName: UInt16 = 6
        public static let flags: UInt16 = 7
        public static let timeout: UInt16 = 8
        public static let netmask: UInt16 = 9
        /// `IPVS_SVC_ATTR_STATS64`: nested ``StatsAttribute``s, all 64-bit.
        public static let stats64: UInt16 = 12
    }

    public enum DestinationAttribute {
        public static let address: UInt16 = 1
        public static let port: UInt16 = 2
        public static let forwardingMethod: UInt16 = 3
        public static let weight: UInt16 = 4
        public static let upperThreshold: UInt16 = 5
        public static let lowerThreshold: UInt16 = 6
        public static let activeConnections: UInt16 = 7
        public static let inactiveConnections: UInt16 = 8
        public static let addressFamily: UInt16 = 11
        /// `IPVS_DEST_ATTR_STATS64`: nested ``StatsAttribute``s, all 64-bit.
        public static let stats64: UInt16 = 12
    }

    /// `IPVS_STATS_ATTR_*`, inside `*_ATTR_STATS64`.
    public enum StatsAttribute {
        public static let connections: UInt16 = 1
        public static let inPackets: UInt16 = 2
        public static let outPackets: UInt16 = 3
        public static let inBytes: UInt16 = 4
        public static let outBytes: UInt16 = 5
    }
}
