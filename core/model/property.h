#pragma once
// Typed, unit-carrying properties of components, described once as data. Validation, the JSON and
// SQLite mappings and the GUI's property panel all read these descriptors.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace headroom {

enum class PropertyType { Integer, Number, Boolean, Choice, Text };

/// A property's value. Integer properties hold int64_t, numbers double, choices and text string.
using PropertyValue = std::variant<std::int64_t, double, bool, std::string>;

/// Property values of one component, keyed by descriptor key.
using PropertyMap = std::map<std::string, PropertyValue, std::less<>>;

/// One allowed value of a Choice property: the stored key and the label people read.
struct ChoiceOption {
    std::string key;
    std::string label;
};

/// Everything Headroom knows about one property of a component kind.
struct PropertyDescriptor {
    std::string key;   ///< stable identifier used in files, e.g. "service_time_ms"
    std::string label; ///< what the property panel shows, e.g. "Service time"
    PropertyType type = PropertyType::Number;
    std::string unit; ///< display unit, e.g. "ms", "req/s"; empty when dimensionless
    PropertyValue defaultValue;
    double min = 0; ///< inclusive range for Integer and Number
    double max = 0;
    std::vector<ChoiceOption> choices; ///< allowed values of a Choice property
    std::string help;                  ///< one line: what it means and where to find it

    [[nodiscard]] bool isNumeric() const {
        return type == PropertyType::Integer || type == PropertyType::Number;
    }
    [[nodiscard]] const ChoiceOption* findChoice(std::string_view key) const;
};

std::string_view toKey(PropertyType type);

/// Does the value have the representation the descriptor's type calls for?
bool holdsType(const PropertyDescriptor& descriptor, const PropertyValue& value);

/// The value as a double when it is numeric (Integer or Number), nothing otherwise.
std::optional<double> asNumber(const PropertyValue& value);

/// Why the value is not acceptable for the descriptor (wrong type, out of range, unknown
/// choice), or nothing when it is fine.
std::optional<std::string> checkValue(const PropertyDescriptor& descriptor,
                                      const PropertyValue& value);

/// The value for people: "20 ms", "Round robin", "yes". Numbers use the shortest exact form.
std::string formatValue(const PropertyDescriptor& descriptor, const PropertyValue& value);

/// A number in the shortest form that reads back to the same double ("0.1", "250", "1e-06").
std::string formatNumber(double value);

} // namespace headroom
