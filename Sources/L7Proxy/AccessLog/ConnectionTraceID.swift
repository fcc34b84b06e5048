/// Makes `conn_trace_id` values in AWS's format: `TID_` and 16 hex digits, one per client connection.
enum ConnectionTraceID {
    static func make(using generator: inout some RandomNumberGenerator) -> String {
        let random = UInt64.random(in: .min ... .max, using: &generator)
        return String(unsafeUninitializedCapacity: 20) { bytes in
            HexDigits.write(random, width: 16, into: bytes, at: HexDigits.write("TID_", into: bytes, at: 0))
        }
    }
}
