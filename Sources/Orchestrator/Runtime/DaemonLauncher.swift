import Foundation
import Kernel
#if canImport(Glibc)
import Glibc
#endif

/// Starts the daemon of a state directory when none answers, and stops it. Waits on progress:
/// a daemon that is still starting (its process alive, its socket not yet there) is waited
/// for up to a generous limit; one that exits is reported at once with its log.
public struct DaemonLauncher {
    let deployment: Deployment
    /// How long a daemon that keeps running but never opens its socket is waited for.
    public var startLimit: Duration

    public init(deployment: Deployment, startLimit: Duration = WaitLimit.current) {
        self.deployment = deployment
        self.startLimit = startLimit
    }

    var directory: StateDirectory { deployment.directory }

    /// Starts the daemon, serving the API as `api` asks, unless one answers already (which
    /// keeps its own options).
    public func ensureRunning(api: APIOptions) throws {
        let client = deployment.daemon
        if client.isReachable { return }
        try directory.create()
        let metrics = deployment.metricsListen.map { ["--metrics-listen", $0.description] } ?? []
        let pid = try ProcessLauncher.spawn(
            [deployment.executable, "daemon", "--state-dir", directory.path, "--prefix", deployment.naming.prefix] + api.arguments + metrics,
            namespace: nil, logPath: directory.daemonLogPath)
        let clock = ContinuousClock()
        let deadline = clock.now + startLimit
        var backoff = Duration.milliseconds(5)
        var ours: pid_t? = pid
        while !client.isReachable {
            if let started = ours, !ProcessLauncher.isRunning(started) {
                reap(started)
                ours = nil
                if client.isReachable { return }
                // Another `up` started a daemon at the same time and holds the directory: ours
                // exited for that reason, and that daemon is the one to wait for.
                guard DaemonLock.isHeld(directory) else {
                    throw DaemonError.didNotStart(log: directory.daemonLogPath, reason: "it exited")
                }
            } else if ours == nil, !DaemonLock.isHeld(directory) {
                if client.isReachable { return }
                throw DaemonError.didNotStart(log: directory.daemonLogPath, reason: "the daemon another lbnet started exited")
            }
            guard clock.now < deadline else {
                throw DaemonError.didNotStart(log: directory.daemonLogPath, reason: "its control socket did not open within \(startLimit) (\(WaitLimit.environmentVariable) raises the limit)")
            }
            Thread.sleep(forTimeInterval: Double(backoff.components.attoseconds) / 1e18)
            backoff = min(backoff * 2, .milliseconds(200))
        }
    }

    /// Asks a running daemon to stop its processes and exit, and waits until it has (its
    /// lock is released when its process ends).
    public func stop() throws {
        guard DaemonLock.isHeld(directory) else { return }
        _ = try? deployment.daemon.send(.shutdown)
        DaemonLock.waitUntilReleased(directory)
    }

    private func reap(_ pid: pid_t) {
        var status: Int32 = 0
        waitpid(pid, &status, WNOHANG)
    }
}
