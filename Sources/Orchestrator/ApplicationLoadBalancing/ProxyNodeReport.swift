import Foundation
import L7Proxy

/// What a running `lbnet proxy` publishes next to its configuration file (the health file):
/// the configuration it serves, the last one it refused, and its targets' health as
/// `DescribeTargetHealth` would show it. Written atomically whenever it changes; `up` waits on
/// it after changing a configuration and `status` shows it.
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

    /// The health file of a configuration file: `NAME.health.json` for `NAME.json`, else the
    /// path with `.health.json` appended.
    public static func path(forConfiguration path: String) -> String {
        (path.hasSuffix(".json") ? String(path.dropLast(".json".count)) : path) + ".health.json"
    }

    /// The report at `path`; `nil` when there is none or it cannot be read.
    public static func load(from path: String) -> ProxyNodeReport? {
        try? AtomicFile.readJSON(ProxyNodeReport.self, from: path)
    }

    func write(to path: String) throws {
        try AtomicFile.writeJSON(self, to: path)
    }
}

/// A short, stable fingerprint of a configuration file's bytes (FNV-1a, 16 hex digits), so
/// `up` can tell which contents a proxy serves.
public enum ConfigurationDigest {
    public static func of(_ data: Data) -> String {
        String(StableHash.fnv1a64(String(decoding: data, as: UTF8.self)), radix: 16).leftPadded(to: 16)
    }
}
