#include "model/component_kind.h"

#include <gtest/gtest.h>
#include <set>

namespace headroom {
namespace {

TEST(ComponentKindTable, ListsEveryKindOfTheDesignInEnumOrder) {
    const std::vector<std::string> expected = {"client",         "cdn",         "load_balancer",
                                               "service",        "cache",       "database_primary",
                                               "read_replicas",  "queue",       "worker_group",
                                               "object_storage", "external_api"};
    ASSERT_EQ(allKinds().size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(allKinds()[i].key, expected[i]);
        EXPECT_EQ(static_cast<std::size_t>(allKinds()[i].kind), i);
        EXPECT_EQ(componentKindFromKey(expected[i]), allKinds()[i].kind);
    }
    EXPECT_FALSE(componentKindFromKey("mainframe"));
}

TEST(ComponentKindTable, EveryPropertyIsFullyDescribedAndItsDefaultIsValid) {
    for (const auto& kind : allKinds()) {
        std::set<std::string> keys;
        EXPECT_FALSE(kind.label.empty()) << kind.key;
        EXPECT_FALSE(kind.description.empty()) << kind.key;
        for (const auto& property : kind.properties) {
            SCOPED_TRACE(kind.key + "." + property.key);
            EXPECT_TRUE(keys.insert(property.key).second) << "duplicate key";
            EXPECT_FALSE(property.label.empty());
            EXPECT_FALSE(property.help.empty());
            EXPECT_FALSE(checkValue(property, property.defaultValue).has_value())
                << *checkValue(property, property.defaultValue);
            if (property.isNumeric()) {
                EXPECT_LT(property.min, property.max);
            }
            if (property.type == PropertyType::Choice) {
                EXPECT_GE(property.choices.size(), 2u);
            }
        }
    }
}

TEST(ComponentKindTable, KeyFiguresOnlyNameExistingProperties) {
    for (const auto& kind : allKinds()) {
        const auto& pattern = kind.keyFigures;
        for (auto open = pattern.find('{'); open != std::string::npos;
             open = pattern.find('{', open + 1)) {
            auto key = pattern.substr(open + 1, pattern.find('}', open) - open - 1);
            if (key.ends_with(":%"))
                key.resize(key.size() - 2);
            EXPECT_TRUE(kind.findProperty(key)) << kind.key << " names " << key;
        }
    }
}

TEST(ComponentKindTable, ServiceCarriesTheScalingPropertiesTheDesignNames) {
    const auto& service = describe(ComponentKind::Service);
    for (const char* key :
         {"replicas", "min_replicas", "max_replicas", "service_time_ms", "concurrency",
          "cpu_ms_per_request", "cores", "stateless", "session_store", "boot_time_s",
          "termination_grace_s", "cpu_request_millicores", "max_surge_percent",
          "max_unavailable_percent", "price_per_hour_usd"})
        EXPECT_TRUE(service.findProperty(key)) << key;
}

} // namespace
} // namespace headroom
