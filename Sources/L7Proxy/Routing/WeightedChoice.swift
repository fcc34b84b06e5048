/// Picks one of several items with probability proportional to its weight.
struct WeightedChoice<Item: Sendable>: Sendable {
    private let items: [(item: Item, cumulativeWeight: Int)]
    private let totalWeight: Int

    /// `choices` with weight 0 are never picked; at least one weight must be above 0.
    init(_ choices: [(Item, Int)]) {
        var total = 0
        var items: [(Item, Int)] = []
        for (item, weight) in choices where weight > 0 {
            total += weight
            items.append((item, total))
        }
        self.items = items
        self.totalWeight = total
    }

    func pick(using generator: inout some RandomNumberGenerator) -> Item? {
        guard totalWeight > 0 else { return nil }
        if items.count == 1 { return items[0].item }
        let roll = Int.random(in: 0..<totalWeight, using: &generator)
        return items.first { roll < $0.cumulativeWeight }?.item
    }
}
