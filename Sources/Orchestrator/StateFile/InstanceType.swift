/// An EC2 instance type lbnet knows: its size as EC2 describes it. lbnet does not limit an
/// instance's CPU or memory; the type is recorded and answered, and an unknown one refused.
public struct InstanceType: Sendable, Equatable {
    public let name: String
    public let vCPUs: Int
    public let memoryMiB: Int
    /// The CPU credit option a burstable (T) type launches with; `nil` for other types.
    public let defaultCpuCredits: String?

    /// Common types (x86_64, as EC2 lists them in us-east-1), and `m1.small`, what
    /// `RunInstances` launches when it names no type.
    public static let known: [InstanceType] = [
        .init("m1.small", 1, 1740),
        .init("t2.nano", 1, 512, credits: "standard"), .init("t2.micro", 1, 1024, credits: "standard"),
        .init("t2.small", 1, 2048, credits: "standard"), .init("t2.medium", 2, 4096, credits: "standard"),
        .init("t2.large", 2, 8192, credits: "standard"),
        .init("t3.nano", 2, 512, credits: "unlimited"), .init("t3.micro", 2, 1024, credits: "unlimited"),
        .init("t3.small", 2, 2048, credits: "unlimited"), .init("t3.medium", 2, 4096, credits: "unlimited"),
        .init("t3.large", 2, 8192, credits: "unlimited"), .init("t3.xlarge", 4, 16384, credits: "unlimited"),
        .init("t3a.nano", 2, 512, credits: "unlimited"), .init("t3a.micro", 2, 1024, credits: "unlimited"),
        .init("t3a.small", 2, 2048, credits: "unlimited"), .init("t3a.medium", 2, 4096, credits: "unlimited"),
        .init("t3a.large", 2, 8192, credits: "unlimited"),
        .init("m5.large", 2, 8192), .init("m5.xlarge", 4, 16384), .init("m5.2xlarge", 8, 32768),
        .init("c5.large", 2, 4096), .init("c5.xlarge", 4, 8192), .init("c5.2xlarge", 8, 16384),
        .init("r5.large", 2, 16384), .init("r5.xlarge", 4, 32768),
    ]

    public static func named(_ name: String) -> InstanceType? { known.first { $0.name == name } }

    public var isBurstable: Bool { defaultCpuCredits != nil }

    /// Every type here but `m1.small`, which EC2 lists as a previous generation.
    public var isCurrentGeneration: Bool { name != "m1.small" }

    init(_ name: String, _ vCPUs: Int, _ memoryMiB: Int, credits: String? = nil) {
        self.name = name
        self.vCPUs = vCPUs
        self.memoryMiB = memoryMiB
        defaultCpuCredits = credits
    }
}
