#include "analysis/usl.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <unsupported/Eigen/LevenbergMarquardt>
#include <vector>

namespace headroom::analysis {

double uslThroughput(const UslCoefficients& c, double n) {
    return c.lambda * n / (1 + c.sigma * (n - 1) + c.kappa * n * (n - 1));
}

std::optional<UslPeak> uslPeak(const UslCoefficients& c) {
    if (!(c.kappa > 0) || !(c.sigma < 1))
        return std::nullopt;
    const double n = std::sqrt((1 - c.sigma) / c.kappa);
    return UslPeak{n, uslThroughput(c, n)};
}

namespace {

/// How one bounded coefficient takes part in a fit: solved for, or pinned at a bound.
enum class Role { Free, AtZero, AtOne };

/// Residuals X(N_i) - X_i over the free coefficients, in the order lambda, sigma, kappa
/// (lambda is always free), with the analytic Jacobian:
///   dX/dlambda = N / d,  dX/dsigma = -lambda N (N - 1) / d^2,
///   dX/dkappa = -lambda N^2 (N - 1) / d^2,  where d = 1 + sigma (N - 1) + kappa N (N - 1).
struct UslResiduals : Eigen::DenseFunctor<double> {
    UslResiduals(std::span<const UslPoint> points, Role sigma, Role kappa)
        : DenseFunctor(1 + (sigma == Role::Free) + (kappa == Role::Free),
                       static_cast<int>(points.size())),
          points(points), sigma(sigma), kappa(kappa) {}

    std::span<const UslPoint> points;
    Role sigma, kappa;

    static double pinned(Role role) { return role == Role::AtOne ? 1.0 : 0.0; }

    [[nodiscard]] UslCoefficients unpack(const InputType& x) const {
        Eigen::Index next = 1;
        UslCoefficients c;
        c.lambda = x[0];
        c.sigma = sigma == Role::Free ? x[next++] : pinned(sigma);
        c.kappa = kappa == Role::Free ? x[next++] : pinned(kappa);
        return c;
    }

    int operator()(const InputType& x, ValueType& f) const {
        const UslCoefficients c = unpack(x);
        for (std::size_t i = 0; i < points.size(); ++i)
            f[static_cast<Eigen::Index>(i)] =
                uslThroughput(c, points[i].concurrency) - points[i].throughput;
        return f.allFinite() ? 0 : -1; // a negative value stops the solver (UserAsked)
    }

