import AWSAPI

/// One page of a described list: ELBv2's `Marker`/`PageSize` (`NextMarker` when more follow)
/// or EC2's `NextToken`/`MaxResults` (`nextToken`). The marker is the index of the next item.
struct APIPage {
    let start: Int
    let size: Int

    init(marker: String?, size: String?, limit: ClosedRange<Int>, sizeName: String) throws(APIError) {
        if let marker {
            guard let start = Int(marker), start >= 0 else { throw .validation("The marker '\(marker)' is not valid") }
            self.start = start
        } else {
            start = 0
        }
        if let size {
            guard let value = Int(size), limit.contains(value) else {
                throw .validation("\(sizeName) must be between \(limit.lowerBound) and \(limit.upperBound)")
            }
            self.size = value
        } else {
            self.size = limit.upperBound
        }
    }

    /// The page's items and the marker of the next page, if any.
    func slice<T>(_ items: [T]) -> (items: [T], next: String?) {
        let end = min(items.count, start + size)
        guard start < end else { return ([], nil) }
        return (Array(items[start..<end]), end < items.count ? String(end) : nil)
    }
}
