import Foundation

/// A functional change of one truth value of one flow over days: a ramp, a seasonal sine or a decaying novelty
/// (or primacy) effect.
///
/// A ramp is a value, ordered with the step drifts by day: from its start day it replaces the field unless a step
/// drift of the field started later (on the same day the ramp wins; between ramps, the later start, then the later
/// entry). Sines and decays are offsets added afterwards. The result is clamped: probabilities to [0, 1], medians to
/// at least ``minimumMedianMinutes``.
public struct TrendModel: Sendable, Equatable {
    /// One truth value (a scenario's flat `retention_30d` trend is one trend per retention part).
    public enum Field: Sendable, Equatable, CaseIterable {
        case activation7d
        case retentionIfActivated
        case retentionIfNot
        case upgrade
        /// The median of the time-to-first-win law (the minutes of a fixed one).
        case timeToFirstWinMedian
    }

    public enum Shape: Sendable, Equatable {
        /// `from` on `startDay`, linearly to `to` on `endDay` (≥ `startDay`), `to` afterwards; nothing before.
        case ramp(from: Double, to: Double, startDay: Int, endDay: Int)
        /// Adds `amplitude · sin(2π · (day + phaseDays) / periodDays)`.
        case sine(amplitude: Double, periodDays: Double, phaseDays: Double)
        /// Adds `lift · 2^(−(day − introducedDay) / halfLifeDays)` from the flow's introduction on.
        case decay(lift: Double, halfLifeDays: Double)
    }

    /// The smallest median a trend can push a time to first win to (users win in whole minutes, at least one).
    public static let minimumMedianMinutes = 1.0

    public var flow: Int
    public var field: Field
    public var shape: Shape

    /// The day a ramp starts moving its value (nil for a sine or a decay, which move it every day).
    public var rampStart: Int? {
        if case .ramp(_, _, let startDay, _) = shape { return startDay }
        return nil
    }

    public init(flow: Int, field: Field, shape: Shape) {
        self.flow = flow
        self.field = field
        self.shape = shape
    }

    /// The ramp's start day and value on `day`, or nil for other shapes and before the start.
    func ramp(day: Int) -> (start: Int, value: Double)? {
        guard case .ramp(let from, let to, let startDay, let endDay) = shape, startDay <= day else { return nil }
        if day >= endDay { return (startDay, to) }
        return (startDay, from + (to - from) * Double(day - startDay) / Double(endDay - startDay))
    }

    /// The sine's or decay's offset on `day` for a flow introduced on `introducedDay` (0 for a ramp).
    func offset(day: Int, introducedDay: Int) -> Double {
        switch shape {
        case .ramp:
            return 0
        case .sine(let amplitude, let periodDays, let phaseDays):
            return amplitude * sin(2 * Double.pi * (Double(day) + phaseDays) / periodDays)
        case .decay(let lift, let halfLifeDays):
            guard day >= introducedDay else { return 0 }
            return lift * pow(2, -Double(day - introducedDay) / halfLifeDays)
        }
    }
}

extension PersonaModel {
    /// `truth` (flow `flow`'s truth after the step drifts in force on `day`) with the persona's trends of the flow
    /// applied and clamped; unchanged when the flow has none.
    func applyingTrends(to truth: FlowTruth, flow: Int, day: Int) -> FlowTruth {
        var t = truth
        for (field, value) in trendedValues(of: truth, flow: flow, day: day) { t[field] = field.clamped(value) }
        return t
    }

    /// The value of every field the flow's trends touch on `day`, before clamping.
    func trendedValues(of truth: FlowTruth, flow: Int, day: Int) -> [(field: TrendModel.Field, value: Double)] {
        let trends = self.trends.filter { $0.flow == flow }
        guard !trends.isEmpty else { return [] }
        var result: [(field: TrendModel.Field, value: Double)] = []
        for field in TrendModel.Field.allCases {
            let own = trends.filter { $0.field == field }
            guard !own.isEmpty else { continue }
            let lastDrift = drift.filter { $0.flow == flow && $0.day <= day && $0.sets(field) }.map(\.day).max()
            var value = truth[field]
            var ramp: (start: Int, value: Double)?
            for trend in own {
                guard let r = trend.ramp(day: day), r.start >= (lastDrift ?? r.start),
                    r.start >= (ramp?.start ?? r.start)
                else { continue }
                ramp = r
            }
            if let ramp { value = ramp.value }
            for trend in own { value += trend.offset(day: day, introducedDay: flows[flow].introducedDay) }
            result.append((field, value))
        }
        return result
    }
}

