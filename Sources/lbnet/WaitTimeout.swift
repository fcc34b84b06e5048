import ArgumentParser

/// A duration on the command line: `90s`, `2m`, `500ms`, or plain seconds (`120`).
struct WaitTimeout: ExpressibleByArgument, CustomStringConvertible {
    let duration: Duration
    let description: String

    init(_ duration: Duration) {
        self.duration = duration
        description = "\(duration.components.seconds)s"
    }

    init?(argument: String) {
        let units: [(suffix: String, milliseconds: Double)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("", 1000)]
        guard let unit = units.first(where: { argument.hasSuffix($0.suffix) }),
              let value = Double(argument.dropLast(unit.suffix.count)), value >= 0, value.isFinite else { return nil }
        duration = .milliseconds(Int64(value * unit.milliseconds))
        description = argument
    }
}
