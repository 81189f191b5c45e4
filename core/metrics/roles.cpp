#include "metrics/roles.h"

#include <vector>

namespace headroom::metrics {
namespace {
const std::vector<Role>& table() {
    static const std::vector<Role> roles = {
        {"arrival_rate", "Arrival rate", "req/s",
         "sum(rate(http_requests_total{job=\"$job\"}[5m]))"},
        {"cpu_utilization", "CPU utilisation", "fraction",
         "sum(rate(container_cpu_usage_seconds_total{pod=~\"$pod.*\"}[5m])) / "
         "sum(kube_pod_container_resource_requests{resource=\"cpu\",pod=~\"$pod.*\"})"},
        {"latency_mean", "Latency (mean)", "ms",
         "1000 * sum(rate(http_request_duration_seconds_sum{job=\"$job\"}[5m])) / "
         "sum(rate(http_request_duration_seconds_count{job=\"$job\"}[5m]))"},
        {"latency_p95", "Latency (p95)", "ms",
         "1000 * histogram_quantile(0.95, sum by (le) "
         "(rate(http_request_duration_seconds_bucket{job=\"$job\"}[5m])))"},
        {"latency_p99", "Latency (p99)", "ms",
         "1000 * histogram_quantile(0.99, sum by (le) "
         "(rate(http_request_duration_seconds_bucket{job=\"$job\"}[5m])))"},
        {"error_rate", "Error rate", "fraction",
         "sum(rate(http_requests_total{job=\"$job\",code=~\"5..\"}[5m])) / "
         "sum(rate(http_requests_total{job=\"$job\"}[5m]))"},
        {"queue_depth", "Queue depth", "messages",
         "sum(aws_sqs_approximate_number_of_messages_visible_average{queue_name=\"$queue\"})"},
        {"replica_count", "Replica count", "instances",
         "kube_deployment_status_replicas_available{deployment=\"$deployment\"}"},
        {"replication_lag", "Replication lag", "ms",
         "1000 * pg_replication_lag_seconds{instance=\"$instance\"}"},
    };
    return roles;
}
} // namespace

std::span<const Role> allRoles() {
    return table();
}

const Role* findRole(std::string_view key) {
    for (const auto& role : table())
        if (role.key == key)
            return &role;
    return nullptr;
}

} // namespace headroom::metrics
