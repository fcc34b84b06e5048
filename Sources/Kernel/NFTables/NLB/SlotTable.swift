/// Assigns the 256 hash slots of a listener to its backends, in proportion to weight and with
/// minimal disruption when backends come, go or change weight.
///
/// The algorithm:
/// 1. Quotas. Backend `b` with weight `w` out of a total `W` is owed `256·w/W` slots; it gets
///    `floor` or `ceil` of that (largest remainders get the extra slots), so shares are exact to
///    within one slot. Weight-0 backends get nothing. A backend listed twice counts once with
///    the sum of its weights.
/// 2. Keep. Each backend keeps the slots it held in `previous`, up to its `ceil` quota; if it
///    must give some up (its share shrank), it keeps those it prefers (see 4). Only as many
///    backends stay above their `floor` as there are slots left over by the floors (largest
///    remainders first), so any `previous` table, however it came about, can be completed.
/// 3. Fill. Free slots (never held, held by a removed backend, or given up) go to backends below
///    their `floor` quota, then one more each to backends with the largest remainders until every
///    slot is taken.
/// 4. Preference. Where there is a choice, slot `s` goes to the backend with the highest
///    rendezvous score `hash(s, address, port)` among those still owed slots (global greedy
///    over all pairs, best score first). So the table is a deterministic function of the backends
///    when there is no history, and every node computes the same table from the same backends.
///
/// What moves: removing a backend moves only its own slots (the others' shares grow, so they
/// keep everything); adding one moves only the slots the newcomer takes (about 1/N of the
/// table) plus at most one per backend from rounding; a weight change moves only the difference.
/// A listener whose backends all have weight 0 gets an empty table: its lookups miss, and the
/// kernel drops the flow (the caller decides about fail-open, e.g. by giving every backend weight).
public enum SlotTable {
    public static let slotCount = 256

    /// Slot number to backend for `backends`, keeping what it can of `previous` (the table as
    /// the kernel holds it now; empty for a new listener).
    public static func fill(backends: [NLBBackend], previous: [UInt32: NLBEndpoint] = [:]) -> [UInt32: NLBEndpoint] {
        var weights: [NLBEndpoint: UInt64] = [:]
        for backend in backends { weights[backend.endpoint, default: 0] += UInt64(backend.weight) }
        let active = weights.filter { $0.value > 0 }.keys.sorted()
        guard !active.isEmpty else { return [:] }
        let total = active.reduce(0) { $0 + weights[$1]! }
        let slots = UInt64(slotCount)
        let floor = active.map { Int(slots * weights[$0]! / total) }
        let remainder = active.map { slots * weights[$0]! % total }
        let ceiling = active.indices.map { floor[$0] + (remainder[$0] > 0 ? 1 : 0) }
        // Who gets a slot above its floor first: largest remainder, then address and port.
        func priority(_ a: Int, _ b: Int) -> Bool { (remainder[a], active[b]) > (remainder[b], active[a]) }

        let index = Dictionary(uniqueKeysWithValues: active.enumerated().map { ($1, $0) })
        var kept = [[Int]](repeating: [], count: active.count)
        for (slot, endpoint) in previous where slot < slots {
            if let backend = index[endpoint] { kept[backend].append(Int(slot)) }
        }
        for backend in active.indices {
            kept[backend] = Array(kept[backend].sorted { score($0, active[backend]) > score($1, active[backend]) }.prefix(ceiling[backend]))
        }
        // Only `extras` backends can be above their floor; the rest give back their last slot.
        let extras = slotCount - floor.reduce(0, +)
        let aboveFloor = active.indices.filter { kept[$0].count > floor[$0] }.sorted(by: priority)
        for backend in aboveFloor.dropFirst(extras) { kept[backend].removeLast() }

        var owner = [Int?](repeating: nil, count: slotCount)
        for backend in active.indices {
            for slot in kept[backend] { owner[slot] = backend }
        }
        assign(&owner, owed: active.indices.map { floor[$0] - kept[$0].count }, active: active)
        let free = owner.count { $0 == nil }
        let receivers = Set(active.indices.filter { kept[$0].count <= floor[$0] && ceiling[$0] > floor[$0] }
            .sorted(by: priority).prefix(free))
        assign(&owner, owed: active.indices.map { receivers.contains($0) ? 1 : 0 }, active: active)

        var table: [UInt32: NLBEndpoint] = [:]
        for (slot, backend) in owner.enumerated() {
            if let backend { table[UInt32(slot)] = active[backend] }
        }
        return table
    }

    /// Gives free slots to backends still owed some, best rendezvous score first.
    private static func assign(_ owner: inout [Int?], owed: [Int], active: [NLBEndpoint]) {
        var owed = owed
        var candidates: [(score: UInt64, slot: Int, backend: Int)] = []
        for slot in owner.indices where owner[slot] == nil {
            for backend in active.indices where owed[backend] > 0 {
                candidates.append((score(slot, active[backend]), slot, backend))
            }
        }
        candidates.sort { ($0.score, $1.slot, $1.backend) > ($1.score, $0.slot, $0.backend) }
        for candidate in candidates where owner[candidate.slot] == nil && owed[candidate.backend] > 0 {
            owner[candidate.slot] = candidate.backend
            owed[candidate.backend] -= 1
        }
    }

    /// The rendezvous score of `slot` for `endpoint`: a fixed 64-bit mix (SplitMix64's
    /// finalizer), the same on every machine and every run.
    static func score(_ slot: Int, _ endpoint: NLBEndpoint) -> UInt64 {
        mix(mix(UInt64(endpoint.address.value) << 16 | UInt64(endpoint.port)) ^ UInt64(slot))
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        var x = value &+ 0x9e37_79b9_7f4a_7c15
        x = (x ^ (x >> 30)) &* 0xbf58_476d_1ce4_e5b9
        x = (x ^ (x >> 27)) &* 0x94d0_49bb_1331_11eb
        return x ^ (x >> 31)
    }
}
