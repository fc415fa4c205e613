/// Mid-ranks of a sample, with the sizes of its tie groups.
///
/// Tied values (exact floating-point equality) share the average of the ranks they occupy. Reference:
/// Hollander, Wolfe & Chicken, *Nonparametric Statistical Methods* (3rd ed., 2014) §3.1 and §4.1, "ties".
struct Ranking {
    /// The 1-based mid-rank of each value, in input order.
    let ranks: [Double]
    /// The size t of every tie group with t ≥ 2.
    let tieSizes: [Int]

    /// Ranks `values` (O(n log n)).
    init(_ values: [Double]) {
        let order = values.indices.sorted { values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1) }
        var ranks = [Double](repeating: 0, count: values.count)
        var ties: [Int] = []
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count, values[order[end]] == values[order[start]] { end += 1 }
            // Positions start..<end hold ranks start+1 ... end; their average is (start + 1 + end) / 2.
            let midRank = Double(start + 1 + end) / 2
            for position in start..<end { ranks[order[position]] = midRank }
            if end - start > 1 { ties.append(end - start) }
            start = end
        }
        self.ranks = ranks
        self.tieSizes = ties
    }

    /// Whether any two values are equal.
    var hasTies: Bool { !tieSizes.isEmpty }

    /// Σ (t³ − t) over the tie groups, the term of the tie-corrected null variances.
    var tieTerm: Double {
        tieSizes.reduce(0) { sum, t in
            let tt = Double(t)
            return sum + (tt * tt * tt - tt)
        }
    }
}
