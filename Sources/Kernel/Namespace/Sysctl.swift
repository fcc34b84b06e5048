import Foundation

/// Per-namespace sysctls, read and written through `/proc/sys` from a thread inside the
/// namespace (the `net.*` tree shows the namespace of the thread that opens it).
public enum Sysctl {
    /// `/proc/sys/net/ipv4/ip_forward` for key `net.ipv4.ip_forward`.
    public static func path(_ key: String) -> String { "/proc/sys/" + key.replacingOccurrences(of: ".", with: "/") }

    public static func read(_ key: String, in namespace: String) throws -> String {
        try NetworkNamespace.run(in: namespace) {
            try String(contentsOfFile: path(key), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    public static func write(_ key: String, value: String, in namespace: String) throws {
        try NetworkNamespace.run(in: namespace) {
            guard let handle = FileHandle(forWritingAtPath: path(key)) else {
                throw SystemError("opening \(path(key)) in \(namespace)", errno: errno)
            }
            defer { try? handle.close() }
            try handle.write(contentsOf: Data((value + "\n").utf8))
        }
    }
}
