using Orleans.Configuration;

namespace Orleans.Batch.Hosting.Configuration;

/// <summary>
/// Membership timings for short-lived compute clusters. Orleans' defaults suit long-lived services (a dead
/// silo is declared after about 15 s, tables are re-read every minute); a batch computation wants a dead
/// silo routed around in a few seconds and joiners seen at once. Each value can still be overridden with
/// <c>Configure&lt;ClusterMembershipOptions&gt;</c> after these are applied.
/// </summary>
public static class ShortLivedClusterDefaults
{
    /// <summary>Applies the short-lived cluster timings of a small cluster to <paramref name="options"/>.</summary>
    public static void Apply(ClusterMembershipOptions options) => Apply(options, expectedSilos: 1);

    /// <summary>
    /// Applies the short-lived cluster timings of a cluster of <paramref name="expectedSilos"/> silos: the table
    /// refresh and I-am-alive periods grow with the size so that membership traffic stays a small share of one
    /// DynamoDB partition (README, "Scale"); probing tolerates a little more in clusters of more than 16 silos, where
    /// more probes can meet a busy host, and still finds a dead silo in seconds (see <see cref="MembershipScale"/>).
    /// </summary>
    public static void Apply(ClusterMembershipOptions options, int expectedSilos)
    {
        ArgumentNullException.ThrowIfNull(options);
        var scale = MembershipScale.For(expectedSilos);

        // Small clusters: probe every second and declare death after two misses (a killed process refuses connections
        // at once, so this finds it in about 2-3 s). Larger ones: every 2 s, three misses.
        options.ProbeTimeout = scale.ProbeTimeout;
        options.MinProbeTimeout = scale.ProbeTimeout;
        options.NumMissedProbesLimit = scale.MissedProbesLimit;

        // Re-read the table often so silos and the manager agree quickly (each read is one small item while the table
        // does not change); gossip carries changes between reads.
        options.TableRefreshTimeout = scale.TableRefresh;
        options.IAmAliveTablePublishTimeout = scale.IAmAlivePublish;
        options.NumMissedTableIAmAliveLimit = scale.IAmAliveMissLimit;
        options.DeathVoteExpirationTimeout = TimeSpan.FromSeconds(30);
        options.MaxJoinAttemptTime = TimeSpan.FromMinutes(2);

        // Stopped silos of a finished cluster need not be kept for a week.
        options.DefunctSiloExpiration = TimeSpan.FromHours(1);
        options.DefunctSiloCleanupPeriod = TimeSpan.FromMinutes(10);
        options.DefunctSiloMinimumRetention = TimeSpan.FromMinutes(10);
    }

    /// <summary>Applies the client-side timings of a small cluster: find new gateways within a couple of seconds.</summary>
    public static void Apply(GatewayOptions options) => Apply(options, expectedSilos: 1);

    /// <summary>Applies the client-side timings of a cluster of <paramref name="expectedSilos"/> silos.</summary>
    public static void Apply(GatewayOptions options, int expectedSilos)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.GatewayListRefreshPeriod = MembershipScale.For(expectedSilos).GatewayListRefresh;
    }
}
