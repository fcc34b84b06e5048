import Foundation

/// A short, stable fingerprint of a configuration file's bytes (FNV-1a, 16 hex digits), so
/// `up` can tell which contents a proxy serves.
public enum ConfigurationDigest {
    public static func of(_ data: Data) -> String {
        let hash = data.reduce(0xcbf2_9ce4_8422_2325 as UInt64) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01b3 }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
