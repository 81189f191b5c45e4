#pragma once
// Inside the what-if engine: one tier's run over the load, tick by tick (run_tier.cpp). The
// simulation (simulation.cpp) prepares the load, the analysis and the tier, and calls it.

#include "whatif/simulation.h"
#include "whatif/tier.h"

#include <memory>
#include <vector>

namespace headroom::whatif {

class Autoscaler;

/// Tier `tier` over `load` (requests a second where the scenario applies, one a tick), which
/// is `drawnRate` in the drawing: each tick's rate at the tier is the load / drawnRate times
/// the tier's rate in the drawing. `scaler` (nothing: the drawn or fixed count) decides; the
/// scenario's `deploys` of this tier roll its pods.
TierRun runTier(const Tier& tier, const Project& project,
                const std::shared_ptr<const LoadSeries>& load, double drawnRate,
                const std::vector<RollingDeploy>& deploys, const SimulationOptions& options,
                Autoscaler* scaler);

} // namespace headroom::whatif
