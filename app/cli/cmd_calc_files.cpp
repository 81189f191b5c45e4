// headroom-cli calc mva MODEL.json and calc usl DATA.csv: the calculators that read a file.
// Malformed files are refused with the place (a JSON pointer, a line and column).

#include "analysis/mva.h"
#include "analysis/usl.h"
#include "cli/calc_support.h"
#include "common/text_position.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <climits>
#include <vector>

namespace headroom::cli::calc {
namespace {

using namespace analysis;

// ---- calc mva -------------------------------------------------------------------------------

/// A field of MODEL.json that is missing or wrong, at a JSON pointer; thrown and caught
/// within parseNetwork only.
struct ModelProblem {
    std::string pointer;
    std::string message;
};

std::string pointerTo(const std::string& parent, const std::string& key) {
    std::string escaped; // RFC 6901: ~ as ~0, / as ~1
    for (char c : key)
        escaped += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
    return parent + "/" + escaped;
}

void refuseUnknownFields(const nlohmann::json& object, const std::string& at,
                         std::initializer_list<std::string_view> known, const char* expected) {
    for (const auto& [key, value] : object.items())
        if (std::find(known.begin(), known.end(), key) == known.end())
            throw ModelProblem{pointerTo(at, key),
                               std::string("unknown field; expected ") + expected};
}

/// A finite number of seconds, 0 or more.
double seconds(const nlohmann::json& value, const std::string& at) {
    if (!value.is_number())
        throw ModelProblem{at,
                           std::string("expected a number of seconds, found ") + value.type_name()};
    const double v = value.get<double>();
    if (!std::isfinite(v) || v < 0)
        throw ModelProblem{at, "must be a finite number of seconds, 0 or more, got " + num(v)};
    return v;
}

int population(const nlohmann::json& value, const std::string& at) {
    if (!value.is_number())
        throw ModelProblem{at, std::string("expected a whole number of jobs, found ") +
                                   value.type_name()};
    if (!value.is_number_integer())
        throw ModelProblem{at, "expected a whole number of jobs, got " + value.dump()};
    const bool inRange =
        value.is_number_unsigned()
            ? value.get<std::uint64_t>() >= 1 && value.get<std::uint64_t>() <= INT_MAX
            : value.get<std::int64_t>() >= 1 && value.get<std::int64_t>() <= INT_MAX;
    if (!inRange)
        throw ModelProblem{at, "must be from 1 to " + std::to_string(INT_MAX) + " jobs, got " +
                                   value.dump()};
    return static_cast<int>(value.get<std::int64_t>());
}

/// `{"think_time": Z, "population": N, "stations": [{"name", "demand", "kind"}]}`; think_time
/// defaults to 0, a station's kind to "queue" and its name to nothing.
Result<ClosedNetwork> parseNetwork(const std::string& text, const std::string& file) {
    nlohmann::json root;
    try {
        root = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        std::string message = e.what();
        // nlohmann prefixes "[json.exception.parse_error.101] parse error at line L, column C: "
        if (const auto colon = message.find(": "); colon != std::string::npos)
            message = message.substr(colon + 2);
        // e.byte counts from 1, as the column does.
        return Error{"invalid JSON: " + message, file,
                     lineAndColumn(text, e.byte > 0 ? e.byte - 1 : 0) + " (byte " +
                         std::to_string(e.byte) + ")"};
    }
    try {
        if (!root.is_object())
            throw ModelProblem{"", std::string("expected an object with think_time, population "
                                               "and stations, found ") +
                                       root.type_name()};
        refuseUnknownFields(root, "", {"think_time", "population", "stations"},
                            "think_time, population or stations");
        ClosedNetwork network;
        if (root.contains("think_time"))
            network.thinkSeconds = seconds(root["think_time"], "/think_time");
        if (!root.contains("population"))
            throw ModelProblem{"/population", "missing: the number of jobs (users) circulating"};
        network.population = population(root["population"], "/population");
        if (!root.contains("stations"))
            throw ModelProblem{"/stations", "missing: the list of stations"};
        const auto& stations = root["stations"];
        if (!stations.is_array())
            throw ModelProblem{"/stations", std::string("expected an array of stations, found ") +
                                                stations.type_name()};
        if (stations.empty())
            throw ModelProblem{"/stations", "the network has no stations"};
        for (std::size_t k = 0; k < stations.size(); ++k) {
            const auto& s = stations[k];
            const std::string at = "/stations/" + std::to_string(k);
            if (!s.is_object())
                throw ModelProblem{at, std::string("expected a station object, found ") +
                                           s.type_name()};
            refuseUnknownFields(s, at, {"name", "demand", "kind"}, "name, demand or kind");
            MvaStation station;
            if (s.contains("name")) {
                if (!s["name"].is_string())
                    throw ModelProblem{at + "/name", std::string("expected a string, found ") +
                                                         s["name"].type_name()};
                station.name = s["name"].get<std::string>();
            }
            if (!s.contains("demand"))
                throw ModelProblem{at + "/demand", "missing: the service demand in seconds"};
            station.demandSeconds = seconds(s["demand"], at + "/demand");
            if (s.contains("kind")) {
                const auto& kind = s["kind"];
                if (kind == "queue")
                    station.kind = MvaStationKind::Queue;
                else if (kind == "delay")
                    station.kind = MvaStationKind::Delay;
                else
                    throw ModelProblem{at + "/kind",
                                       "expected \"queue\" or \"delay\", found " + kind.dump()};
            }
            network.stations.push_back(std::move(station));
        }
        return network;
    } catch (const ModelProblem& problem) {
        return Error{problem.message, file, problem.pointer};
    }
}

struct MvaOptions {
    std::string file;
    std::string method = "exact";
    Format format = Format::Text;
};

void runMva(const MvaOptions& o, int& exitCode) {
    exitCode = kBadInput;
    const auto text = readText(o.file);
    if (!text) {
        printError(text.error());
        return;
    }
    const auto network = parseNetwork(*text, o.file);
    if (!network) {
        printError(network.error());
        return;
    }
    const bool exact = o.method == "exact";
    std::optional<SchweitzerResult> approximate;
    MvaResult result;
    // The core names the fields as in ClosedNetwork; say them as the file does.
    const auto report = [&](Error error) {
        if (error.location == "/thinkSeconds")
            error.location = "/think_time";
        error.file = o.file;
        printError(error);
    };
    if (exact) {
        auto solved = exactMva(*network);
        if (!solved) {
            report(solved.error());
            return;
        }
        result = std::move(*solved);
    } else {
        auto solved = schweitzerMva(*network);
        if (!solved) {
            report(solved.error());
            return;
        }
        approximate = std::move(*solved);
        result = approximate->solution;
        if (!approximate->converged)
            std::cerr << "headroom-cli: warning: Schweitzer's iteration did not converge in "
                      << approximate->iterations << " iterations; the figures are its last "
                      << "iterate\n";
    }
    const auto bounds = asymptoticBounds(*network);
    const auto& stations = network->stations;
    const auto label = [&](std::size_t k) {
        return stations[k].name.empty() ? "station " + std::to_string(k + 1) : stations[k].name;
    };

    if (o.format == Format::Json) {
        Json out;
        out["method"] = o.method;
        out["population"] = network->population;
        out["think_time_s"] = network->thinkSeconds;
        if (approximate) {
            out["converged"] = approximate->converged;
            out["iterations"] = approximate->iterations;
        }
        out["throughput_per_s"] = result.throughputPerSecond;
        out["response_s"] = result.responseSeconds;
        if (bounds)
            out["bounds"] = {{"throughput_upper", bounds->throughputUpper},
                             {"throughput_lower", bounds->throughputLower},
                             {"response_lower_s", bounds->responseLower},
                             {"response_upper_s", bounds->responseUpper},
                             {"saturation_population", orNull(bounds->saturationPopulation)}};
        auto& list = out["stations"] = Json::array();
        for (std::size_t k = 0; k < stations.size(); ++k) {
            const auto& s = result.stations[k];
            list.push_back({{"name", stations[k].name},
                            {"kind", stations[k].kind == MvaStationKind::Queue ? "queue" : "delay"},
                            {"demand_s", stations[k].demandSeconds},
                            {"utilisation", orNull(s.utilisation)},
                            {"queue_length", s.queueLength},
                            {"residence_s", s.residenceSeconds}});
        }
        printJson(out);
        exitCode = kSuccess;
        return;
    }

    std::cout << (exact ? "Exact MVA" : "Schweitzer's approximate MVA") << ": "
              << plural(static_cast<std::size_t>(network->population), "job") << ", think time "
              << secs(network->thinkSeconds) << '\n';
    if (approximate)
        row(approximate->converged ? "converged" : "NOT converged",
            "after " + std::to_string(approximate->iterations) + " iterations");
    row("throughput", num(result.throughputPerSecond) + " jobs/s");
    row("response time", secs(result.responseSeconds));
    if (bounds) { // Lazowska et al., "Quantitative System Performance", chapter 5
        row("throughput bounds",
            num(bounds->throughputLower) + " .. " + num(bounds->throughputUpper) + " jobs/s");
        row("response bounds", secs(bounds->responseLower) + " .. " + secs(bounds->responseUpper));
        if (bounds->saturationPopulation)
            row("N* (bounds cross)", num(*bounds->saturationPopulation) + " jobs");
    }
    std::cout << '\n';
    std::vector<std::vector<std::string>> rows{
        {"station", "kind", "demand (s)", "utilisation", "queue length", "residence (s)"}};
    for (std::size_t k = 0; k < stations.size(); ++k) {
        const auto& s = result.stations[k];
        rows.push_back({printable(label(k)),
                        stations[k].kind == MvaStationKind::Queue ? "queue" : "delay",
                        num(stations[k].demandSeconds), s.utilisation ? num(*s.utilisation) : "-",
                        num(s.queueLength), num(s.residenceSeconds)});
    }
    std::vector<std::size_t> width(rows[0].size());
    for (const auto& r : rows)
        for (std::size_t c = 0; c < r.size(); ++c)
            width[c] = std::max(width[c], r[c].size());
    for (const auto& r : rows) {
        std::string line;
        for (std::size_t c = 0; c < r.size(); ++c) {
            const std::string pad(width[c] - r[c].size(), ' ');
            line += (c < 2 ? r[c] + pad : pad + r[c]) + (c + 1 < r.size() ? "  " : "");
        }
        while (!line.empty() && line.back() == ' ')
            line.pop_back();
        std::cout << line << '\n';
    }
    exitCode = kSuccess;
}

void setupMvaCommand(CLI::App& command, int& exitCode) {
    auto o = std::make_shared<MvaOptions>();
    command
        .add_option("MODEL", o->file,
                    "JSON: {\"think_time\": Z, \"population\": N, \"stations\": [{\"name\", "
                    "\"demand\" (seconds), \"kind\": \"queue\"|\"delay\"}]}")
        ->required();
    command.add_option("--method", o->method, "Exact MVA, or Schweitzer's approximation")
        ->check(CLI::IsMember({"exact", "schweitzer"}))
        ->type_name("exact|schweitzer")
        ->capture_default_str();
    addFormatOption(command, o->format);
    command.callback([o, &exitCode] { guarded(*o, exitCode, runMva); });
}

// ---- calc usl -------------------------------------------------------------------------------

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
        s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
        s.remove_suffix(1);
    return s;
}

/// The fields of a line, trimmed, with one pair of enclosing double quotes taken off.
std::vector<std::string> splitFields(std::string_view line, char delimiter) {
    std::vector<std::string> fields;
    for (std::size_t start = 0;;) {
        const auto end = line.find(delimiter, start);
        auto field = trim(line.substr(start, end == std::string_view::npos ? end : end - start));
        if (field.size() >= 2 && field.front() == '"' && field.back() == '"')
            field = trim(field.substr(1, field.size() - 2));
        fields.emplace_back(field);
        if (end == std::string_view::npos)
            return fields;
        start = end + 1;
    }
}

std::optional<double> parseNumber(std::string_view text) {
    if (!text.empty() && text.front() == '+')
        text.remove_prefix(1);
    double v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty())
        return std::nullopt;
    return v;
}

