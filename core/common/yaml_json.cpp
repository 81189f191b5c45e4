#include "common/yaml_json.h"

#include "common/text_position.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <yaml-cpp/yaml.h>

namespace headroom {

namespace {

// Limits for a document a person pasted: deeper or larger is not a configuration, and an alias
// can point back at its own parent (`&a [*a]`), which yaml-cpp builds as a cycle.
constexpr int kMaxDepth = 64;
constexpr std::size_t kMaxNodes = 1'000'000;

nlohmann::ordered_json convert(const YAML::Node& node, int depth, std::size_t& nodes) {
    using Json = nlohmann::ordered_json;
    if (depth > kMaxDepth || ++nodes > kMaxNodes)
        throw YAML::ParserException(node.Mark(), depth > kMaxDepth
                                                     ? "nested more than 64 levels deep (an "
                                                       "alias that contains itself?)"
                                                     : "more than a million values");
    switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
        return nullptr;
    case YAML::NodeType::Sequence: {
        Json out = Json::array();
        for (const auto& item : node)
            out.push_back(convert(item, depth + 1, nodes));
        return out;
    }
    case YAML::NodeType::Map: {
        Json out = Json::object();
        for (const auto& item : node)
            out[item.first.as<std::string>()] = convert(item.second, depth + 1, nodes);
        return out;
    }
    case YAML::NodeType::Scalar:
        break;
    }
    const auto& s = node.Scalar();
    if (node.Tag() == "!") // quoted
        return s;
    if (s == "true" || s == "True" || s == "TRUE")
        return true;
    if (s == "false" || s == "False" || s == "FALSE")
        return false;
    if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL")
        return nullptr;
    std::int64_t i = 0;
    if (const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), i);
        ec == std::errc() && end == s.data() + s.size())
        return i;
    char* end = nullptr;
    const double d = std::strtod(s.c_str(), &end);
    if (end == s.c_str() + s.size() && std::isfinite(d) &&
        s.find_first_of("0123456789") != std::string::npos)
        return d;
    return s;
}

} // namespace

nlohmann::ordered_json yamlToJson(const YAML::Node& node) {
    std::size_t nodes = 0;
    return convert(node, 0, nodes);
}

Result<nlohmann::ordered_json> parseJsonOrYaml(std::string_view text) {
    // The first character that is not a blank or inside a '#' comment line.
    std::size_t at = 0;
    while (at < text.size()) {
        if (text[at] == '#') {
            while (at < text.size() && text[at] != '\n')
                ++at;
        } else if (text[at] == ' ' || text[at] == '\t' || text[at] == '\r' || text[at] == '\n') {
            ++at;
        } else {
            break;
        }
    }
    if (at == text.size())
        return Error{"the text is empty", "", ""};
    if (text[at] == '{' || text[at] == '[') {
        try {
            return nlohmann::ordered_json::parse(text);
        } catch (const nlohmann::ordered_json::out_of_range&) {
            return Error{"not valid JSON: a number too large for a double", "", ""};
        } catch (const nlohmann::ordered_json::parse_error& e) {
            std::string message = e.what();
            // "[json.exception.parse_error.101] parse error at line 1, column 12: syntax error
            // while parsing value - unexpected end of input; ...": the place is given apart.
            if (const auto colon = message.rfind(": "); colon != std::string::npos)
                message = message.substr(colon + 2);
            if (const auto dash = message.find(" - "); dash != std::string::npos)
                message = message.substr(dash + 3);
            return Error{"not valid JSON: " + message, "",
                         lineAndColumn(text, e.byte > 0 ? e.byte - 1 : 0)};
        } catch (const nlohmann::ordered_json::exception& e) {
            return Error{std::string("not valid JSON: ") + e.what(), "", ""};
        }
    }
    try {
        return yamlToJson(YAML::Load(std::string(text)));
    } catch (const YAML::Exception& e) {
        return Error{"not valid YAML: " + e.msg, "",
                     "line " + std::to_string(e.mark.line + 1) + ", column " +
                         std::to_string(e.mark.column + 1)};
    }
}

} // namespace headroom
