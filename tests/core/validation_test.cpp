#include "model/validation.h"

#include <algorithm>
#include <gtest/gtest.h>

namespace headroom {
namespace {

Project smallShop() {
    Project p;
    p.name = "shop";
    p.components.push_back(makeComponent(ComponentKind::Client, "users", "Users"));
    p.components.push_back(makeComponent(ComponentKind::LoadBalancer, "lb", "LB"));
    p.components.push_back(makeComponent(ComponentKind::Service, "web", "Web"));
    p.components.push_back(makeComponent(ComponentKind::DatabasePrimary, "db", "DB"));
    p.links.push_back({"l1", "users", "lb", LinkKind::SyncCall, 1.0, false, {}});
    p.links.push_back({"l2", "lb", "web", LinkKind::SyncCall, 1.0, false, {}});
    p.links.push_back({"l3", "web", "db", LinkKind::Read, 2.0, false, {}});
    return p;
}

bool has(const std::vector<Diagnostic>& found, const Diagnostic& wanted) {
    return std::find(found.begin(), found.end(), wanted) != found.end();
}

std::string dump(const std::vector<Diagnostic>& found) {
    std::string out;
    for (const auto& d : found)
        out += d.describe() + "\n";
    return out;
}

TEST(Validation, ACleanProjectHasNoFindings) {
    const auto found = validate(smallShop());
    EXPECT_TRUE(found.empty()) << dump(found);
}

TEST(Validation, DuplicateIdNamesTheComponent) {
    auto p = smallShop();
    p.components.push_back(makeComponent(ComponentKind::Cache, "web", "Another web"));
    const auto found = validate(p);
    EXPECT_TRUE(
        has(found, {Severity::Error, "component", "web", "id", "id is used more than once"}))
        << dump(found);
}

TEST(Validation, IdsWithUnsafeCharactersAreRefused) {
    auto p = smallShop();
    p.components[0].id = "users\"; DROP";
    EXPECT_EQ(count(validate(p)).errors, 2) << "bad id, and the link l1 now dangles";
}

TEST(Validation, LinkToMissingComponentNamesLinkAndEnd) {
    auto p = smallShop();
    p.links.push_back({"l4", "web", "ghost", LinkKind::Read, 1.0, false, {}});
    const auto found = validate(p);
    EXPECT_TRUE(
        has(found, {Severity::Error, "link", "l4", "to", "component 'ghost' does not exist"}))
        << dump(found);
}

TEST(Validation, DisallowedLinkKindSaysWhy) {
    auto p = smallShop();
    p.links[2].kind = LinkKind::AsyncEnqueue;
    const auto found = validate(p);
    ASSERT_EQ(count(found).errors, 1) << dump(found);
    EXPECT_EQ(found[0].describe(),
              "error: link 'l3': kind: Service (clones) \u2192 Database primary: async enqueue "
              "is not allowed (allowed: read, write)");
}

TEST(Validation, OutOfRangeValueNamesComponentPropertyAndRange) {
    auto p = smallShop();
    p.findComponent("web")->properties["service_time_ms"] = -5.0;
    const auto found = validate(p);
    EXPECT_TRUE(has(found, {Severity::Error, "component", "web", "service_time_ms",
                            "-5 is outside the range 0.001 to 3600000 ms"}))
        << dump(found);
}

TEST(Validation, UnknownPropertyAndWrongTypeAreErrors) {
    auto p = smallShop();
    p.findComponent("web")->properties["replicaz"] = std::int64_t{3};
    p.findComponent("web")->properties["stateless"] = std::string("yes");
    const auto found = validate(p);
    EXPECT_TRUE(has(found, {Severity::Error, "component", "web", "replicaz",
                            "a Service (clones) has no property 'replicaz'"}))
        << dump(found);
    EXPECT_TRUE(has(found, {Severity::Error, "component", "web", "stateless", "expected boolean"}))
        << dump(found);
}

TEST(Validation, MinAboveMaxIsAnErrorReplicasOutsideIsAWarning) {
    auto p = smallShop();
    auto* web = p.findComponent("web");
    web->properties["replicas"] = std::int64_t{12};
    auto found = validate(p);
    EXPECT_TRUE(has(found, {Severity::Warning, "component", "web", "replicas",
                            "replicas now (12) lie outside min..max (2..10)"}))
        << dump(found);
    web->properties["min_replicas"] = std::int64_t{11};
    found = validate(p);
    EXPECT_TRUE(has(found, {Severity::Error, "component", "web", "min_replicas",
                            "min replicas (11) exceed max replicas (10)"}))
        << dump(found);
}

TEST(Validation, SelfLinkAndBadFanOutAreErrors) {
    auto p = smallShop();
    p.links.push_back({"loop", "web", "web", LinkKind::SyncCall, 1.0, false, {}});
    p.links[0].callsPerRequest = 0;
    const auto found = validate(p);
    EXPECT_TRUE(
        has(found, {Severity::Error, "link", "loop", "to", "a component cannot link to itself"}))
        << dump(found);
    EXPECT_TRUE(has(found, {Severity::Error, "link", "l1", "calls_per_request",
                            "0 is outside the range (0, 10000] calls per request"}))
        << dump(found);
}

TEST(Validation, ComponentInMissingZone) {
    auto p = smallShop();
    p.findComponent("db")->zone = "eu-west-9";
    EXPECT_TRUE(has(validate(p), {Severity::Error, "component", "db", "zone",
                                  "zone 'eu-west-9' does not exist"}));
}

TEST(Validation, ZoneFrameAndParentAreChecked) {
    auto p = smallShop();
    p.zones.push_back({"r1", "Region", ZoneKind::Region, "", {0, 0, 0, 100}});
    p.zones.push_back({"az", "AZ", ZoneKind::AvailabilityZone, "nowhere", {0, 0, 10, 10}});
    const auto found = validate(p);
    EXPECT_TRUE(has(found, {Severity::Error, "zone", "r1", "bounds",
                            "frame must have a finite, positive size"}));
    EXPECT_TRUE(has(
        found, {Severity::Error, "zone", "az", "parent", "parent zone 'nowhere' does not exist"}));
}

TEST(Validation, UnfedComponentAndOnlyOnMissWithoutCacheAreWarnings) {
    auto p = smallShop();
    p.components.push_back(makeComponent(ComponentKind::Queue, "q", "Queue"));
    p.links[2].onlyOnMiss = true;
    const auto found = validate(p);
    EXPECT_EQ(count(found).errors, 0) << dump(found);
    EXPECT_TRUE(has(found, {Severity::Warning, "component", "q", "",
                            "nothing links to it, so it receives no traffic"}));
    EXPECT_TRUE(has(found, {Severity::Warning, "link", "l3", "only_on_miss",
                            "'only on miss' needs a cache in front: 'web' neither is a cache "
                            "nor reads one"}));
}

} // namespace
} // namespace headroom
