/// Generic netlink constants lbnet uses (`linux/genetlink.h`): the header size and the
/// controller family that maps family names to ids.
public enum GenericNetlinkConstants {
    /// `struct genlmsghdr`: command (u8), version (u8), reserved (u16).
    public static let headerLength = 4

    /// `GENL_ID_CTRL`: the controller's fixed family id.
    public static let controllerFamilyID: UInt16 = 0x10
    public static let controllerVersion: UInt8 = 1

    public enum ControllerCommand {
        public static let getFamily: UInt8 = 3
    }

    public enum ControllerAttribute {
        public static let familyID: UInt16 = 1
        public static let familyName: UInt16 = 2
        public static let version: UInt16 = 3
    }
}