std::string lowercase(std::string_view text) {
    std::string out(text);
    for (auto& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

/// Measurements from a CSV of N and throughput: a header naming the two columns (in any
/// order, other columns ignored) or no header and exactly those two columns; comma, semicolon
/// or tab separated (as the first line has it); blank lines ignored.
Result<std::vector<UslPoint>> readUslCsv(std::string_view text, const std::string& file) {
    if (text.starts_with("\xEF\xBB\xBF")) // a byte-order mark
        text.remove_prefix(3);
    std::vector<UslPoint> points;
    char delimiter = 0;
    std::size_t columns = 0, nColumn = 0, xColumn = 1;
    const auto at = [](std::size_t line, std::size_t column = 0) {
        return "line " + std::to_string(line) +
               (column ? ", column " + std::to_string(column) : std::string());
    };
    std::size_t lineNumber = 0;
    for (std::size_t start = 0; start <= text.size();) {
        const auto end = std::min(text.find('\n', start), text.size());
        const auto line = trim(text.substr(start, end - start));
        start = end + 1;
        ++lineNumber;
        if (line.empty())
            continue;
        if (!delimiter) {
            delimiter = line.find('\t') != std::string_view::npos  ? '\t'
                        : line.find(';') != std::string_view::npos ? ';'
                                                                   : ',';
            auto fields = splitFields(line, delimiter);
            columns = fields.size();
            const bool numbers = std::all_of(fields.begin(), fields.end(), [](const auto& f) {
                return parseNumber(f).has_value();
            });
            if (!numbers) {
                std::optional<std::size_t> n, x;
                for (std::size_t c = 0; c < fields.size(); ++c) {
                    const auto name = lowercase(fields[c]);
                    if (name == "n" || name == "concurrency") {
                        if (n)
                            return Error{"two columns name N", file, at(lineNumber, c + 1)};
                        n = c;
                    } else if (name == "throughput" || name == "x") {
                        if (x)
                            return Error{"two columns name the throughput", file,
                                         at(lineNumber, c + 1)};
                        x = c;
                    }
                }
                if (!n || !x)
                    return Error{std::string("the header names no ") +
                                     (!n ? "N (or concurrency)" : "throughput (or X)") +
                                     " column; expected a header naming N and throughput, or "
                                     "no header and two columns of numbers",
                                 file, at(lineNumber)};
                nColumn = *n;
                xColumn = *x;
                continue;
            }
            if (columns != 2)
                return Error{"without a header the file needs two columns, N and throughput; "
                             "found " +
                                 std::to_string(columns),
                             file, at(lineNumber)};
        }
        const auto fields = splitFields(line, delimiter);
        if (fields.size() != columns)
            return Error{"expected " + std::to_string(columns) + " fields, found " +
                             std::to_string(fields.size()),
                         file, at(lineNumber)};
        const auto value = [&](std::size_t column, const std::string& name) -> Result<double> {
            const auto parsed = parseNumber(fields[column]);
            if (!parsed)
                return Error{"not a number: '" + fields[column] + "' (" + name + ")", file,
                             at(lineNumber, column + 1)};
            if (!std::isfinite(*parsed) || *parsed <= 0)
                return Error{name + " must be a number above 0, got '" + fields[column] + "'", file,
                             at(lineNumber, column + 1)};
            return *parsed;
        };
        const auto n = value(nColumn, "N");
        if (!n)
            return n.error();
        const auto x = value(xColumn, "throughput");
        if (!x)
            return x.error();
        points.push_back({*n, *x});
    }
    return points;
}

struct UslOptions {
    std::string file;
    Format format = Format::Text;
};

void runUsl(const UslOptions& o, int& exitCode) {
    exitCode = kBadInput;
    const auto text = readText(o.file);
    if (!text) {
        printError(text.error());
        return;
    }
    const auto points = readUslCsv(*text, o.file);
    if (!points) {
        printError(points.error());
        return;
    }
    auto fit = fitUsl(*points);
    if (!fit) {
        Error error = fit.error();
        error.file = o.file;
        printError(error);
        return;
    }
    const UslCoefficients& c = fit->coefficients;
    const std::string noPeak =
        c.kappa == 0 ? "none: kappa is 0" : "none: sigma is 1, throughput never rises";

    if (o.format == Format::Json) {
        Json out;
        out["file"] = o.file;
        out["points"] = points->size();
        out["sigma"] = c.sigma;
        out["kappa"] = c.kappa;
        out["lambda"] = c.lambda;
        out["peak"] =
            fit->peak ? Json{{"n", fit->peak->concurrency}, {"throughput", fit->peak->throughput}}
                      : Json();
        if (!fit->peak)
            out["peak_note"] = noPeak;
        out["contention_limit"] = orNull(fit->contentionLimit);
        out["r_squared"] = orNull(fit->rSquared);
        printJson(out);
    } else {
        std::cout << "USL fit to " << plural(points->size(), "measurement") << " from "
                  << printable(o.file) << '\n';
        row("sigma (contention)", num(c.sigma));
        row("kappa (coherency)", num(c.kappa));
        row("lambda (X at N = 1)", num(c.lambda));
        row("peak", fit->peak ? "N = " + num(fit->peak->concurrency) + ", throughput " +
                                    num(fit->peak->throughput)
                              : noPeak);
        row("R squared", fit->rSquared ? num(*fit->rSquared) : "- (every throughput is equal)");
    }
    exitCode = kSuccess;
}

void setupUslCommand(CLI::App& command, int& exitCode) {
    auto o = std::make_shared<UslOptions>();
    command
        .add_option("DATA", o->file,
                    "CSV of N and throughput: a header naming them, or two columns of numbers")
        ->required();
    addFormatOption(command, o->format);
    command.callback([o, &exitCode] { guarded(*o, exitCode, runUsl); });
}

} // namespace

void setupMva(CLI::App& command, int& exitCode) {
    setupMvaCommand(command, exitCode);
}

void setupUsl(CLI::App& command, int& exitCode) {
    setupUslCommand(command, exitCode);
}

} // namespace headroom::cli::calc
