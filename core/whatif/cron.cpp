#include "whatif/cron.h"

#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace headroom::whatif {
namespace {

struct Field {
    const char* name;
    int lo, hi;
    std::array<const char*, 12> names; ///< for lo, lo + 1, ...; empty when the field has none
};

constexpr Field kFields[] = {
    {"minute", 0, 59, {}},
    {"hour", 0, 23, {}},
    {"day of month", 1, 31, {}},
    {"month",
     1,
     12,
     {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}},
    {"day of week", 0, 7, {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}},
};

std::optional<int> valueOf(std::string_view s, const Field& f) {
    int v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && end == s.data() + s.size())
        return v;
    for (std::size_t k = 0; k < f.names.size() && f.names[k]; ++k) {
        const std::string_view name = f.names[k];
        if (s.size() == name.size() &&
            std::equal(s.begin(), s.end(), name.begin(), [](char a, char b) {
                return std::toupper(static_cast<unsigned char>(a)) == b;
            }))
            return f.lo + static_cast<int>(k);
    }
    return std::nullopt;
}

/// One field into the values it allows (lo..hi), or why it cannot be read.
Result<std::vector<bool>> parseField(std::string_view text, const Field& f) {
    std::vector<bool> allowed(static_cast<std::size_t>(f.hi + 1), false);
    const auto fail = [&](const std::string& why) {
        return Error{"cron " + std::string(f.name) + " field \"" + std::string(text) + "\": " + why,
                     "", ""};
    };
    while (!text.empty()) {
        const auto comma = text.find(',');
        std::string_view item = text.substr(0, comma);
        text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
        int step = 1;
        bool stepped = false;
        if (const auto slash = item.find('/'); slash != std::string_view::npos) {
            const auto s = item.substr(slash + 1);
            const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), step);
            if (ec != std::errc() || end != s.data() + s.size() || step < 1)
                return fail("the step \"" + std::string(s) + "\" is not a positive number");
            item = item.substr(0, slash);
            stepped = true;
        }
        int from = f.lo, to = f.hi;
        if (item != "*") {
            const auto dash = item.find('-');
            const auto a = valueOf(item.substr(0, dash), f);
            const auto b = dash == std::string_view::npos ? a : valueOf(item.substr(dash + 1), f);
            if (!a || !b)
                return fail("\"" + std::string(item) + "\" is not a value or range");
            from = *a;
            to = dash == std::string_view::npos && stepped ? f.hi : *b; // 5/15: 5, 20, 35, 50
        }
        if (from < f.lo || to > f.hi || from > to)
            return fail("values run from " + std::to_string(f.lo) + " to " + std::to_string(f.hi));
        for (int v = from; v <= to; v += step)
            allowed[static_cast<std::size_t>(v)] = true;
    }
    return allowed;
}

} // namespace

Result<CronSchedule> parseCron(std::string_view text) {
    std::vector<std::string_view> parts;
    for (std::size_t i = 0; i < text.size();) {
        while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i])))
            ++i;
        const auto start = i;
        while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i])))
            ++i;
        if (i > start)
            parts.push_back(text.substr(start, i - start));
    }
    if (parts.size() != 5)
        return Error{"a cron expression has five fields (minute hour day-of-month month "
                     "day-of-week), \"" +
                         std::string(text) + "\" has " + std::to_string(parts.size()),
                     "", ""};
    CronSchedule out;
    for (std::size_t k = 0; k < 5; ++k) {
        auto allowed = parseField(parts[k], kFields[k]);
        if (!allowed)
            return allowed.error();
        for (int v = kFields[k].lo; v <= kFields[k].hi; ++v) {
            if (!(*allowed)[static_cast<std::size_t>(v)])
                continue;
            switch (k) {
            case 0:
                out.minutes.set(static_cast<std::size_t>(v));
                break;
            case 1:
                out.hours.set(static_cast<std::size_t>(v));
                break;
            case 2:
                out.daysOfMonth.set(static_cast<std::size_t>(v));
                break;
            case 3:
                out.months.set(static_cast<std::size_t>(v));
                break;
            default:
                out.daysOfWeek.set(static_cast<std::size_t>(v % 7));
                break;
            }
        }
    }
    out.anyDayOfMonth = parts[2].front() == '*';
    out.anyDayOfWeek = parts[4].front() == '*';
    return out;
}

bool CronSchedule::matches(std::int64_t unixSeconds) const {
    using namespace std::chrono;
    const sys_seconds at{seconds{unixSeconds}};
    const auto day = floor<days>(at);
    const hh_mm_ss time{at - day};
    const year_month_day date{day};
    if (!minutes.test(static_cast<std::size_t>(time.minutes().count())) ||
        !hours.test(static_cast<std::size_t>(time.hours().count())) ||
        !months.test(unsigned(date.month())))
        return false;
    const bool dom = daysOfMonth.test(unsigned(date.day()));
    const bool dow = daysOfWeek.test(weekday{day}.c_encoding());
    if (anyDayOfMonth || anyDayOfWeek)
        return dom && dow;
    return dom || dow;
}

} // namespace headroom::whatif
