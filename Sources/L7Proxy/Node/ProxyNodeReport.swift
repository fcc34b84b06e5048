/// What a running `lbnet proxy` answers to `{"op":"report"}` on its control socket: the
/// configuration it serves, the last one it refused, and its targets' health as
/// `DescribeTargetHealth` would show it.
public struct ProxyNodeReport: Codable, Sendable, Equatable {
    public var nodeName: String
    /// The digest of the configuration file contents being served.
    public var configurationDigest: String
    /// The digest of the newest file contents that could not be loaded, if the newest failed.
    public var rejectedDigest: String?
    /// Why that file could not be loaded.
    public var reloadError: String?
    public var targets: [TargetHealthReport]

    public init(nodeName: String, configurationDigest: String, rejectedDigest: String? = nil, reloadError: String? = nil,
                targets: [TargetHealthReport]) {
        self.nodeName = nodeName
        self.configurationDigest = configurationDigest
        self.rejectedDigest = rejectedDigest
        self.reloadError = reloadError
        self.targets = targets
    }
}
