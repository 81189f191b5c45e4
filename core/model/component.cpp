#include "model/component.h"

#include <utility>

namespace headroom {

PropertyValue Component::value(std::string_view key) const {
    if (auto found = properties.find(key); found != properties.end())
        return found->second;
    if (const auto* property = descriptor().findProperty(key))
        return property->defaultValue;
    return PropertyValue{};
}

double Component::number(std::string_view key) const {
    // As value(), without copying the value (a text one would be allocated).
    if (auto found = properties.find(key); found != properties.end())
        return asNumber(found->second).value_or(0.0);
    if (const auto* property = descriptor().findProperty(key))
        return asNumber(property->defaultValue).value_or(0.0);
    return asNumber(PropertyValue{}).value_or(0.0);
}

Component makeComponent(ComponentKind kind, std::string id, std::string name) {
    Component component;
    component.kind = kind;
    component.id = std::move(id);
    component.name = std::move(name);
    for (const auto& property : describe(kind).properties)
        component.properties.emplace(property.key, property.defaultValue);
    return component;
}

std::string keyFigures(const Component& component) {
    const auto& kind = component.descriptor();
    const std::string& pattern = kind.keyFigures;
    std::string text;
    std::size_t at = 0;
    while (at < pattern.size()) {
        const auto open = pattern.find('{', at);
        const auto close = open == std::string::npos ? open : pattern.find('}', open);
        if (close == std::string::npos) {
            text += pattern.substr(at);
            break;
        }
        text += pattern.substr(at, open - at);
        std::string key = pattern.substr(open + 1, close - open - 1);
        const bool percent = key.ends_with(":%");
        if (percent)
            key.resize(key.size() - 2);
        if (const auto* property = kind.findProperty(key)) {
            const auto value = component.value(key);
            const auto number = asNumber(value);
            text += percent && number ? formatNumber(*number * 100) + "%"
                                      : formatValue(*property, value);
        }
        at = close + 1;
    }
    return text;
}

} // namespace headroom
