#include "storage/json_format.h"

#include "common/text_position.h"
#include "storage/atomic_file.h"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace headroom {
namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

namespace {

// ---- writing -------------------------------------------------------------------------------

Json propertyToJson(const PropertyValue& value) {
    return std::visit([](const auto& v) { return Json(v); }, value);
}

Json componentToJson(const Component& c) {
    Json out;
    out["id"] = c.id;
    out["kind"] = toKey(c.kind);
    out["name"] = c.name;
    if (!c.zone.empty())
        out["zone"] = c.zone;
    out["x"] = c.position.x;
    out["y"] = c.position.y;
    Json properties = Json::object();
    // Descriptor order first (reads like the property panel), then any unknown keys.
    const auto& kind = c.descriptor();
    for (const auto& descriptor : kind.properties)
        if (auto it = c.properties.find(descriptor.key); it != c.properties.end())
            properties[descriptor.key] = propertyToJson(it->second);
    for (const auto& [key, value] : c.properties)
        if (!kind.findProperty(key))
            properties[key] = propertyToJson(value);
    out["properties"] = std::move(properties);
    return out;
}

// ---- reading -------------------------------------------------------------------------------

/// A problem at a JSON path; thrown inside this file only.
struct JsonProblem {
    std::string path;
    std::string message;
};

class Reader {
  public:
    explicit Reader(std::string_view format) : format_(format) {}

    Project read(const Json& root) {
        expectObject(root, "");
        const auto format = text(root, "", "format");
        if (format != format_)
            throw JsonProblem{"/format", "expected \"" + std::string(format_) + "\", found \"" +
                                             format + "\""};
        const auto version = integer(root, "", "version");
        if (version > kJsonFormatVersion)
            throw JsonProblem{"/version", "made by a newer Headroom (format version " +
                                              std::to_string(version) +
                                              "); update Headroom to open it"};
        if (version < 1)
            throw JsonProblem{"/version", "invalid format version " + std::to_string(version)};
        Project project;
        project.name = text(root, "", "name");
        project.description = optionalText(root, "", "description");
        forEach(root, "zones", [&](const Json& z, const std::string& at) {
            project.zones.push_back(readZone(z, at));
        });
        forEach(root, "components", [&](const Json& c, const std::string& at) {
            project.components.push_back(readComponent(c, at));
        });
        forEach(root, "links", [&](const Json& l, const std::string& at) {
            project.links.push_back(readLink(l, at));
        });
        forEach(root, "metric_files", [&](const Json& m, const std::string& at) {
            project.metricFiles.push_back({text(m, at, "file"),
                                           text(m, at, "series"),
                                           optionalText(m, at, "component"),
                                           optionalText(m, at, "role"),
                                           optionalText(m, at, "unit"),
                                           {}});
        });
        // Scenarios and policies have their own reader (model/scenario.h); its problems are
        // placed under the list entry.
        const auto entry = [](const Json& j, const std::string& at, auto parse) {
            auto result = parse(j.dump());
            if (!result)
                throw JsonProblem{
                    at + (result.error().location == "/" ? std::string() : result.error().location),
                    result.error().message};
            return std::move(result).value();
        };
        forEach(root, "scenarios", [&](const Json& j, const std::string& at) {
            project.scenarios.push_back(entry(j, at, &scenarioFromJson));
        });
        forEach(root, "policies", [&](const Json& j, const std::string& at) {
            project.policies.push_back(entry(j, at, &policyFromJson));
        });
        return project;
    }

  private:
    static void expectObject(const Json& j, const std::string& at) {
        if (!j.is_object())
            throw JsonProblem{at.empty() ? "/" : at, "expected an object"};
    }

    static const Json& field(const Json& object, const std::string& at, const char* key) {
        auto it = object.find(key);
        if (it == object.end())
            throw JsonProblem{at, std::string("missing \"") + key + "\""};
        return *it;
    }

    static std::string text(const Json& object, const std::string& at, const char* key) {
        const auto& value = field(object, at, key);
        if (!value.is_string())
            throw JsonProblem{at + "/" + key, "expected a string"};
        return value.get<std::string>();
    }

    static std::string optionalText(const Json& object, const std::string& at, const char* key) {
        return object.contains(key) ? text(object, at, key) : std::string();
    }

    static double number(const Json& object, const std::string& at, const char* key) {
        const auto& value = field(object, at, key);
        if (!value.is_number())
            throw JsonProblem{at + "/" + key, "expected a number"};
        return value.get<double>();
    }

    static double optionalNumber(const Json& object, const std::string& at, const char* key,
                                 double fallback) {
        return object.contains(key) ? number(object, at, key) : fallback;
    }

