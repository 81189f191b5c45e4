#include "model/component.h"

#include <gtest/gtest.h>

namespace headroom {
namespace {

TEST(Component, MadeWithEveryPropertyAtItsDefault) {
    const auto c = makeComponent(ComponentKind::Cache, "c1", "Cache");
    EXPECT_EQ(c.properties.size(), describe(ComponentKind::Cache).properties.size());
    EXPECT_EQ(c.number("hit_ratio"), 0.8);
    EXPECT_EQ(std::get<std::string>(c.value("engine")), "redis");
}

TEST(Component, UnsetPropertyReadsAsDefaultAndUnknownAsZero) {
    Component c;
    c.kind = ComponentKind::Service;
    EXPECT_EQ(c.number("replicas"), 3.0);
    EXPECT_EQ(c.number("no_such_property"), 0.0);
}

TEST(Component, KeyFiguresFollowTheKindPattern) {
    auto web = makeComponent(ComponentKind::Service, "web", "Web");
    web.properties["replicas"] = std::int64_t{6};
    web.properties["service_time_ms"] = 45.0;
    EXPECT_EQ(keyFigures(web), "6 instances \u00b7 45 ms");

    auto cache = makeComponent(ComponentKind::Cache, "cache", "Cache");
    cache.properties["hit_ratio"] = 0.85;
    cache.properties["shards"] = std::int64_t{1};
    EXPECT_EQ(keyFigures(cache), "85% hits \u00b7 1 node");
}

} // namespace
} // namespace headroom
