// The live importer against a scripted HTTP server on loopback, for what a real Prometheus
// cannot be made to do on demand: stay silent, want a bearer token, answer with a proxy's HTML.

#include "net/prometheus_client.h"
#include "support/fake_http_server.h"

#include <gtest/gtest.h>

namespace headroom::net {
namespace {

using test::FakeServer;
using test::Reply;

const QByteArray kMatrix = R"({"status":"success","data":{"resultType":"matrix","result":[
  {"metric":{"__name__":"queue_depth","queue":"orders"},
   "values":[[1700000000,"12"],[1700000015,"15.5"]]}]}})";

PrometheusRequest request(const std::string& url) {
    PrometheusRequest r;
    r.server = url;
    r.query = {"sum(queue_depth) + 0", 1'700'000'000'000, 1'700'000'015'000, 15'000};
    return r;
}

TEST(PrometheusTransport, BearerTokenIsSentAndTheFormKeepsPlusSigns) {
    FakeServer server([](const QByteArray& request) -> std::optional<Reply> {
        if (!request.contains("\r\nAuthorization: Bearer s3cret-token\r\n"))
            return Reply{401, "text/plain", "Unauthorized"};
        return Reply{200, "application/json", kMatrix};
    });
    auto r = request(server.url());
    const auto refused = fetchRange(r);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("HTTP 401"), std::string::npos);

    r.auth = {PrometheusAuth::Kind::Bearer, "", "s3cret-token"};
    const auto report = fetchRange(r);
    ASSERT_TRUE(report) << report.error().describe();
    ASSERT_EQ(report->series.size(), 1u);
    EXPECT_EQ((*report->series[0]->samples())[1].value, 15.5);
    EXPECT_TRUE(server.lastRequest.startsWith("POST /api/v1/query_range HTTP/1.1"));
    EXPECT_TRUE(server.lastRequest.contains(
        "query=sum%28queue_depth%29%20%2B%200&start=1700000000&end=1700000015&step=15"))
        << server.lastRequest.toStdString();
}

TEST(PrometheusTransport, APathPrefixIsKept) {
    FakeServer server([](const QByteArray&) { return Reply{200, "application/json", kMatrix}; });
    const auto report = fetchRange(request(server.url() + "/prometheus/"));
    ASSERT_TRUE(report) << report.error().describe();
    EXPECT_TRUE(server.lastRequest.startsWith("POST /prometheus/api/v1/query_range "));
    EXPECT_EQ(report->series[0]->info().source.location, server.url() + "/prometheus");
}

TEST(PrometheusTransport, ASilentServerTimesOutAndCancelStopsAtOnce) {
    FakeServer server([](const QByteArray&) { return std::optional<Reply>(); });
    auto r = request(server.url());
    r.timeout = std::chrono::milliseconds(400);
    const auto timedOut = fetchRange(r);
    ASSERT_FALSE(timedOut);
    EXPECT_NE(timedOut.error().message.find("sent nothing for 0.4 s"), std::string::npos)
        << timedOut.error().message;

    r.timeout = std::chrono::seconds(60);
    int polls = 0;
    const auto started = std::chrono::steady_clock::now();
    const auto cancelled = fetchRange(r, [&](double) { return ++polls < 3; });
    ASSERT_FALSE(cancelled);
    EXPECT_NE(cancelled.error().message.find("cancelled"), std::string::npos);
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
}

TEST(PrometheusTransport, NonPrometheusAnswersAndBadAddressesAreNamed) {
    FakeServer proxy([](const QByteArray&) {
        return Reply{502, "text/html", "<html><body>Bad Gateway</body></html>"};
    });
    const auto badGateway = fetchRange(request(proxy.url()));
    ASSERT_FALSE(badGateway);
    EXPECT_NE(badGateway.error().message.find("HTTP 502"), std::string::npos);

    FakeServer web([](const QByteArray&) { return Reply{200, "text/html", "<html></html>"}; });
    const auto notJson = fetchRange(request(web.url()));
    ASSERT_FALSE(notJson);
    EXPECT_NE(notJson.error().message.find("not JSON"), std::string::npos);

    for (const char* bad : {"prometheus:9090", "ftp://host/", "http://"}) {
        const auto refused = fetchRange(request(bad));
        ASSERT_FALSE(refused) << bad;
        EXPECT_NE(refused.error().message.find("not a server address"), std::string::npos) << bad;
    }
    auto empty = request(web.url());
    empty.query.query = "";
    EXPECT_EQ(fetchRange(empty).error().message, "the PromQL query is empty");
}

} // namespace
} // namespace headroom::net
