/// rtnetlink message types, attributes and values lbnet uses (`linux/rtnetlink.h`,
/// `linux/if_link.h`, `linux/if_addr.h`, `linux/veth.h`).
public enum RouteConstants {
    public enum MessageType {
        public static let newLink: UInt16 = 16
        public static let deleteLink: UInt16 = 17
        public static let getLink: UInt16 = 18
        public static let newAddress: UInt16 = 20
        public static let deleteAddress: UInt16 = 21
        public static let getAddress: UInt16 = 22
        public static let newRoute: UInt16 = 24
        public static let deleteRoute: UInt16 = 25
        public static let getRoute: UInt16 = 26
    }

    public enum LinkAttribute {
        public static let address: UInt16 = 1
        public static let interfaceName: UInt16 = 3
        public static let mtu: UInt16 = 4
        public static let link: UInt16 = 5
        public static let master: UInt16 = 10
        public static let operationalState: UInt16 = 16
        public static let linkInfo: UInt16 = 18
        public static let netNamespaceFD: UInt16 = 28
        public static let linkNetNamespaceID: UInt16 = 37
    }

    public enum LinkInfoAttribute {
        public static let kind: UInt16 = 1
        public static let data: UInt16 = 2
    }

    public enum VethAttribute {
        public static let peer: UInt16 = 1
    }

    public enum AddressAttribute {
        public static let address: UInt16 = 1
        public static let local: UInt16 = 2
        public static let label: UInt16 = 3
    }

    public enum RouteAttribute {
        public static let destination: UInt16 = 1
        public static let outputInterface: UInt16 = 4
        public static let gateway: UInt16 = 5
        public static let preferredSource: UInt16 = 7
        public static let table: UInt16 = 15
    }

    public static let familyUnspecified: UInt8 = 0
    public static let familyIPv4: UInt8 = 2
    public static let interfaceUp: UInt32 = 0x1
    public static let tableMain: UInt8 = 254
    public static let protocolKernel: UInt8 = 2
    public static let protocolStatic: UInt8 = 4
    public static let scopeUniverse: UInt8 = 0
    public static let scopeLink: UInt8 = 253
    public static let scopeHost: UInt8 = 254
    public static let routeTypeUnicast: UInt8 = 1
}
