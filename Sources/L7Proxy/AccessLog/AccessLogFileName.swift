import Foundation

/// AWS's name of one node's access log file for one interval, relative to the bucket and prefix:
/// `AWSLogs/ACCOUNT/elasticloadbalancing/REGION/yyyy/mm/dd/ACCOUNT_elasticloadbalancing_REGION_app.NAME.ID_END_IP_RANDOM.log.gz`.
/// `END` is the end of the 5-minute interval the file covers (`20140215T2340Z` holds the requests
/// of 23:35-23:40 UTC), `yyyy/mm/dd` its date, `IP` the node's address and `RANDOM` 8 random
/// characters.
public struct AccessLogFileName: Sendable, Equatable {
    /// AWS publishes a file per node every 5 minutes.
    public static let intervalSeconds = 300

    public let loadBalancer: LoadBalancerARN
    public let nodeAddress: String
    /// Seconds since 1970 at the end of the interval.
    public let intervalEnd: Int
    public let random: String

    public init(loadBalancer: LoadBalancerARN, nodeAddress: String, intervalEnd: Int, random: String) {
        self.loadBalancer = loadBalancer
        self.nodeAddress = nodeAddress
        self.intervalEnd = intervalEnd
        self.random = random
    }

    /// The end of the interval holding `date`: the next multiple of 5 minutes after it.
    public static func intervalEnd(containing date: Date) -> Int {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        return (seconds / intervalSeconds + 1) * intervalSeconds
    }

    /// 8 lowercase letters and digits.
    public static func randomString(using generator: inout some RandomNumberGenerator) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<8).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// `AWSLogs/ACCOUNT/elasticloadbalancing/REGION/yyyy/mm/dd`.
    public var directory: String {
        let (date, _) = Self.utc(intervalEnd)
        return "AWSLogs/\(loadBalancer.accountID)/elasticloadbalancing/\(loadBalancer.region)/"
            + "\(date.year)/\(Self.two(date.month))/\(Self.two(date.day))"
    }

    /// The file's name, without its directory.
    public var fileName: String {
        let (date, time) = Self.utc(intervalEnd)
        let end = "\(date.year)\(Self.two(date.month))\(Self.two(date.day))T\(Self.two(time.hour))\(Self.two(time.minute))Z"
        let balancer = loadBalancer.resourceID.replacingOccurrences(of: "/", with: ".")
        return "\(loadBalancer.accountID)_elasticloadbalancing_\(loadBalancer.region)_\(balancer)_\(end)_\(nodeAddress)_\(random).log.gz"
    }

    public var relativePath: String { "\(directory)/\(fileName)" }

    private static func utc(_ seconds: Int) -> (date: (year: Int, month: Int, day: Int), time: (hour: Int, minute: Int)) {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return ((Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday)), (Int(parts.tm_hour), Int(parts.tm_min)))
    }

    private static func two(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
