#include "analysis/mva.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace headroom::analysis {

namespace {

Error stationError(std::size_t index, const MvaStation& station, const std::string& what) {
    const std::string label = station.name.empty() ? "station " + std::to_string(index + 1)
                                                   : "station '" + station.name + "'";
    return Error{label + ": " + what, {}, "/stations/" + std::to_string(index)};
}

/// Fills the per-station figures from the residence times of the final population.
MvaResult finish(const ClosedNetwork& network, double throughput,
                 const std::vector<double>& residence) {
    MvaResult out;
    out.throughputPerSecond = throughput;
    out.stations.reserve(residence.size());
    for (std::size_t k = 0; k < residence.size(); ++k) {
        const MvaStation& station = network.stations[k];
        MvaStationResult s;
        s.residenceSeconds = residence[k];
        s.queueLength = throughput * residence[k]; // Little's law at the station
        if (station.kind == MvaStationKind::Queue)
            s.utilisation = throughput * station.demandSeconds;
        out.responseSeconds += residence[k];
        out.stations.push_back(s);
    }
    return out;
}

} // namespace

Status validateNetwork(const ClosedNetwork& network) {
    if (network.stations.empty())
        return Error{"the network has no stations", {}, "/stations"};
    if (network.population < 1)
        return Error{"population must be at least 1, got " + std::to_string(network.population),
                     {},
                     "/population"};
    if (!std::isfinite(network.thinkSeconds) || network.thinkSeconds < 0)
        return Error{"think time must be a finite number of seconds >= 0", {}, "/thinkSeconds"};
    double total = network.thinkSeconds;
    for (std::size_t k = 0; k < network.stations.size(); ++k) {
        const MvaStation& s = network.stations[k];
        if (!std::isfinite(s.demandSeconds))
            return stationError(k, s, "service demand is not a finite number");
        if (s.demandSeconds < 0)
            return stationError(k, s,
                                "service demand must be >= 0 seconds, got " +
                                    std::to_string(s.demandSeconds));
        total += s.demandSeconds;
    }
    if (!(total > 0))
        return Error{"every demand and the think time are zero: throughput would be unbounded",
                     {},
                     "/stations"};
    return Done{};
}

namespace {

/// The exact recursion, telling `each` X(n) and R(n) at every population on the way.
template <typename EachPopulation>
Result<MvaResult> exactMvaWith(const ClosedNetwork& network, EachPopulation each) {
    if (auto ok = validateNetwork(network); !ok)
        return ok.error();
    const std::size_t count = network.stations.size();
    // Demands split into two arrays so the inner loop has no branch on the kind: a delay
    // station's residence is its demand whatever the queue, which is D (1 + 0 Q).
    std::vector<double> demand(count), queueFactor(count), queue(count, 0.0), residence(count);
    for (std::size_t k = 0; k < count; ++k) {
        demand[k] = network.stations[k].demandSeconds;
        queueFactor[k] = network.stations[k].kind == MvaStationKind::Queue ? 1.0 : 0.0;
    }
    double throughput = 0;
    for (int n = 1; n <= network.population; ++n) {
        double response = 0;
        for (std::size_t k = 0; k < count; ++k) {
            residence[k] = demand[k] * (1 + queueFactor[k] * queue[k]);
            response += residence[k];
        }
        throughput = n / (network.thinkSeconds + response);
        for (std::size_t k = 0; k < count; ++k)
            queue[k] = throughput * residence[k];
        each(n, throughput, response);
    }
    return finish(network, throughput, residence);
}

} // namespace

Result<MvaResult> exactMva(const ClosedNetwork& network) {
    return exactMvaWith(network, [](int, double, double) {});
}

Result<std::vector<MvaPoint>> exactMvaCurve(const ClosedNetwork& network) {
    std::vector<MvaPoint> curve;
    if (auto ok = validateNetwork(network); ok)
        curve.reserve(static_cast<std::size_t>(network.population));
    auto solved = exactMvaWith(network, [&](int n, double x, double r) {
        curve.push_back({n, x, r});
    });
    if (!solved)
        return solved.error();
    return curve;
}

Result<SchweitzerResult> schweitzerMva(const ClosedNetwork& network,
                                       const SchweitzerOptions& options) {
    if (auto ok = validateNetwork(network); !ok)
        return ok.error();
    if (!(options.tolerance > 0) || options.maxIterations < 1)
        return Error{"Schweitzer MVA needs a tolerance > 0 and at least one iteration", "", ""};
    const std::size_t count = network.stations.size();
    const double n = network.population;
    const double arrivalShare = (n - 1) / n; // Q_k(N-1) ~ (N-1)/N Q_k(N)

    std::size_t queueStations = 0;
    for (const MvaStation& s : network.stations)
        queueStations += s.kind == MvaStationKind::Queue ? 1 : 0;
    std::vector<double> queue(count, 0.0), residence(count);
    for (std::size_t k = 0; k < count; ++k)
        if (network.stations[k].kind == MvaStationKind::Queue)
            queue[k] = n / static_cast<double>(queueStations);

    SchweitzerResult out;
    double throughput = 0;
    const double limit = options.tolerance * n;
    for (int i = 1; i <= options.maxIterations; ++i) {
        double response = 0;
        for (std::size_t k = 0; k < count; ++k) {
            const MvaStation& s = network.stations[k];
            residence[k] = s.kind == MvaStationKind::Queue
                               ? s.demandSeconds * (1 + arrivalShare * queue[k])
                               : s.demandSeconds;
            response += residence[k];
        }
        throughput = n / (network.thinkSeconds + response);
        double change = 0;
        for (std::size_t k = 0; k < count; ++k) {
            const double next = throughput * residence[k];
            change = std::max(change, std::abs(next - queue[k]));
            queue[k] = next;
        }
        out.iterations = i;
        if (change <= limit) {
            out.converged = true;
            break;
        }
    }
    out.solution = finish(network, throughput, residence);
    return out;
}

Result<AsymptoticBounds> asymptoticBounds(const ClosedNetwork& network) {
    if (auto ok = validateNetwork(network); !ok)
        return ok.error();
    double queueDemand = 0, delayDemand = 0, largest = 0;
    for (const MvaStation& s : network.stations) {
        if (s.kind == MvaStationKind::Queue) {
            queueDemand += s.demandSeconds;
            largest = std::max(largest, s.demandSeconds);
        } else {
            delayDemand += s.demandSeconds;
        }
    }
    const double n = network.population;
    const double z = network.thinkSeconds;
    const double total = queueDemand + delayDemand;
    AsymptoticBounds b;
    b.throughputUpper = n / (total + z);
    b.responseLower = total;
    if (largest > 0) {
        b.throughputUpper = std::min(b.throughputUpper, 1 / largest);
        b.responseLower = std::max(b.responseLower, n * largest - z);
        b.saturationPopulation = (total + z) / largest;
    }
    b.responseUpper = n * queueDemand + delayDemand;
    b.throughputLower = n / (b.responseUpper + z);
    return b;
}

} // namespace headroom::analysis