extension TrendModel.Field {
    /// Probabilities in [0, 1]; a median at least ``TrendModel/minimumMedianMinutes``.
    public func clamped(_ value: Double) -> Double {
        self == .timeToFirstWinMedian ? max(value, TrendModel.minimumMedianMinutes) : min(max(value, 0), 1)
    }
}

extension Oracle {
    /// The values flow `flow`'s trends give on `day` that leave their range and are clamped (a probability outside
    /// [0, 1], a median below one minute), before clamping; empty without trends.
    public func clampedTrendValues(persona: Int, flow: Int, day: Int) -> [(field: TrendModel.Field, value: Double)] {
        let p = world.personas[persona]
        return p.trendedValues(of: steppedTruth(persona: persona, flow: flow, day: day), flow: flow, day: day)
            .filter { $0.field.clamped($0.value) != $0.value }
    }
}

extension DriftModel {
    /// Whether this step drift sets `field`.
    func sets(_ field: TrendModel.Field) -> Bool {
        switch field {
        case .activation7d: return activation7d != nil
        case .retentionIfActivated: return retentionIfActivated != nil
        case .retentionIfNot: return retentionIfNot != nil
        case .upgrade: return upgrade != nil
        case .timeToFirstWinMedian: return timeToFirstWin != nil
        }
    }
}

extension FlowTruth {
    /// One truth value by field.
    subscript(field: TrendModel.Field) -> Double {
        get {
            switch field {
            case .activation7d: return activation7d
            case .retentionIfActivated: return retentionIfActivated
            case .retentionIfNot: return retentionIfNot
            case .upgrade: return upgrade.level
            case .timeToFirstWinMedian: return timeToFirstWin.medianMinutes
            }
        }
        set {
            switch field {
            case .activation7d: activation7d = newValue
            case .retentionIfActivated: retentionIfActivated = newValue
            case .retentionIfNot: retentionIfNot = newValue
            case .upgrade: upgrade.level = newValue
            case .timeToFirstWinMedian: timeToFirstWin.medianMinutes = newValue
            }
        }
    }
}

extension Upgrade {
    /// The value a trend on `upgrade` moves: the flat probability, or the first part of a conditional upgrade;
    /// setting it moves both parts of a conditional upgrade by the same amount (clamped to [0, 1]). The loader
    /// refuses a trend on a flow whose upgrade is conditional; a drift can still make it so.
    public var level: Double {
        get {
            switch self {
            case .flat(let p): return p
            case .ifRetained(let yes, _), .ifActivated(let yes, _): return yes
            }
        }
        set {
            let delta = newValue - level
            func moved(_ p: Double) -> Double { min(max(p + delta, 0), 1) }
            switch self {
            case .flat: self = .flat(newValue)
            case .ifRetained(let yes, let no): self = .ifRetained(yes: moved(yes), no: moved(no))
            case .ifActivated(let yes, let no): self = .ifActivated(yes: moved(yes), no: moved(no))
            }
        }
    }
}

extension TimeToWin {
    /// The median in minutes (a fixed time's minutes); setting it keeps the family and shape.
    public var medianMinutes: Double {
        get {
            switch self {
            case .lognormal(let median, _), .exponential(let median): return median
            case .fixed(let minutes): return minutes
            }
        }
        set {
            switch self {
            case .lognormal(_, let sigma): self = .lognormal(medianMinutes: newValue, sigma: sigma)
            case .exponential: self = .exponential(medianMinutes: newValue)
            case .fixed: self = .fixed(minutes: newValue)
            }
        }
    }
}
