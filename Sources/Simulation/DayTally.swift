import OnboardingEngine

/// What one simulated day counts per persona while users arrive: signups by assignment mode, the users whose
/// mode an ε draw decided (and how many of them explored), and the regret of the flows presented. One value per
/// persona, so counting a user changes one array element, not one element in each of ten arrays.
struct DayTally {
    struct Counts {
        var signups = 0
        var explore = 0
        var exploit = 0
        var holdback = 0
        var epsilonUsers = 0
        var epsilonExplore = 0
        var regret = 0.0
        var activationRegret = 0.0
        /// Users the runtime inferred as another persona, and their regret (persona inference only).
        var misclassified = 0
        var misclassifiedRegret = 0.0
    }

    private var personas: [Counts]

    init(personas: Int) {
        self.personas = Array(repeating: Counts(), count: personas)
    }

    subscript(p: Int) -> Counts {
        get { personas[p] }
        _modify { yield &personas[p] }
    }

    /// Counts one assignment and the regret of the flow presented; `epsilonDrawn` says whether the persona's
    /// policy decides by an ε draw today.
    mutating func count(
        _ mode: AssignmentMode, persona p: Int, epsilonDrawn: Bool, regret: Double, activationRegret: Double
    ) {
        precondition(p >= 0 && p < personas.count, "persona index out of range")
        personas.withUnsafeMutableBufferPointer {
            $0[p].count(mode, epsilonDrawn: epsilonDrawn, regret: regret, activationRegret: activationRegret)
        }
    }
}

extension DayTally.Counts {
    mutating func count(_ mode: AssignmentMode, epsilonDrawn: Bool, regret: Double, activationRegret: Double) {
        signups += 1
        switch mode {
        case .explore: explore += 1
        case .exploit: exploit += 1
        case .holdback: holdback += 1
        }
        if mode != .holdback && epsilonDrawn {
            epsilonUsers += 1
            if mode == .explore { epsilonExplore += 1 }
        }
        self.regret += regret
        self.activationRegret += activationRegret
    }
}

/// Per persona and signup day: the users who signed up and how many of them activate within 7 days, are
/// retained at 30 and upgrade (decided at signup, so a cohort's rates are known before its outcomes arrive).
/// One value per (persona, day) in one array.
struct CohortTally {
    struct Counts {
        var signups = 0
        var activated = 0
        var retained = 0
        var upgraded = 0
    }

    private var cells: [Counts]
    let horizon: Int

    init(personas: Int, horizon: Int) {
        self.horizon = horizon
        cells = Array(repeating: Counts(), count: personas * horizon)
    }

    subscript(p: Int, day: Int) -> Counts {
        precondition(day >= 0 && day < horizon, "signup day out of range")
        return cells[p * horizon + day]
    }

    /// One persona's counts of one kind, by signup day.
    func series(_ p: Int, _ kind: KeyPath<Counts, Int>) -> [Int] {
        cells[p * horizon..<(p + 1) * horizon].map { $0[keyPath: kind] }
    }

    mutating func add(persona p: Int, day: Int, activated a: Bool, retained r: Bool, upgraded u: Bool) {
        precondition(day >= 0 && day < horizon, "signup day out of range")
        let i = p * horizon + day
        precondition(i >= 0 && i < cells.count, "persona index out of range")
        cells.withUnsafeMutableBufferPointer { all in
            all[i].signups += 1
            if a { all[i].activated += 1 }
            if r { all[i].retained += 1 }
            if u { all[i].upgraded += 1 }
        }
    }
}