    static std::int64_t integer(const Json& object, const std::string& at, const char* key) {
        const auto& value = field(object, at, key);
        if (!value.is_number_integer())
            throw JsonProblem{at + "/" + key, "expected an integer"};
        return value.get<std::int64_t>();
    }

    template <typename Fn> static void forEach(const Json& root, const char* key, Fn&& fn) {
        if (!root.contains(key))
            return;
        const auto& array = root.at(key);
        const std::string at = std::string("/") + key;
        if (!array.is_array())
            throw JsonProblem{at, "expected an array"};
        for (std::size_t i = 0; i < array.size(); ++i) {
            const std::string itemAt = at + "/" + std::to_string(i);
            expectObject(array[i], itemAt);
            fn(array[i], itemAt);
        }
    }

    static Zone readZone(const Json& z, const std::string& at) {
        Zone zone;
        zone.id = text(z, at, "id");
        zone.name = text(z, at, "name");
        const auto kind = text(z, at, "kind");
        const auto parsed = zoneKindFromKey(kind);
        if (!parsed)
            throw JsonProblem{at + "/kind",
                              "unknown zone kind \"" + kind + "\" (region, availability_zone)"};
        zone.kind = *parsed;
        zone.parent = optionalText(z, at, "parent");
        const auto& frame = field(z, at, "frame");
        const auto frameAt = at + "/frame";
        expectObject(frame, frameAt);
        zone.bounds = {number(frame, frameAt, "x"), number(frame, frameAt, "y"),
                       number(frame, frameAt, "width"), number(frame, frameAt, "height")};
        return zone;
    }

    static Component readComponent(const Json& c, const std::string& at) {
        const auto kindKey = text(c, at, "kind");
        const auto kind = componentKindFromKey(kindKey);
        if (!kind) {
            std::string known;
            for (const auto& k : allKinds())
                known += (known.empty() ? "" : ", ") + k.key;
            throw JsonProblem{at + "/kind",
                              "unknown component kind \"" + kindKey + "\" (known: " + known + ")"};
        }
        Component component = makeComponent(*kind, text(c, at, "id"), text(c, at, "name"));
        component.zone = optionalText(c, at, "zone");
        component.position = {optionalNumber(c, at, "x", 0), optionalNumber(c, at, "y", 0)};
        if (c.contains("properties")) {
            const auto& properties = c.at("properties");
            const auto propertiesAt = at + "/properties";
            expectObject(properties, propertiesAt);
            for (const auto& [key, value] : properties.items())
                component.properties[key] = readProperty(component.descriptor().findProperty(key),
                                                         value, propertiesAt + "/" + key);
        }
        return component;
    }

    // Unknown keys and values of the wrong type are kept as written, so that `validate` can
    // report every problem at once; only values no property can hold are refused here.
    static PropertyValue readProperty(const PropertyDescriptor* descriptor, const Json& value,
                                      const std::string& at) {
        if (value.is_boolean())
            return value.get<bool>();
        if (value.is_string())
            return value.get<std::string>();
        if (value.is_number()) {
            const bool wantsInteger = descriptor && descriptor->type == PropertyType::Integer;
            const bool wantsNumber = descriptor && descriptor->type == PropertyType::Number;
            if (value.is_number_integer() && !wantsNumber)
                return value.get<std::int64_t>();
            const double d = value.get<double>();
            if (wantsInteger && std::trunc(d) == d && std::abs(d) < 9e15)
                return static_cast<std::int64_t>(d);
            return d;
        }
        throw JsonProblem{at, "expected a number, true/false or a string"};
    }

    static Link readLink(const Json& l, const std::string& at) {
        Link link;
        link.id = text(l, at, "id");
        link.from = text(l, at, "from");
        link.to = text(l, at, "to");
        const auto kind = text(l, at, "kind");
        const auto parsed = linkKindFromKey(kind);
        if (!parsed)
            throw JsonProblem{at + "/kind", "unknown link kind \"" + kind +
                                                "\" (sync_call, async_enqueue, read, write)"};
        link.kind = *parsed;
        link.callsPerRequest = optionalNumber(l, at, "calls_per_request", 1.0);
        if (l.contains("only_on_miss")) {
            if (!l.at("only_on_miss").is_boolean())
                throw JsonProblem{at + "/only_on_miss", "expected true or false"};
            link.onlyOnMiss = l.at("only_on_miss").get<bool>();
        }
        if (l.contains("bends")) {
            const auto& bends = l.at("bends");
            if (!bends.is_array())
                throw JsonProblem{at + "/bends", "expected an array of {\"x\", \"y\"} points"};
            for (std::size_t i = 0; i < bends.size(); ++i) {
                const auto pointAt = at + "/bends/" + std::to_string(i);
                expectObject(bends[i], pointAt);
                link.bends.push_back(
                    {number(bends[i], pointAt, "x"), number(bends[i], pointAt, "y")});
            }
        }
        return link;
    }

