import Foundation
import Testing

/// A privileged container without a container engine, as `docker run --privileged` gives lbnet
/// one: `unshare` makes new mount, network and PID namespaces whose first process (PID 1) mounts
/// a tmpfs on `/run` (so `/run/netns` is the container's own), a tmpfs on `/var/lib` with the
/// `volume` directory bind-mounted at `/var/lib/lbnet` (the state directory on a volume), sets
/// the loopback up (as container engines do), then sleeps. Commands enter all three namespaces
/// with `nsenter`. The mounts are private to the sandbox; `stop()` kills PID 1, which ends the
/// PID namespace and everything in it.
final class ContainerSandbox {
    let volume: String
    private let unshare: ChildProcess
    private let log: String
    /// The host's pid of the sandbox's PID 1.
    private(set) var pid: Int32 = 0

    private init(volume: String, log: String, unshare: ChildProcess) {
        (self.volume, self.log, self.unshare) = (volume, log, unshare)
    }

    /// Starts a sandbox and waits until its mounts are in place.
    static func start() async throws -> ContainerSandbox {
        let volume = "/tmp/lbnet-container-\(UUID().uuidString.prefix(8).lowercased())"
        try FileManager.default.createDirectory(atPath: volume, withIntermediateDirectories: true)
        let log = volume + ".log"
        let script = """
            set -e
            mount -t tmpfs -o mode=0755 tmpfs /run
            mkdir /run/netns
            mount -t tmpfs -o mode=0755 tmpfs /var/lib
            mkdir /var/lib/lbnet
            mount --bind \(volume) /var/lib/lbnet
            ip link set lo up
            echo ready
            exec sleep infinity
            """
        let output = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        defer { close(output) }
        let unshare = try ChildProcess(["unshare", "--mount", "--net", "--pid", "--fork", "--kill-child", "--mount-proc",
                                        "--propagation", "private", "sh", "-c", script], stdout: output, stderr: output)
        let sandbox = ContainerSandbox(volume: volume, log: log, unshare: unshare)
        let ready = try await eventually(timeout: 20) {
            (try? String(contentsOfFile: log, encoding: .utf8))?.contains("ready") ?? false
        }
        guard ready, let pid = Self.child(of: unshare.pid) else {
            let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            await sandbox.stop()
            throw SandboxError(message: "the sandbox did not start: \(output)")
        }
        sandbox.pid = pid
        return sandbox
    }

    /// Runs `body` in a new sandbox and always stops it after, also when `body` throws.
    static func with(_ body: (ContainerSandbox) async throws -> Void) async throws {
        let sandbox = try await start()
        do {
            try await body(sandbox)
        } catch {
            await sandbox.stop()
            throw error
        }
        await sandbox.stop()
    }

    /// Runs `arguments` inside the sandbox's mount, network and PID namespaces.
    @discardableResult
    func run(_ arguments: [String], timeout: TimeInterval = 120) async throws -> CommandResult {
        try await IntegrationTests.run(["nsenter", "--target", String(pid), "--mount", "--net", "--pid", "--"] + arguments,
                                       timeout: timeout)
    }

    /// Kills PID 1 (through `unshare --kill-child`) and removes the volume.
    func stop() async {
        unshare.signal(SIGKILL)
        await unshare.wait()
        try? FileManager.default.removeItem(atPath: volume)
        try? FileManager.default.removeItem(atPath: log)
    }

    /// The first process whose parent is `parent`, from `/proc/PID/stat`.
    private static func child(of parent: Int32) -> Int32? {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap(Int32.init).first { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 1 && Int32(fields[1]) == parent
        }
    }

    struct SandboxError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
