/// A target's health as the topology picture colours it: the state word of a status row
/// (`healthy`, `unhealthy (Target.Timeout)`, `initial`, `draining`, ...), ordered so that the
/// worst of several views (one per load balancer node) can be taken with `max`.
enum PictureHealth: Int, Comparable {
    case healthy, unused, unknown, initial, draining, unhealthy

    init(_ state: String) {
        switch state.split(separator: " ").first.map(String.init) {
        case "healthy": self = .healthy
        case "unused": self = .unused
        case "initial": self = .initial
        case "draining": self = .draining
        case "unhealthy": self = .unhealthy
        default: self = .unknown
        }
    }

    static func < (left: PictureHealth, right: PictureHealth) -> Bool { left.rawValue < right.rawValue }

    /// The state's name, the fill of a target's box and the colour of the edge from a target
    /// group to the target.
    private var look: (name: String, fill: String, line: String) {
        switch self {
        case .healthy: ("healthy", "#c8e6c9", "#2e7d32")
        case .unused: ("unused", "#eeeeee", "#757575")
        case .unknown: ("unknown", "#eeeeee", "#757575")
        case .initial: ("initial", "#fff59d", "#f9a825")
        case .draining: ("draining", "#bbdefb", "#1565c0")
        case .unhealthy: ("unhealthy", "#ffcdd2", "#c62828")
        }
    }

    var name: String { look.name }
    var fill: String { look.fill }
    var line: String { look.line }
}
