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
    IReadOnlyList<ClusterJobJson> Jobs,
    IReadOnlyList<string> Waiting);

/// <summary>One job in <c>list --json</c>.</summary>
internal sealed record ClusterJobJson(string JobId, string JobName, string Status, string? Role, DateTimeOffset? CreatedAt, int? ArraySize, IReadOnlyDictionary<string, int>? ChildStatuses);

/// <summary><c>preflight --json</c>: whether something blocks a launch, and every check.</summary>
internal sealed record PreflightJson(bool BlocksLaunch, IReadOnlyList<PreflightCheckJson> Checks);

/// <summary>One check in <c>preflight --json</c>; outcome is passed, warning or failed.</summary>
internal sealed record PreflightCheckJson(string Check, string Resource, string Outcome, string Message);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(ClusterListJson))]
[JsonSerializable(typeof(PreflightJson))]
internal sealed partial class CommandJsonContext : JsonSerializerContext;
