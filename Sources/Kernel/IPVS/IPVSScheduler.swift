/// The scheduler of an IPVS service, by its kernel name. lbnet programs `sh` and `mh`; other
/// names read back from the kernel are kept as they are so they can be compared and replaced.
public struct IPVSScheduler: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    /// `sh`: source hashing over 256 buckets; any destination change reshuffles clients.
    public static let sourceHash = IPVSScheduler(rawValue: "sh")
    /// `mh`: Maglev hashing; one destination change moves few clients (kernel >= 4.18).
    public static let maglev = IPVSScheduler(rawValue: "mh")

    public var description: String { rawValue }
}

/// Scheduler flags of an IPVS service. `sh` and `mh` give the same bits the same meaning.
public struct IPVSSchedulerFlags: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `IP_VS_SVC_F_SCHED1`: pick another destination when the hashed one has weight 0 or is
    /// overloaded, instead of dropping the connection (needed to drain destinations).
    public static let fallback = IPVSSchedulerFlags(rawValue: 0x08)
    /// `IP_VS_SVC_F_SCHED2`: hash the source port too, not only the source address.
    public static let port = IPVSSchedulerFlags(rawValue: 0x10)
    /// Every scheduler flag bit (`SCHED1..SCHED3`); the kernel's other service flags are not
    /// scheduler flags.
    public static let all = IPVSSchedulerFlags(rawValue: 0x38)

    public var description: String {
        var names: [String] = []
        if contains(.fallback) { names.append("fallback") }
        if contains(.port) { names.append("port") }
        let other = subtracting([.fallback, .port]).rawValue
        if other != 0 { names.append("0x" + String(other, radix: 16)) }
        return names.joined(separator: ",")
    }
}
