/// Running totals of one (persona, steps) group of the learning window: what `aggregateFlows` computes per group.
///
/// Every total is an integer, so the result does not depend on the order users are added in; that is what
/// makes the memory store's in-place aggregation and the SQLite path agree exactly.
///
/// Stores that can total their window without materialising journeys (the memory store's incremental index, the
/// SQLite store's GROUP BY) return these totals from ``EngineStore/windowTotals(since:now:)``.
public struct FlowAccumulator<Variant: Hashable & Sendable>: Sendable, Equatable {
    public var count = 0
    /// Users more than 7 (30) days old at `now`, and how many of them were activated (retained).
    public var mature7 = 0
    public var mature30 = 0
    public var activated = 0
    public var activatedMature = 0
    public var retained = 0
    public var retainedMature = 0
    /// Sum and count of time_to_first_win over activated users that have one.
    public var timeSum = 0
    public var timeCount = 0
    public var variants: [Variant: Int] = [:]

    public init() {}

    static var sevenDays: Minute { 7 * Clock.minutesPerDay }
    static var thirtyDays: Minute { 30 * Clock.minutesPerDay }

    mutating func add(
        assignedAt: Minute, activated7d: Bool, retained30d: Bool, timeToFirstWin: Minute?, variant: Variant, now: Minute
    ) {
        count += 1
        let age = now - assignedAt
        // Strictly older: an outcome due at exactly 7 (30) days is delivered at that minute, which belongs to the
        // next day, after the nightly job at `now`.
        let is7 = age > Self.sevenDays
        let is30 = age > Self.thirtyDays
        if is7 { mature7 += 1 }
        if is30 { mature30 += 1 }
        if activated7d {
            activated += 1
            if is7 { activatedMature += 1 }
            if let t = timeToFirstWin {
                timeSum += t
                timeCount += 1
            }
        }
        if retained30d {
            retained += 1
            if is30 { retainedMature += 1 }
        }
        variants[variant, default: 0] += 1
    }

    /// The same totals with the variants renamed (the memory store interns variant names as integers).
    public func mapVariants<Other: Hashable & Sendable>(_ name: (Variant) -> Other) -> FlowAccumulator<Other> {
        var result = FlowAccumulator<Other>()
        result.count = count
        result.mature7 = mature7
        result.mature30 = mature30
        result.activated = activated
        result.activatedMature = activatedMature
        result.retained = retained
        result.retainedMature = retainedMature
        result.timeSum = timeSum
        result.timeCount = timeCount
        for (v, c) in variants { result.variants[name(v), default: 0] += c }
        return result
    }

    /// The group's statistics. With `count_immature` (the seed) every user counts in both rates; without it a
    /// rate counts only users old enough to have the outcome (7 and 30 days), and is 0 when there are none.
    public func stats(persona: String, steps: [String], settings: EngineSettings, name: (Variant) -> String)
        -> FlowStats
    {
        let rate7: Double
        let rate30: Double
        if settings.countImmature {
            rate7 = Double(activated) / Double(count)
            rate30 = Double(retained) / Double(count)
        } else {
            rate7 = mature7 > 0 ? Double(activatedMature) / Double(mature7) : 0
            rate30 = mature30 > 0 ? Double(retainedMature) / Double(mature30) : 0
        }
        var best: (name: String, count: Int)?
        for (v, c) in variants {
            let n = name(v)
            if let b = best, c < b.count || (c == b.count && n >= b.name) { continue }
            best = (n, c)
        }
        return FlowStats(
            persona: persona, steps: steps, winRate7d: rate7, winRate30d: rate30,
            avgTimeToFirstWinMinutes: timeCount > 0 ? Double(timeSum) / Double(timeCount) : nil, sampleSize: count,
            explorationPriority: settings.explorationPriority.priority(sampleSize: count), suggestedVariant: best?.name)
    }
}

/// The window totals of one (persona, presented steps) group.
public struct FlowWindowTotals: Sendable, Equatable {
    public var persona: String
    public var steps: [String]
    public var totals: FlowAccumulator<String>

    public init(persona: String, steps: [String], totals: FlowAccumulator<String>) {
        self.persona = persona
        self.steps = steps
        self.totals = totals
    }
}
