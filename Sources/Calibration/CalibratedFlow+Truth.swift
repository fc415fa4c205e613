import Stochastics

extension CalibratedFlow {
    /// The point estimates.
    var pointTruth: TruthValues {
        TruthValues(
            activation: activation.point, retention: retention.point,
            conditionalRetention: conditionalRetention.map { ($0.ifActivated.point, $0.ifNot.point) },
            upgrade: upgrade.point,
            timeToWin: timeToWin.map { ($0.family, $0.medianMinutes, $0.sigma) })
    }

    /// One draw: Beta posteriors for the probabilities, the fit's asymptotic normal for the time to first win.
    func drawTruth(_ random: RandomStream) -> TruthValues {
        let conditional = conditionalRetention.map { ($0.ifActivated.draw(random), $0.ifNot.draw(random)) }
        return TruthValues(
            activation: activation.draw(random), retention: retention.draw(random),
            conditionalRetention: conditional, upgrade: upgrade.draw(random),
            timeToWin: timeToWin.map { fit in
                let d = fit.draw(random)
                return (fit.family, d.median, d.sigma)
            })
    }
}
