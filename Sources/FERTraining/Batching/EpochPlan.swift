// Which samples go into which batch in one epoch: a seeded shuffle cut into
// batches that together cover every sample exactly once. Indices only; no
// pixels, no threads.

public struct EpochPlan: Sendable, Equatable {
    /// Batches of dataset indices, in the order they are trained on.
    public let batches: [[Int]]

    /// - Parameters:
    ///   - count: dataset size.
    ///   - batchSize: images per batch; a final remainder of one image joins the previous batch
    ///     (batch norm needs at least two), any other remainder is a smaller last batch.
    ///   - shuffle: false keeps file order (evaluation).
    public init(count: Int, batchSize: Int, seed: UInt64, epoch: Int, shuffle: Bool = true) {
        precondition(batchSize > 0)
        var order = Array(0 ..< count)
        if shuffle {
            var rng = SeedStream.order(seed: seed, epoch: epoch)
            // Fisher–Yates with our own generator: Swift's shuffle(using:) may change between releases.
            if count > 1 {
                for i in stride(from: count - 1, to: 0, by: -1) {
                    let j = Int(rng.next() % UInt64(i + 1))
                    order.swapAt(i, j)
                }
            }
        }
        var batches: [[Int]] = stride(from: 0, to: count, by: batchSize).map { Array(order[$0 ..< min($0 + batchSize, count)]) }
        if batches.count >= 2, batches.last!.count == 1, batchSize > 1 {
            let tail = batches.removeLast()
            batches[batches.count - 1].append(contentsOf: tail)
        }
        self.batches = batches
    }

    public var batchCount: Int { batches.count }

    /// Batches per epoch for `count` samples, without building a plan (same rule as init).
    public static func batchCount(count: Int, batchSize: Int) -> Int {
        let n = (count + batchSize - 1) / batchSize
        return n >= 2 && count % batchSize == 1 && batchSize > 1 ? n - 1 : n
    }
}
