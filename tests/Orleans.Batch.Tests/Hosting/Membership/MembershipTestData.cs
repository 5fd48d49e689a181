using System.Net;
using Orleans.Runtime;

namespace Orleans.Batch.Tests.Hosting.Membership;

/// <summary>Membership entries for tests, and a by-value view of every field for exact comparisons.</summary>
public static class MembershipTestData
{
    /// <summary>An entry for <paramref name="address"/> with every field set, including sub-second times and votes.</summary>
    public static MembershipEntry CreateFullEntry(SiloAddress address) => new()
    {
        SiloAddress = address,
        Status = SiloStatus.Active,
        ProxyPort = 30123,
        HostName = "ip-10-0-1-7.ec2.internal",
        SiloName = "job-1234:7",
        RoleName = "worker",
        UpdateZone = 3,
        FaultZone = 11,
        StartTime = new DateTime(2025, 6, 1, 12, 0, 1, DateTimeKind.Utc).AddTicks(1_234_567),
        IAmAliveTime = new DateTime(2025, 6, 1, 12, 5, 2, DateTimeKind.Utc).AddTicks(7_654_321),
        // Deliberately not in address or time order: the order must survive.
        SuspectTimes =
        [
            Tuple.Create(SiloAddress.New(IPAddress.Parse("10.0.0.9"), 11111, 9), new DateTime(2025, 6, 1, 12, 4, 0, DateTimeKind.Utc).AddTicks(3)),
            Tuple.Create(SiloAddress.New(IPAddress.Parse("10.0.0.2"), 11111, 2), new DateTime(2025, 6, 1, 12, 3, 0, DateTimeKind.Utc)),
            Tuple.Create(SiloAddress.New(IPAddress.IPv6Loopback, 11112, 5), new DateTime(2025, 6, 1, 12, 4, 30, DateTimeKind.Utc).AddTicks(99)),
        ],
    };

    /// <summary>Every field of an entry, comparable by value (times by ticks, votes in order).</summary>
    public static EntryFields Fields(MembershipEntry entry) => new(
        entry.SiloAddress.ToParsableString(),
        entry.SiloAddress.Generation,
        entry.Status,
        entry.ProxyPort,
        entry.HostName,
        entry.SiloName,
        entry.RoleName,
        entry.UpdateZone,
        entry.FaultZone,
        entry.StartTime.Ticks,
        entry.IAmAliveTime.Ticks,
        entry.SuspectTimes is null ? null : string.Join(" | ", entry.SuspectTimes.Select(vote => $"{vote.Item1.ToParsableString()} at {vote.Item2.Ticks}")));

    public sealed record EntryFields(
        string Address, int Generation, SiloStatus Status, int ProxyPort, string? HostName, string? SiloName, string? RoleName,
        int UpdateZone, int FaultZone, long StartTimeTicks, long IAmAliveTimeTicks, string? SuspectVotes);
}
