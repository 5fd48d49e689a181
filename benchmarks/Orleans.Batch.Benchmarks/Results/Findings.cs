using System.Globalization;

namespace Orleans.Batch.Benchmarks.Results;

/// <summary>
/// Sentences computed from this run's numbers that say where our time goes (every number in them is measured;
/// nothing here is fixed text about results).
/// </summary>
internal static class Findings
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static readonly string[] DiagnosticVariants =
    [
        "launch",
        "normal tear-down (every silo asked at once)",
        "stop one silo at a time, SIGTERM 100 ms apart",
        "stop one silo at a time, each once the previous has exited",
    ];

    public static IReadOnlyList<string> Write(IReadOnlyList<ResultRow> rows, IReadOnlyList<BreakdownRow> breakdown)
    {
        var findings = new List<string>();
        foreach (var row in rows.Where(r => r.Id.StartsWith("launch.", StringComparison.Ordinal) && int.TryParse(r.Id["launch.".Length..], NumberStyles.None, Invariant, out _)))
        {
            var silos = row.Id["launch.".Length..];
            var launch = new Lookup(breakdown, $"launch, {silos} silo(s): moments from the start of the launch (s)");
            var durations = new Lookup(breakdown, $"launch, {silos} silo(s): durations (s)");
            var cpu = rows.FirstOrDefault(r => r.Id == $"launch.cpu.{silos}");
            findings.Add(Launch(row, launch, durations) + (cpu is null ? string.Empty : string.Create(Invariant,
                $" Each silo process has used {cpu.Ours:0.00} CPU s by then (baseline {cpu.Baseline:0.00}); {silos} silos on {Environment.ProcessorCount} cores need at least {cpu.Ours * int.Parse(silos, Invariant) / Environment.ProcessorCount:0.00} s of wall time for that alone (baseline {cpu.Baseline * int.Parse(silos, Invariant) / Environment.ProcessorCount:0.00} s).")));
        }

        foreach (var row in rows.Where(r => r.Id.StartsWith("teardown.", StringComparison.Ordinal)))
        {
            var parts = row.Id.Split('.');
            var after = parts[2] == "workload" ? "after the throughput workload" : "after the demo calls";
            var moments = new Lookup(breakdown, $"tear-down, {parts[1]} silo(s) {after}: moments from the start of the tear-down (s)");
            var durations = new Lookup(breakdown, $"tear-down, {parts[1]} silo(s) {after}: durations (s)");
            findings.Add(Teardown(row, moments, durations));
        }

        foreach (var row in rows.Where(r => r.Id.StartsWith("failure.dead.", StringComparison.Ordinal)))
        {
            var silos = row.Id["failure.dead.".Length..];
            var table = new Lookup(breakdown, $"failure, {silos} silos: moments from SIGKILL (s)");
            var reroute = rows.FirstOrDefault(r => r.Id == $"failure.reroute.{silos}");
            findings.Add(string.Create(Invariant,
                $"Failure detection ({silos} silos): ours' membership file shows the killed silo Dead {S(table.Ours("membership file shows the silo Dead (ours only)"))} after SIGKILL, GetHosts drops it at {S(row.Ours)} (baseline {S(row.Baseline)}), and a call to its grain succeeds elsewhere at {S(reroute?.Ours)} (baseline {S(reroute?.Baseline)}). Ours probes every 1 s and declares death after 2 missed probes (ShortLivedClusterDefaults); the baseline keeps Orleans' defaults."));
        }

        var diagnostic = breakdown.Where(b => b.Group == Scenarios.ContentionDiagnostic.Group && b.Ours is not null).ToList();
        if (diagnostic.Count > 0)
        {
            string Item(string what) =>
                diagnostic.FirstOrDefault(b => b.Item == what + ": seconds")?.Ours is { } seconds
                && diagnostic.FirstOrDefault(b => b.Item == what + ": membership write conflicts")?.Ours is { } conflicts
                    ? string.Create(Invariant, $"{what}: {seconds.Median:0.00} s ({seconds.Min:0.00}–{seconds.Max:0.00}), {conflicts.Median:0.#} conflict(s) ({conflicts.Min:0}–{conflicts.Max:0}) over {seconds.Samples} cluster(s)")
                    : string.Empty;
            var parts = DiagnosticVariants.Select(Item).Where(p => p.Length > 0);
            findings.Add("Membership write conflicts of ours (diagnostic clusters, medians): " + string.Join("; ", parts) + ".");
        }

        foreach (var row in rows.Where(r => r.Id.StartsWith("controlplane.", StringComparison.Ordinal) && r.Id.EndsWith(".submitjob.calls", StringComparison.Ordinal)))
        {
            findings.Add(ControlPlane(row.Id.Split('.')[1], rows, breakdown));
        }

        foreach (var row in rows.Where(r => r.Id.StartsWith("dynamodb.launch.", StringComparison.Ordinal)))
        {
            findings.Add(DynamoDB(row, rows, breakdown));
        }

        foreach (var row in rows.Where(r => r.Id.StartsWith("throughput.", StringComparison.Ordinal) && r.Ratio is not null))
        {
            var p99 = rows.FirstOrDefault(r => r.Id == row.Id.Replace("throughput.", "latency.p99.", StringComparison.Ordinal));
            var overlap = Overlaps(row.Spread) && (p99 is null || Overlaps(p99.Spread));
            var verdict = overlap
                ? "the two sides' min–max ranges overlap for both throughput and p99, so this run shows no difference beyond run-to-run noise (after launch the call path is plain Orleans on both sides)."
                : "the two sides' min–max ranges do not overlap for throughput or p99: a difference beyond this run's noise.";
            findings.Add(string.Create(Invariant, $"{row.Name}: ours/baseline = {row.Ratio:0.00}, p99 ratio {p99?.Ratio:0.00}; {verdict}"));
        }

        return findings;
    }

    private static string Launch(ResultRow row, Lookup launch, Lookup durations)
    {
        var text = string.Create(Invariant,
            $"Launch to ready, {row.Id["launch.".Length..]} silo(s): ours {S(row.Ours)} vs baseline {S(row.Baseline)} (ratio {row.Ratio:0.00}). ");
        text += string.Create(Invariant,
            $"Silo processes reach Orleans' start (SiloHostedService: process, runtime and host start) at {S(launch.Ours("silo log: Orleans silo starting, typical silo"))} typically and {S(launch.Ours("silo log: Orleans silo starting, last silo"))} for the last one (baseline {S(launch.Baseline("silo log: Orleans silo starting, typical silo"))} and {S(launch.Baseline("silo log: Orleans silo starting, last silo"))}); ");
        text += string.Create(Invariant,
            $"the last silo becomes active at {S(launch.Ours("silo log: membership: active, last silo") ?? launch.Ours("silo log: membership: active, typical silo"))} (baseline {S(launch.Baseline("silo log: membership: active, last silo") ?? launch.Baseline("silo log: membership: active, typical silo"))}). ");
        text += string.Create(Invariant,
            $"Joining → active takes {S(durations.Ours("join (joining → active), typical silo"))} for a typical silo and {S(durations.Ours("join (joining → active), slowest silo"))} for the slowest (baseline {S(durations.Baseline("join (joining → active), typical silo"))} and {S(durations.Baseline("join (joining → active), slowest silo"))}); ");
        text += string.Create(Invariant,
            $"{N(durations.Ours("silos whose join took ≥ 1.9 s (count per launch)"))} silo(s) per launch take ≥ 1.9 s to join on ours, {N(durations.Baseline("silos whose join took ≥ 1.9 s (count per launch)"))} on the baseline (Orleans waits at least 2 s before retrying a membership write that lost a race). ");
        if (launch.Ours("harness: manager saw all silos active in the table") is { } seen)
        {
            text += string.Create(Invariant,
                $"Our manager sees every silo active in the table at {S(seen)} (it polls every {new Orleans.Batch.Hosting.Cluster.ClusterLaunchOptions { ClusterId = "x", MaxSilos = 1 }.PollInterval.TotalMilliseconds:0} ms), its client is connected at {S(launch.Ours("harness: LaunchAsync returned (client connected)"))} and GetHosts confirms at {S(launch.Ours("harness: GetHosts lists every silo (ready)"))}; ");
        }

        if (launch.Baseline("harness: client connected") is { } connected)
        {
            text += string.Create(Invariant,
                $"the baseline client is connected at {S(connected)} and GetHosts lists every silo at {S(launch.Baseline("harness: GetHosts lists every silo (ready)"))}.");
        }

        return text;
    }

    private static string Teardown(ResultRow row, Lookup moments, Lookup durations)
    {
        var text = string.Create(Invariant, $"{row.Name}: ours {S(row.Ours)} vs baseline {S(row.Baseline)}. ");
        text += string.Create(Invariant,
            $"The client is stopped and the silos asked to stop at {S(moments.Ours("harness: client stopped; silos asked to stop"))} (baseline {S(moments.Baseline("harness: client stopped; silos asked to stop"))}); ");
        text += string.Create(Invariant,
            $"Orleans' silo stop takes {S(durations.Ours("Orleans silo stop (stopping → stopped), typical silo"))} for a typical silo and {S(durations.Ours("Orleans silo stop (stopping → stopped), slowest silo"))} for the slowest (baseline {S(durations.Baseline("Orleans silo stop (stopping → stopped), typical silo"))} and {S(durations.Baseline("Orleans silo stop (stopping → stopped), slowest silo"))}), with {N(durations.Ours("silos whose stop took ≥ 1.9 s (count per tear-down)"))} silo(s) per tear-down taking ≥ 1.9 s on ours and {N(durations.Baseline("silos whose stop took ≥ 1.9 s (count per tear-down)"))} on the baseline; ");
        text += string.Create(Invariant,
            $"the last silo process is gone at {S(moments.Ours("harness: last silo process gone"))} (baseline {S(moments.Baseline("harness: last silo process gone"))})");
        if (moments.Ours("harness: membership rows deleted") is { } deleted)
        {
            text += string.Create(Invariant, $", and ours' membership rows are deleted at {S(deleted)}");
        }

        return text + ".";
    }

    private static string ControlPlane(string silos, IReadOnlyList<ResultRow> rows, IReadOnlyList<BreakdownRow> breakdown)
    {
        double? Row(string metric) => rows.FirstOrDefault(r => r.Id == $"controlplane.{silos}.{metric}")?.Ours;
        var calls = new Lookup(breakdown, Scenarios.ControlPlaneScenario.CallsGroup(int.Parse(silos, Invariant)));
        var moments = new Lookup(breakdown, Scenarios.ControlPlaneScenario.MomentsGroup(int.Parse(silos, Invariant)));
        var describes = Row("describejobs.perpoll");
        var poll = Row("poll.time");
        var running = Row("running.time");
        var floor = moments.Ours("emulated state delays before RUNNING (4 × transition delay, s)") * 1000;
        return string.Create(Invariant,
            $"Control plane, {silos} silos: {N(Row("submitjob.calls"))} SubmitJob ({Ms(Row("submit.time"))}); each poll of every silo is {N(describes)} DescribeJobs call(s) taking {Ms(poll)} ({Ms(poll / describes)} per call, client and emulator on the same 2 cores); ") +
            string.Create(Invariant,
            $"the first poll that saw all {silos} RUNNING ended {Ms(running)} after the submit (the emulator's own state delays are {Ms(floor)} of that; {N(moments.Ours("polls until every silo was RUNNING"))} polls); ") +
            string.Create(Invariant,
            $"tear-down took {N(calls.Ours("tear-down: TerminateJob"))} TerminateJob and {N(calls.Ours("tear-down: DescribeJobs"))} DescribeJobs calls in {Ms(Row("teardown.time"))}; ListJobs calls: {N(calls.Ours("all phases: ListJobs"))}.");
    }

    private static string DynamoDB(ResultRow launch, IReadOnlyList<ResultRow> rows, IReadOnlyList<BreakdownRow> breakdown)
    {
        var silos = launch.Id["dynamodb.launch.".Length..];
        var prefix = Scenarios.DynamoDBScenario.GroupPrefix;
        var teardown = rows.FirstOrDefault(r => r.Id == $"dynamodb.teardown.{silos}");
        var joins = new Lookup(breakdown, $"{prefix}launch, {silos} silo(s): durations (s)");
        var stops = new Lookup(breakdown, $"{prefix}tear-down, {silos} silo(s) after the demo calls: durations (s)");
        var requests = new Lookup(breakdown, Scenarios.DynamoDBScenario.RequestsGroup(int.Parse(silos, Invariant)));
        var text = string.Create(Invariant,
            $"DynamoDB membership, {silos} silos (ours on both sides; the other side is the file table): launch to ready {S(launch.Ours)} vs {S(launch.Baseline)}. ");
        text += string.Create(Invariant,
            $"Joining → active takes {S(joins.Ours("join (joining → active), typical silo"))} for a typical silo and {S(joins.Ours("join (joining → active), slowest silo"))} for the slowest (file table {S(joins.Baseline("join (joining → active), typical silo"))} and {S(joins.Baseline("join (joining → active), slowest silo"))}); {N(joins.Ours("silos whose join took ≥ 1.9 s (count per launch)"))} silo(s) per launch take ≥ 1.9 s with DynamoDB, {N(joins.Baseline("silos whose join took ≥ 1.9 s (count per launch)"))} with the file table (a membership write that lost a race waits at least 2 s before Orleans retries it; local silos on the file table take turns for each membership write, silos on DynamoDB do not). ");
        text += string.Create(Invariant,
            $"Tear-down {S(teardown?.Ours)} vs {S(teardown?.Baseline)}, with {N(stops.Ours("silos whose stop took ≥ 1.9 s (count per tear-down)"))} silo(s) per tear-down stopping in ≥ 1.9 s with DynamoDB and {N(stops.Baseline("silos whose stop took ≥ 1.9 s (count per tear-down)"))} with the file table. ");
        text += string.Create(Invariant,
            $"A launch costs {N(requests.Ours("launch: silos, all"))} requests from the silos and {N(requests.Ours("launch: manager"))} from the manager; DynamoDB Local answered the silos in {Ms(requests.Ours("launch: DynamoDB Local's mean answer time to the silos (ms)"))} on average.");
        var idle = breakdown.Where(b => b.Group == Scenarios.DynamoDBScenario.IdleGroup(int.Parse(silos, Invariant)) && b.Ours is not null).ToList();
        var perSilo = rows.FirstOrDefault(r => r.Id == $"dynamodb.idle.silo.{silos}");
        var manager = rows.FirstOrDefault(r => r.Id == $"dynamodb.idle.manager.{silos}");
        if (perSilo is not null)
        {
            static string Parts(IEnumerable<BreakdownRow> items, string who) => string.Join(", ", items
                .Where(b => b.Item.StartsWith(who, StringComparison.Ordinal))
                .OrderByDescending(b => b.Ours!.Median)
                .Select(b => string.Create(Invariant, $"{b.Item[who.Length..]} {b.Ours!.Median:0.#}")));
            text += string.Create(Invariant,
                $" Idle, each silo sends {perSilo.Ours:0.#} requests per minute ({Parts(idle, "per silo: ")}: Orleans re-reads the table every 2 s with a GetItem of the version row and a Query of the partition, writes I-am-alive every 10 s, and the manager-lease watch reads every 10 s); ") +
                string.Create(Invariant,
                $"the manager sends {manager?.Ours:0.#} per minute ({Parts(idle, "manager: ")}: its cluster monitor reads the table every second, its client's gateway list every 2 s, its lease is renewed every 15 s).");
        }

        return text;
    }

    private static string Ms(double? milliseconds) => milliseconds is { } ms ? ms.ToString(ms < 10 ? "0.0" : "0", Invariant) + " ms" : "–";

    private static bool Overlaps(RowSpread spread) =>
        spread.Ours is { } ours && spread.Baseline is { } baseline && ours.Min <= baseline.Max && baseline.Min <= ours.Max;

    private static string S(double? seconds) => seconds is { } s ? s.ToString("0.00", Invariant) + " s" : "–";

    private static string N(double? count) => count is { } c ? c.ToString("0.#", Invariant) : "–";

    private sealed class Lookup(IReadOnlyList<BreakdownRow> rows, string group)
    {
        public double? Ours(string item) => rows.FirstOrDefault(r => r.Group == group && r.Item == item)?.Ours?.Median;

        public double? Baseline(string item) => rows.FirstOrDefault(r => r.Group == group && r.Item == item)?.Baseline?.Median;
    }
}
