/// The unprivileged user and group a process runs as instead of root (see
/// ``ProcessLauncher/spawn(_:namespace:logPath:environment:input:user:)``).
public struct ProcessUser: Sendable, Hashable, Codable {
    public let uid: UInt32
    public let gid: UInt32

    public init(uid: UInt32, gid: UInt32) {
        self.uid = uid
        self.gid = gid
    }

    /// `nobody`/`nogroup` (65534 on Debian and most distributions).
    public static let nobody = ProcessUser(uid: 65534, gid: 65534)

    /// What such a process gets as its environment: a search path and a locale, nothing of
    /// the daemon's own environment.
    public static let environment = [
        "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/", "LANG": "C.UTF-8",
    ]
}