    std::string_view format_;
};

} // namespace

std::string projectToJson(const Project& project, std::string_view format) {
    Json root;
    root["format"] = format;
    root["version"] = kJsonFormatVersion;
    root["name"] = project.name;
    root["description"] = project.description;
    Json zones = Json::array();
    for (const auto& z : project.zones) {
        Json zone;
        zone["id"] = z.id;
        zone["name"] = z.name;
        zone["kind"] = toKey(z.kind);
        if (!z.parent.empty())
            zone["parent"] = z.parent;
        zone["frame"] = {{"x", z.bounds.x},
                         {"y", z.bounds.y},
                         {"width", z.bounds.width},
                         {"height", z.bounds.height}};
        zones.push_back(std::move(zone));
    }
    root["zones"] = std::move(zones);
    Json components = Json::array();
    for (const auto& c : project.components)
        components.push_back(componentToJson(c));
    root["components"] = std::move(components);
    Json links = Json::array();
    for (const auto& l : project.links) {
        Json link = {{"id", l.id},
                     {"from", l.from},
                     {"to", l.to},
                     {"kind", toKey(l.kind)},
                     {"calls_per_request", l.callsPerRequest},
                     {"only_on_miss", l.onlyOnMiss}};
        if (!l.bends.empty()) {
            Json bends = Json::array();
            for (const auto& p : l.bends)
                bends.push_back({{"x", p.x}, {"y", p.y}});
            link["bends"] = std::move(bends);
        }
        links.push_back(std::move(link));
    }
    root["links"] = std::move(links);
    // Only when there are any, so projects without metric files keep their exact text.
    if (!project.metricFiles.empty()) {
        Json files = Json::array();
        for (const auto& m : project.metricFiles) {
            Json file = {{"file", m.file}, {"series", m.series}};
            if (!m.component.empty())
                file["component"] = m.component;
            if (!m.role.empty())
                file["role"] = m.role;
            if (!m.unit.empty())
                file["unit"] = m.unit;
            files.push_back(std::move(file));
        }
        root["metric_files"] = std::move(files);
    }
    if (!project.scenarios.empty()) {
        Json list = Json::array();
        for (const auto& scenario : project.scenarios)
            list.push_back(Json::parse(scenarioToJson(scenario)));
        root["scenarios"] = std::move(list);
    }
    if (!project.policies.empty()) {
        Json list = Json::array();
        for (const auto& policy : project.policies)
            list.push_back(Json::parse(policyToJson(policy)));
        root["policies"] = std::move(list);
    }
    // Non-ASCII stays readable UTF-8; invalid UTF-8 in a name is replaced rather than throwing.
    return root.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

Result<Project> projectFromJson(std::string_view text, const std::string& file,
                                std::string_view format) {
    Json root;
    try {
        root = Json::parse(text);
    } catch (const Json::parse_error& e) {
        std::string message = e.what();
        // nlohmann prefixes "[json.exception.parse_error.101] parse error at line L, column C: "
        if (auto colon = message.find(": "); colon != std::string::npos)
            message = message.substr(colon + 2);
        return Error{"invalid JSON: " + message, file, lineAndColumn(text, e.byte - 1)};
    }
    try {
        return Reader(format).read(root);
    } catch (const JsonProblem& problem) {
        return Error{problem.message, file, problem.path};
    }
}

std::size_t seriesLeftOutOfJson(const Project& project) {
    std::size_t leftOut = 0;
    for (const auto& entry : project.series) {
        if (!entry.data)
            continue;
        bool named = false;
        for (const auto& b : project.metricFiles)
            named = named || (b.file == entry.data->info().source.location &&
                              b.series == entry.data->info().name &&
                              b.component == entry.component && b.role == entry.role);
        leftOut += !named;
    }
    return leftOut;
}

Result<Project> loadJsonFile(const fs::path& path) {
    std::error_code ec;
    if (!fs::exists(path, ec))
        return Error{"no such file", path.string(), ""};
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Error{"cannot open the file for reading", path.string(), ""};
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return projectFromJson(buffer.str(), path.string());
}

Status saveJsonFile(const Project& project, const fs::path& path) {
    return writeTextAtomically(path, projectToJson(project));
}

} // namespace headroom
