import Kernel

/// Whether this kernel has IPVS: asks for its generic netlink family in lbnet's own namespace,
/// which also loads the module where it exists but is not loaded.
public enum IPVSAvailability {
    public static let kernelHasIPVS: Bool = {
        guard let socket = try? NetlinkSocket(protocol: NetlinkConstants.Family.generic) else { return false }
        return (try? IPVSClient(socket: socket)) != nil
    }()
}
