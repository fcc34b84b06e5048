/// Netlink protocol constants shared by every family (from `linux/netlink.h`).
public enum NetlinkConstants {
    public static let headerLength = 16

    public enum MessageType {
        public static let noop: UInt16 = 1
        public static let error: UInt16 = 2
        public static let done: UInt16 = 3
    }

    public enum Flags {
        public static let request: UInt16 = 0x01
        public static let multi: UInt16 = 0x02
        public static let ack: UInt16 = 0x04
        public static let dumpInterrupted: UInt16 = 0x10
        public static let root: UInt16 = 0x100
        public static let match: UInt16 = 0x200
        public static let dump: UInt16 = root | match
        public static let replace: UInt16 = 0x100
        public static let exclusive: UInt16 = 0x200
        public static let create: UInt16 = 0x400
        public static let append: UInt16 = 0x800
    }

    public static let attributeNestedFlag: UInt16 = 0x8000
    public static let attributeTypeMask: UInt16 = 0x3fff

    public enum Family {
        public static let route: Int32 = 0
        public static let netfilter: Int32 = 12
        public static let generic: Int32 = 16
    }
}
