import Foundation

/// How long lbnet waits for work that is making progress but slow: a daemon that runs but has
/// not opened its socket yet, an ALB node's proxy that runs but has not answered its reload.
/// Waits end at once when what they wait for has failed (its process exited); this limit only
/// bounds a wait on something still alive. Generous by default, for loaded CI runners;
/// `LBNET_WAIT_LIMIT_SECONDS` changes it (for `up` and the daemon it starts).
public enum WaitLimit {
    public static let environmentVariable = "LBNET_WAIT_LIMIT_SECONDS"
    public static let defaultSeconds = 600

    /// The limit the environment sets, or the default when it sets none (or nothing valid).
    public static var current: Duration {
        let text = ProcessInfo.processInfo.environment[environmentVariable] ?? ""
        guard let seconds = Int(text), seconds > 0 else { return .seconds(defaultSeconds) }
        return .seconds(seconds)
    }
}
