import CNetlink
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Named network namespaces, bind-mounted at `/run/netns/NAME` like `ip netns add` does, so
/// `ip netns exec NAME ...` works on them.
public enum NetworkNamespace {
    public static let directory = "/run/netns"

    public static func path(_ name: String) -> String { "\(directory)/\(name)" }

    public static func exists(_ name: String) -> Bool { inode(name) != nil }

    /// Every name under `/run/netns`, sorted.
    public static func list() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    /// The inode of the namespace mounted at `name`: the identity `/proc/PID/ns/net` links share.
    /// `nil` when the file is missing or is not a namespace mount (an empty placeholder left by
    /// an interrupted create is a plain file).
    public static func inode(_ name: String) -> UInt64? {
        var info = stat()
        guard lbnet_is_namespace_file(path(name)) == 1, stat(path(name), &info) == 0 else { return nil }
        return UInt64(info.st_ino)
    }

    /// Creates the namespace `name`. Throws `EEXIST` if a namespace of that name exists; a stale
    /// placeholder file (from a create that was killed half way) is replaced.
    public static func create(_ name: String) throws {
        try prepareDirectory()
        let target = path(name)
        if exists(name) { throw SystemError("creating namespace \(name)", errno: EEXIST) }
        _ = lbnet_unmount_detach(target)
        unlink(target)
        let fd = Glibc.open(target, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o444)
        guard fd >= 0 else { throw SystemError("creating \(target)", errno: errno) }
        close(fd)
        do {
            try FreshThread.run {
                let unshared = lbnet_unshare_net()
                guard unshared == 0 else { throw SystemError("unshare(CLONE_NEWNET) for \(name)", errno: -unshared) }
                let mounted = lbnet_bind_mount("/proc/thread-self/ns/net", target)
                guard mounted == 0 else { throw SystemError("bind-mounting namespace \(name) at \(target)", errno: -mounted) }
            }
        } catch {
            unlink(target)
            throw error
        }
    }

    /// Unmounts and removes the namespace `name`. The kernel frees it once no process and no
    /// open descriptor holds it; its veths disappear with it, their peers too.
    public static func delete(_ name: String) throws(SystemError) {
        let target = path(name)
        let unmounted = lbnet_unmount_detach(target)
        if unmounted != 0 && -unmounted != EINVAL && -unmounted != ENOENT {
            throw SystemError("unmounting \(target)", errno: -unmounted)
        }
        if unlink(target) != 0 && errno != ENOENT { throw SystemError("removing \(target)", errno: errno) }
    }

    /// Opens the namespace file (`O_RDONLY|O_CLOEXEC`); the caller closes the descriptor.
    public static func open(_ name: String) throws(SystemError) -> Int32 {
        let fd = Glibc.open(path(name), O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SystemError("opening namespace \(name)", errno: errno) }
        return fd
    }

    /// Runs `body` on a fresh thread that has entered namespace `name`.
    public static func run<T>(in name: String, _ body: () throws -> T) throws -> T {
        let fd = try open(name)
        defer { close(fd) }
        return try FreshThread.run {
            let entered = lbnet_setns_net(fd)
            guard entered == 0 else { throw SystemError("entering namespace \(name)", errno: -entered) }
            return try body()
        }
    }

    /// Opens a netlink socket of `netlinkProtocol` inside namespace `name`.
    public static func socket(in name: String, protocol netlinkProtocol: Int32) throws -> NetlinkSocket {
        try run(in: name) { try NetlinkSocket(protocol: netlinkProtocol) }
    }

    /// `/run/netns` must be a shared mount point so that namespace mounts are seen from other
    /// mount namespaces (as iproute2 arranges it).
    private static func prepareDirectory() throws(SystemError) {
        if mkdir(directory, 0o755) != 0 && errno != EEXIST { throw SystemError("creating \(directory)", errno: errno) }
        if lbnet_make_shared(directory) == 0 { return }
        let bound = lbnet_bind_mount(directory, directory)
        guard bound == 0 else { throw SystemError("bind-mounting \(directory) onto itself", errno: -bound) }
        let shared = lbnet_make_shared(directory)
        guard shared == 0 else { throw SystemError("making \(directory) a shared mount", errno: -shared) }
    }
}