    int df(const InputType& x, JacobianType& jacobian) const {
        const UslCoefficients c = unpack(x);
        for (std::size_t i = 0; i < points.size(); ++i) {
            const auto row = static_cast<Eigen::Index>(i);
            const double n = points[i].concurrency;
            const double d = 1 + c.sigma * (n - 1) + c.kappa * n * (n - 1);
            Eigen::Index column = 0;
            jacobian(row, column++) = n / d;
            if (sigma == Role::Free)
                jacobian(row, column++) = -c.lambda * n * (n - 1) / (d * d);
            if (kappa == Role::Free)
                jacobian(row, column++) = -c.lambda * n * n * (n - 1) / (d * d);
        }
        return 0;
    }
};

bool converged(Eigen::LevenbergMarquardtSpace::Status status) {
    using namespace Eigen::LevenbergMarquardtSpace;
    switch (status) {
    case RelativeReductionTooSmall:
    case RelativeErrorTooSmall:
    case RelativeErrorAndReductionTooSmall:
    case CosinusTooSmall:
    // The tolerances asked for more than double precision can give: the point cannot be
    // improved, which for a least-squares fit is as converged as it gets.
    case FtolTooSmall:
    case XtolTooSmall:
    case GtolTooSmall:
        return true;
    default:
        return false;
    }
}

struct Candidate {
    UslCoefficients coefficients;
    double residualSumOfSquares = 0;
};

/// Starting values for the solver.
using Start = UslCoefficients;

/// The usl package's starting point (R/usl.R, usl.solve.nlxb): lambda = max(X / N),
/// sigma = 0.01, kappa = 0.0001.
Start packageStart(std::span<const UslPoint> points) {
    double lambda = 0;
    for (const UslPoint& p : points)
        lambda = std::max(lambda, p.throughput / p.concurrency);
    return {0.01, 0.0001, lambda};
}

/// A start from the linearised law: N / X = 1/lambda + (sigma/lambda) (N - 1) +
/// (kappa/lambda) N (N - 1) is linear in its three coefficients, so ordinary least squares
/// on N / X gives them directly (the quadratic transform of Guerrilla Capacity Planning,
/// section 5.2.3, as the usl vignette cites it, with 1/lambda fitted as well instead of
/// normalising by a measured X(1)). It weights the points differently from the real fit, but lands
/// close to it where the package's fixed sigma and kappa are orders of magnitude off (data at
/// thousands of users, where kappa N^2 dwarfs everything else from kappa = 0.0001).
std::optional<Start> linearisedStart(std::span<const UslPoint> points) {
    const auto rows = static_cast<Eigen::Index>(points.size());
    Eigen::MatrixXd design(rows, 3);
    Eigen::VectorXd target(rows);
    for (Eigen::Index i = 0; i < rows; ++i) {
        const double n = points[static_cast<std::size_t>(i)].concurrency;
        design(i, 0) = 1;
        design(i, 1) = n - 1;
        design(i, 2) = n * (n - 1);
        target[i] = n / points[static_cast<std::size_t>(i)].throughput;
    }
    // Columns scaled to unit norm: N (N - 1) can be 10^8 times the constant column.
    Eigen::Vector3d scale = design.colwise().norm().transpose();
    for (Eigen::Index j = 0; j < 3; ++j)
        if (scale[j] == 0)
            scale[j] = 1;
    const Eigen::Vector3d solved =
        (design * scale.cwiseInverse().asDiagonal()).colPivHouseholderQr().solve(target);
    const Eigen::Vector3d c = solved.cwiseQuotient(scale);
    if (!c.allFinite() || !(c[0] > 0))
        return std::nullopt;
    return Start{std::clamp(c[1] / c[0], 0.0, 1.0), std::clamp(c[2] / c[0], 0.0, 1.0), 1 / c[0]};
}

/// One Levenberg-Marquardt fit with sigma and kappa each free or pinned; nothing when the
/// solver fails or a free coefficient ends outside its bounds.
std::optional<Candidate> fitWith(std::span<const UslPoint> points, const Start& start, Role sigma,
                                 Role kappa) {
    UslResiduals residuals(points, sigma, kappa);
    Eigen::VectorXd x(residuals.inputs());
    Eigen::Index next = 0;
    x[next++] = start.lambda;
    if (sigma == Role::Free)
        x[next++] = start.sigma;
    if (kappa == Role::Free)
        x[next++] = start.kappa;

    Eigen::LevenbergMarquardt<UslResiduals> solver(residuals);
    solver.setFtol(1e-14);
    solver.setXtol(1e-14);
    solver.setMaxfev(5000);
    if (!converged(solver.minimize(x)) || !x.allFinite())
        return std::nullopt;

    const UslCoefficients c = residuals.unpack(x);
    const bool inside =
        c.lambda >= 0 && c.sigma >= 0 && c.sigma <= 1 && c.kappa >= 0 && c.kappa <= 1;
    if (!inside)
        return std::nullopt;
    Candidate out{c, 0};
    for (const UslPoint& p : points) {
        const double r = uslThroughput(c, p.concurrency) - p.throughput;
        out.residualSumOfSquares += r * r;
    }
    return out;
}

Status checkPoints(std::span<const UslPoint> points) {
    if (points.size() < 3)
        return Error{"a USL fit needs at least 3 measurements, got " +
                         std::to_string(points.size()),
                     "", ""};
    for (std::size_t i = 0; i < points.size(); ++i) {
        const UslPoint& p = points[i];
        const std::string where = "measurement " + std::to_string(i + 1) + ": ";
        if (!std::isfinite(p.concurrency) || !(p.concurrency > 0))
            return Error{where + "concurrency must be a positive number, got " +
                             std::to_string(p.concurrency),
                         "", ""};
        if (!std::isfinite(p.throughput) || !(p.throughput > 0))
            return Error{where + "throughput must be a positive number, got " +
                             std::to_string(p.throughput),
                         "", ""};
    }
    std::vector<double> levels;
    levels.reserve(points.size());
    for (const UslPoint& p : points)
        levels.push_back(p.concurrency);
    std::sort(levels.begin(), levels.end());
    const auto distinct = std::unique(levels.begin(), levels.end()) - levels.begin();
    if (distinct < 3)
        return Error{"a USL fit needs measurements at 3 or more different concurrencies, got " +
                         std::to_string(distinct),
                     "", ""};
    return Done{};
}

} // namespace

Result<UslFit> fitUsl(std::span<const UslPoint> points) {
    if (auto ok = checkPoints(points); !ok)
        return ok.error();

    // Solved in units of the largest throughput: the fit then does not depend on the unit
    // (scripts per hour or bytes per second) and no square overflows or underflows.
    double largest = 0;
    for (const UslPoint& p : points)
        largest = std::max(largest, p.throughput);
    std::vector<UslPoint> scaled(points.begin(), points.end());
    for (UslPoint& p : scaled)
        p.throughput /= largest;

    // A bounded least-squares minimum either lies inside the box, where the unconstrained fit
    // finds it, or on a face, where it is the unconstrained minimum of the coefficients left
    // free. Fitting every combination of free and pinned, and keeping the best that stays
    // inside the bounds, gives the bounded fit. Simpler combinations go first and a richer
    // one must lower the squared error by more than rounding (1e-12 of sum X^2) to replace
    // them, so data that follow Amdahl's law exactly come out with kappa = 0, not 1e-19.
    // Each combination starts from the package's point and from the linearised fit, which
    // rescues data at large N where the package's start is far off.
    std::vector<Start> starts{packageStart(scaled)};
    if (auto linear = linearisedStart(scaled))
        starts.push_back(*linear);
    double sumOfSquares = 0;
    for (const UslPoint& p : scaled)
        sumOfSquares += p.throughput * p.throughput;
    const double noise = 1e-12 * sumOfSquares;
    constexpr std::array<std::array<Role, 2>, 9> combinations{{
        {Role::AtZero, Role::AtZero},
        {Role::AtZero, Role::AtOne},
        {Role::AtOne, Role::AtZero},
        {Role::AtOne, Role::AtOne},
        {Role::Free, Role::AtZero},
        {Role::Free, Role::AtOne},
        {Role::AtZero, Role::Free},
        {Role::AtOne, Role::Free},
        {Role::Free, Role::Free},
    }};
    std::optional<Candidate> best;
    for (const auto& [sigma, kappa] : combinations) {
        std::optional<Candidate> combination;
        for (const Start& start : starts)
            if (auto fit = fitWith(scaled, start, sigma, kappa))
                if (!combination || fit->residualSumOfSquares < combination->residualSumOfSquares)
                    combination = fit;
        if (combination &&
            (!best || combination->residualSumOfSquares < best->residualSumOfSquares - noise))
            best = combination;
    }
    if (!best)
        return Error{"the USL fit did not converge", "", ""};

    UslFit out;
    out.coefficients = best->coefficients;
    out.coefficients.lambda *= largest;
    out.residualSumOfSquares = best->residualSumOfSquares * largest * largest;
    double mean = 0;
    for (const UslPoint& p : scaled)
        mean += p.throughput;
    mean /= static_cast<double>(scaled.size());
    double total = 0;
    for (const UslPoint& p : scaled)
        total += (p.throughput - mean) * (p.throughput - mean);
    if (total > 0)
        out.rSquared = 1 - best->residualSumOfSquares / total;
    out.peak = uslPeak(out.coefficients);
    if (out.coefficients.sigma > 0)
        out.contentionLimit = out.coefficients.lambda / out.coefficients.sigma;
    return out;
}

} // namespace headroom::analysis
