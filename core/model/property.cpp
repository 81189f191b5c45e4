#include "model/property.h"

#include <charconv>
#include <cmath>
#include <system_error>

namespace headroom {

const ChoiceOption* PropertyDescriptor::findChoice(std::string_view wanted) const {
    for (const auto& option : choices)
        if (option.key == wanted)
            return &option;
    return nullptr;
}

std::string_view toKey(PropertyType type) {
    switch (type) {
    case PropertyType::Integer:
        return "integer";
    case PropertyType::Number:
        return "number";
    case PropertyType::Boolean:
        return "boolean";
    case PropertyType::Choice:
        return "choice";
    case PropertyType::Text:
        return "text";
    }
    return "unknown";
}

bool holdsType(const PropertyDescriptor& descriptor, const PropertyValue& value) {
    switch (descriptor.type) {
    case PropertyType::Integer:
        return std::holds_alternative<std::int64_t>(value);
    case PropertyType::Number:
        return std::holds_alternative<double>(value);
    case PropertyType::Boolean:
        return std::holds_alternative<bool>(value);
    case PropertyType::Choice:
    case PropertyType::Text:
        return std::holds_alternative<std::string>(value);
    }
    return false;
}

std::optional<double> asNumber(const PropertyValue& value) {
    if (const auto* i = std::get_if<std::int64_t>(&value))
        return static_cast<double>(*i);
    if (const auto* d = std::get_if<double>(&value))
        return *d;
    return std::nullopt;
}

std::string formatNumber(double value) {
    char buffer[64];
    // Whole numbers people type (100000, not 1e+05) print in full; others in shortest form.
    const bool whole = std::isfinite(value) && std::trunc(value) == value && std::abs(value) < 1e15;
    auto [end, ec] =
        whole ? std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed)
              : std::to_chars(buffer, buffer + sizeof buffer, value);
    if (ec != std::errc{})
        return "?";
    return std::string(buffer, end);
}

std::optional<std::string> checkValue(const PropertyDescriptor& descriptor,
                                      const PropertyValue& value) {
    if (!holdsType(descriptor, value))
        return "expected " + std::string(toKey(descriptor.type));
    if (descriptor.isNumeric()) {
        const double number = *asNumber(value);
        if (!std::isfinite(number))
            return "must be a finite number";
        if (number < descriptor.min || number > descriptor.max)
            return formatNumber(number) + " is outside the range " + formatNumber(descriptor.min) +
                   " to " + formatNumber(descriptor.max) +
                   (descriptor.unit.empty() ? "" : " " + descriptor.unit);
    }
    if (descriptor.type == PropertyType::Choice) {
        const auto& key = std::get<std::string>(value);
        if (!descriptor.findChoice(key)) {
            std::string allowed;
            for (const auto& option : descriptor.choices)
                allowed += (allowed.empty() ? "" : ", ") + option.key;
            return "'" + key + "' is not one of: " + allowed;
        }
    }
    return std::nullopt;
}

std::string formatValue(const PropertyDescriptor& descriptor, const PropertyValue& value) {
    std::string text;
    if (const auto number = asNumber(value)) {
        text = formatNumber(*number);
        std::string unit = descriptor.unit;
        // Long durations read better in seconds: 90000 ms is "90 s".
        if (unit == "ms" && std::abs(*number) >= 10000) {
            text = formatNumber(*number / 1000);
            unit = "s";
        }
        // "1 instance", not "1 instances": every plural unit in the table just adds an s.
        if (*number == 1 && unit.size() > 2 && unit.back() == 's')
            unit.pop_back();
        if (unit == "x")
            text += "\u00d7";
        else if (unit == "%")
            text += unit;
        else if (!unit.empty())
            text += " " + unit;
    } else if (const auto* flag = std::get_if<bool>(&value)) {
        text = *flag ? "yes" : "no";
    } else {
        const auto& string = std::get<std::string>(value);
        const auto* option = descriptor.findChoice(string);
        text = option ? option->label : string;
    }
    return text;
}

} // namespace headroom
