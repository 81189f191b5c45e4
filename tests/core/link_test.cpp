#include "model/link.h"

#include <gtest/gtest.h>

namespace headroom {
namespace {

using K = ComponentKind;

TEST(LinkRules, AllowTheWebshopShapes) {
    EXPECT_FALSE(linkRefusal(K::Client, K::Cdn, LinkKind::SyncCall));
    EXPECT_FALSE(linkRefusal(K::LoadBalancer, K::Service, LinkKind::SyncCall));
    EXPECT_FALSE(linkRefusal(K::Service, K::Cache, LinkKind::Read));
    EXPECT_FALSE(linkRefusal(K::Service, K::DatabasePrimary, LinkKind::Write));
    EXPECT_FALSE(linkRefusal(K::Service, K::ReadReplicas, LinkKind::Read));
    EXPECT_FALSE(linkRefusal(K::Service, K::Queue, LinkKind::AsyncEnqueue));
    EXPECT_FALSE(linkRefusal(K::Queue, K::WorkerGroup, LinkKind::AsyncEnqueue));
}

TEST(LinkRules, RefuseWritesToReadReplicasAndListWhatIsAllowed) {
    const auto refusal = linkRefusal(K::Service, K::ReadReplicas, LinkKind::Write);
    ASSERT_TRUE(refusal);
    EXPECT_EQ(*refusal,
              "Service (clones) \u2192 Read replicas: write is not allowed (allowed: read)");
}

TEST(LinkRules, RefuseConnectionsThatMakeNoSense) {
    const auto refusal = linkRefusal(K::Client, K::DatabasePrimary, LinkKind::Read);
    ASSERT_TRUE(refusal);
    EXPECT_EQ(*refusal, "Client / entry point \u2192 Database primary is not a valid connection");
    EXPECT_TRUE(linkRefusal(K::Queue, K::Service, LinkKind::AsyncEnqueue))
        << "queues deliver to worker groups, not to services";
}

TEST(LinkKindKeys, RoundTrip) {
    for (auto kind : allLinkKinds())
        EXPECT_EQ(linkKindFromKey(toKey(kind)), kind);
    EXPECT_FALSE(linkKindFromKey("rpc"));
}

} // namespace
} // namespace headroom
