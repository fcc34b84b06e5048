/// The kernel has no IPVS generic netlink family: the module is not loaded or not built.
public struct IPVSUnavailableError: Error, CustomStringConvertible, Equatable {
    public init() {}

    public var description: String { "IPVS is not available in this kernel (modprobe ip_vs)" }
}
