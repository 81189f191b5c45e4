#pragma once
// Reading a JSON document field by field, with a problem that names its JSON pointer (RFC 6901)
// and says what was expected: the policy and state parsers of the what-if engine share these.
// A parser throws json_fields::Problem from deep inside and turns it into an Error where it
// starts. Header-only; include it from .cpp files (nlohmann-json is core's private dependency).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace headroom::json_fields {

using Json = nlohmann::json;

/// A field that is missing or wrong, at a JSON pointer.
struct Problem {
    std::string pointer;
    std::string message;
};

inline std::string child(const std::string& at, std::string_view key) {
    std::string escaped; // RFC 6901: ~ as ~0, / as ~1
    for (char c : key)
        escaped += c == '~' ? std::string("~0") : c == '/' ? std::string("~1") : std::string(1, c);
    return at + "/" + escaped;
}
inline std::string child(const std::string& at, std::size_t index) {
    return at + "/" + std::to_string(index);
}

inline void expectObject(const Json& v, const std::string& at) {
    if (!v.is_object())
        throw Problem{at, std::string("expected an object, found ") + v.type_name()};
}

inline void expectArray(const Json& v, const std::string& at) {
    if (!v.is_array())
        throw Problem{at, std::string("expected an array, found ") + v.type_name()};
}

inline void refuseUnknown(const Json& object, const std::string& at,
                          std::initializer_list<std::string_view> known) {
    for (const auto& [key, value] : object.items())
        if (std::find(known.begin(), known.end(), key) == known.end()) {
            std::string list;
            for (const auto k : known)
                list += (list.empty() ? "" : ", ") + std::string(k);
            throw Problem{child(at, key), "unknown field; expected one of " + list};
        }
}

inline const Json& required(const Json& object, const char* key, const std::string& at) {
    const auto it = object.find(key);
    if (it == object.end())
        throw Problem{child(at, key), "missing"};
    return *it;
}

/// The field, or nothing when it is absent or null.
inline const Json* optional(const Json& object, const char* key) {
    const auto it = object.find(key);
    return it == object.end() || it->is_null() ? nullptr : &*it;
}

inline std::int64_t integer(const Json& v, const std::string& at, std::int64_t low,
                            std::int64_t high) {
    if (!v.is_number_integer())
        throw Problem{at, "expected a whole number, found " +
                              (v.is_number() ? v.dump() : std::string(v.type_name()))};
    const auto n = v.get<std::int64_t>();
    if (n < low || n > high)
        throw Problem{at, "must lie between " + std::to_string(low) + " and " +
                              std::to_string(high) + ", got " + std::to_string(n)};
    return n;
}

inline double number(const Json& v, const std::string& at) {
    if (!v.is_number() || !std::isfinite(v.get<double>()))
        throw Problem{at, "expected a number, found " + v.dump()};
    return v.get<double>();
}

inline bool boolean(const Json& v, const std::string& at) {
    if (!v.is_boolean())
        throw Problem{at, std::string("expected true or false, found ") + v.dump()};
    return v.get<bool>();
}

inline std::string text(const Json& v, const std::string& at) {
    if (!v.is_string())
        throw Problem{at, std::string("expected a string, found ") + v.type_name()};
    return v.get<std::string>();
}

} // namespace headroom::json_fields
