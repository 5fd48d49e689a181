using Orleans.Runtime;

namespace Orleans.Batch.Hosting.Membership;

/// <summary>
/// Which membership rows <see cref="IMembershipTable.CleanupDefunctSiloEntriesAsync"/> removes: Dead rows whose
/// last known update is strictly before the cut-off. The last known update is the latest of the start time, the
/// I-am-alive time and every suspect vote, so a silo recently declared dead stays visible even if it stopped
/// heartbeating long ago.
/// </summary>
internal static class DefunctSiloPolicy
{
    /// <summary>Gets the latest time at which <paramref name="entry"/> is known to have changed, in UTC.</summary>
    /// <param name="entry">A membership entry.</param>
    /// <returns>The latest of start time, I-am-alive time and suspect vote times.</returns>
    public static DateTime GetLastUpdateTime(MembershipEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var latest = Utc(entry.StartTime);
        var alive = Utc(entry.IAmAliveTime);
        if (alive > latest)
        {
            latest = alive;
        }

        foreach (var vote in entry.SuspectTimes ?? [])
        {
            var time = Utc(vote.Item2);
            if (time > latest)
            {
                latest = time;
            }
        }

        return latest;
    }

    /// <summary>Whether cleanup with cut-off <paramref name="beforeDate"/> removes <paramref name="entry"/>.</summary>
    /// <param name="entry">A membership entry.</param>
    /// <param name="beforeDate">The exclusive cut-off.</param>
    /// <returns><see langword="true"/> for a Dead entry last updated strictly before <paramref name="beforeDate"/>.</returns>
    public static bool IsDefunct(MembershipEntry entry, DateTimeOffset beforeDate)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.Status == SiloStatus.Dead && GetLastUpdateTime(entry) < beforeDate.UtcDateTime;
    }

    // Orleans writes UTC; unspecified times are taken as UTC rather than shifted by the local offset.
    private static DateTime Utc(DateTime time) => time.Kind switch
    {
        DateTimeKind.Local => time.ToUniversalTime(),
        DateTimeKind.Unspecified => DateTime.SpecifyKind(time, DateTimeKind.Utc),
        _ => time,
    };
}
