#include "layout/layered_layout.h"
#include "storage/json_format.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

namespace headroom::layout {
namespace {

Project chain(std::initializer_list<std::pair<const char*, ComponentKind>> nodes) {
    Project p;
    for (const auto& [id, kind] : nodes)
        p.components.push_back(makeComponent(kind, id, id));
    return p;
}

void link(Project& p, const char* from, const char* to, LinkKind kind = LinkKind::SyncCall) {
    p.links.push_back({std::string(from) + "-" + to, from, to, kind, 1.0, false, {}});
}

/// Crossings counted the slow, obvious way: every pair of links between the same two adjacent
/// layers whose ends are in opposite vertical order.
int bruteForceCrossings(const Project& p, const LayoutResult& r) {
    int crossings = 0;
    for (std::size_t i = 0; i < p.links.size(); ++i)
        for (std::size_t j = i + 1; j < p.links.size(); ++j) {
            const auto& a = p.links[i];
            const auto& b = p.links[j];
            if (r.layers.at(a.from) != r.layers.at(b.from) ||
                r.layers.at(a.to) != r.layers.at(a.from) + 1 ||
                r.layers.at(b.to) != r.layers.at(b.from) + 1)
                continue;
            const double upper = r.positions.at(a.from).y - r.positions.at(b.from).y;
            const double lower = r.positions.at(a.to).y - r.positions.at(b.to).y;
            crossings += (upper < 0 && lower > 0) || (upper > 0 && lower < 0);
        }
    return crossings;
}

TEST(LayeredLayout, AChainRunsLeftToRightOnOneRow) {
    auto p = chain({{"users", ComponentKind::Client},
                    {"lb", ComponentKind::LoadBalancer},
                    {"web", ComponentKind::Service},
                    {"db", ComponentKind::DatabasePrimary}});
    link(p, "users", "lb");
    link(p, "lb", "web");
    link(p, "web", "db", LinkKind::Read);
    const LayoutOptions options;
    const auto r = layeredLayout(p, options);
    EXPECT_EQ(r.layers.at("users"), 0);
    EXPECT_EQ(r.layers.at("db"), 3);
    // Layer k sits at origin.x + k * 270; every card on the first row.
    EXPECT_EQ(r.positions.at("users").x, 140);
    EXPECT_EQ(r.positions.at("lb").x, 410);
    EXPECT_EQ(r.positions.at("web").x, 680);
    EXPECT_EQ(r.positions.at("db").x, 950);
    for (const auto& [id, at] : r.positions)
        EXPECT_EQ(at.y, 80) << id;
}

TEST(LayeredLayout, LayersFollowTheLongestPathFromTheEntry) {
    // web reaches db directly and through the cache; db must sit right of the cache.
    auto p = chain({{"users", ComponentKind::Client},
                    {"web", ComponentKind::Service},
                    {"cache", ComponentKind::Cache},
                    {"db", ComponentKind::DatabasePrimary}});
    link(p, "users", "web");
    link(p, "web", "db", LinkKind::Read);
    link(p, "web", "cache", LinkKind::Read);
    link(p, "cache", "db", LinkKind::Read);
    const auto r = layeredLayout(p);
    EXPECT_EQ(r.layers.at("cache"), 2);
    EXPECT_EQ(r.layers.at("db"), 3);
}

TEST(LayeredLayout, ToleratesCycles) {
    auto p = chain({{"users", ComponentKind::Client},
                    {"a", ComponentKind::Service},
                    {"b", ComponentKind::Service},
                    {"c", ComponentKind::Service}});
    link(p, "users", "a");
    link(p, "a", "b");
    link(p, "b", "c");
    link(p, "c", "a"); // closes a cycle
    const auto r = layeredLayout(p);
    ASSERT_EQ(r.positions.size(), 4u);
    EXPECT_EQ(r.layers.at("a"), 1);
    EXPECT_EQ(r.layers.at("b"), 2);
    EXPECT_EQ(r.layers.at("c"), 3);
}

TEST(LayeredLayout, CrossingReductionUntanglesADepthFirstOrder) {
    // Depth-first order puts y above x (users calls y first); the second entry s also calls
    // y, so that order has one crossing, which the barycentre sweeps remove.
    auto p = chain({{"users", ComponentKind::Client},
                    {"s", ComponentKind::Service},
                    {"x", ComponentKind::Service},
                    {"y", ComponentKind::Service}});
    link(p, "users", "y");
    link(p, "users", "x");
    link(p, "s", "y");
    const auto r = layeredLayout(p);
    EXPECT_EQ(r.crossings, 0);
    EXPECT_EQ(bruteForceCrossings(p, r), 0);
    EXPECT_LT(r.positions.at("users").y, r.positions.at("s").y);
    EXPECT_LT(r.positions.at("x").y, r.positions.at("y").y);
}

TEST(LayeredLayout, CountsTheUnavoidableCrossingsOfACompleteBipartiteGraph) {
    // K(2,3) drawn on two layers always has C(2,2) * C(3,2) = 3 crossings.
    auto p = chain({{"c1", ComponentKind::Client},
                    {"c2", ComponentKind::Client},
                    {"s1", ComponentKind::Service},
                    {"s2", ComponentKind::Service},
                    {"s3", ComponentKind::Service}});
    for (const char* c : {"c1", "c2"})
        for (const char* s : {"s1", "s2", "s3"})
            link(p, c, s);
    const auto r = layeredLayout(p);
    EXPECT_EQ(r.crossings, 3);
    EXPECT_EQ(bruteForceCrossings(p, r), 3);
}

bool overlaps(const Rect& a, const Rect& b) {
    return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height &&
           b.y < a.y + a.height;
}

Rect card(Point centre) {
    return {centre.x - kCardWidth / 2, centre.y - kCardHeight / 2, kCardWidth, kCardHeight};
}

bool inside(const Rect& inner, const Rect& outer) {
    return inner.x >= outer.x && inner.y >= outer.y &&
           inner.x + inner.width <= outer.x + outer.width &&
           inner.y + inner.height <= outer.y + outer.height;
}

class LayoutExample : public ::testing::TestWithParam<std::string> {};

TEST_P(LayoutExample, ZonesWrapTheirMembersAndNothingElse) {
    const auto project =
        loadJsonFile(test::sourceDir() / "models" / (GetParam() + ".headroom.json"));
    ASSERT_TRUE(project);
    const auto r = layeredLayout(*project);
    const auto laidOut = applyLayout(*project, r);
    for (const auto& zone : laidOut.zones) {
        for (const auto& c : laidOut.components) {
            bool member = false;
            for (std::string z = c.zone; !z.empty(); z = laidOut.findZone(z)->parent)
                member = member || z == zone.id;
            if (member)
                EXPECT_TRUE(inside(card(c.position), zone.bounds)) << c.id << " in " << zone.id;
            else
                EXPECT_FALSE(overlaps(card(c.position), zone.bounds))
                    << c.id << " overlaps " << zone.id;
        }
    }
    // No two cards overlap.
    for (std::size_t i = 0; i < laidOut.components.size(); ++i)
        for (std::size_t j = i + 1; j < laidOut.components.size(); ++j)
            EXPECT_FALSE(overlaps(card(laidOut.components[i].position),
                                  card(laidOut.components[j].position)))
                << laidOut.components[i].id << " and " << laidOut.components[j].id;
    EXPECT_EQ(layeredLayout(*project).positions, r.positions) << "deterministic";
}

INSTANTIATE_TEST_SUITE_P(Models, LayoutExample,
                         ::testing::Values("webshop", "video-pipeline", "legacy-sticky"),
                         [](const auto& info) {
                             std::string name = info.param;
                             std::replace(name.begin(), name.end(), '-', '_');
                             return name;
                         });

TEST(LayeredLayout, EmptyZonesMoveBelowTheDrawingKeepingTheirSize) {
    auto p = chain({{"users", ComponentKind::Client}, {"web", ComponentKind::Service}});
    link(p, "users", "web");
    p.zones.push_back({"spare", "Spare", ZoneKind::Region, "", {100, 40, 300, 200}});
    const auto r = layeredLayout(p);
    const auto& frame = r.zoneFrames.at("spare");
    EXPECT_EQ(frame.width, 300);
    EXPECT_EQ(frame.height, 200);
    // One row of cards centred at y = 80, 76 high: its bottom is 118; then the 48 gap.
    EXPECT_EQ(frame.y, 118 + 48);
}

TEST(LayeredLayout, EmptyProjectGivesEmptyLayout) {
    const auto r = layeredLayout(Project{});
    EXPECT_TRUE(r.positions.empty());
}

} // namespace
} // namespace headroom::layout
