using System.Text.Json.Serialization;

namespace Orleans.Batch.Application.Commands;

/// <summary><c>list --json</c>: the store, the queue, and every cluster.</summary>
internal sealed record ClusterListJson(string Store, string? Queue, DateTimeOffset ListedAt, IReadOnlyList<ClusterJson> Clusters);

/// <summary>One cluster in <c>list --json</c>.</summary>
internal sealed record ClusterJson(
    string ClusterId,
    string Lease,
    DateTimeOffset? LeaseRenewedAt,
    double? LeaseAgeSeconds,
    double? LeaseTimeoutSeconds,
    string? LeaseHolder,
    int? ActiveSilos,
    int? TotalSilos,
    bool Orphaned,
    string Assessment,
    IReadOnlyList<ClusterJobJson> Jobs);

/// <summary>One job in <c>list --json</c>.</summary>
internal sealed record ClusterJobJson(string JobId, string JobName, string Status, string? Role, DateTimeOffset? CreatedAt, int? ArraySize, IReadOnlyDictionary<string, int>? ChildStatuses);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(ClusterListJson))]
internal sealed partial class CommandJsonContext : JsonSerializerContext;
