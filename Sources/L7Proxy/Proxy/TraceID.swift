/// Makes `X-Amzn-Trace-Id` values in AWS's format: `Root=1-<8 hex seconds>-<24 hex random>`.
enum TraceID {
    static func make(epochSeconds: Int, using generator: inout some RandomNumberGenerator) -> String {
        let time = UInt64(UInt32(truncatingIfNeeded: epochSeconds))
        let high = UInt64(UInt32.random(in: .min ... .max, using: &generator))
        let low = UInt64.random(in: .min ... .max, using: &generator)
        return String(unsafeUninitializedCapacity: 40) { bytes in
            var at = HexDigits.write("Root=1-", into: bytes, at: 0)
            at = HexDigits.write(time, width: 8, into: bytes, at: at)
            at = HexDigits.write("-", into: bytes, at: at)
            at = HexDigits.write(high, width: 8, into: bytes, at: at)
            return HexDigits.write(low, width: 16, into: bytes, at: at)
        }
    }
}
