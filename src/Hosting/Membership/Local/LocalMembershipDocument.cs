using System.Text.Json.Serialization;

namespace Orleans.Batch.Hosting.Membership.Local;

/// <summary>The on-disk form of one cluster's membership table.</summary>
internal sealed class LocalMembershipDocument
{
    public int Version { get; set; }

    public string VersionEtag { get; set; } = "0";

    /// <summary>Source of unique row etags; only ever grows.</summary>
    public long NextEtag { get; set; } = 1;

    public List<LocalMembershipRow> Rows { get; set; } = [];
}

/// <summary>One silo's row: the flattened <see cref="MembershipEntry"/> plus its etag.</summary>
internal sealed class LocalMembershipRow
{
    public required string SiloAddress { get; set; }

    public required string Etag { get; set; }

    public int Status { get; set; }

    public int ProxyPort { get; set; }

    public string? HostName { get; set; }

    public string? SiloName { get; set; }

    public string? RoleName { get; set; }

    public int UpdateZone { get; set; }

    public int FaultZone { get; set; }

    public DateTime StartTime { get; set; }

    public DateTime IAmAliveTime { get; set; }

    /// <summary>Null when the entry had no list (kept apart from an empty one so entries round-trip exactly).</summary>
    public List<LocalSuspectVote>? SuspectTimes { get; set; }
}

/// <summary>A suspicion vote: who suspected the silo, and when.</summary>
internal sealed record LocalSuspectVote(string Suspecter, DateTime Time);

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(LocalMembershipDocument))]
internal sealed partial class LocalMembershipJsonContext : JsonSerializerContext;
