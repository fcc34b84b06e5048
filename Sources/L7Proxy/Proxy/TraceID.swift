/// Makes `X-Amzn-Trace-Id` values in AWS's format: `Root=1-<8 hex seconds>-<24 hex random>`.
enum TraceID {
    static func make(epochSeconds: Int, using generator: inout some RandomNumberGenerator) -> String {
        let time = String(UInt32(truncatingIfNeeded: epochSeconds), radix: 16)
        let high = String(UInt32.random(in: .min ... .max, using: &generator), radix: 16)
        let low = String(UInt64.random(in: .min ... .max, using: &generator), radix: 16)
        return "Root=1-\(pad(time, 8))-\(pad(high, 8))\(pad(low, 16))"
    }

    private static func pad(_ hex: String, _ width: Int) -> String {
        String(repeating: "0", count: max(0, width - hex.count)) + hex
    }
}
