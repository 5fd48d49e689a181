namespace Orleans.Batch.Benchmarks.Results;

/// <summary>One row of the results: what is measured, in which unit, and which way is better.</summary>
/// <param name="Key">A stable identifier (the JSON <c>id</c>).</param>
/// <param name="Name">The row's name in the table.</param>
/// <param name="Unit">The unit of the values.</param>
/// <param name="HigherIsBetter">True for throughput; false for times, latencies and memory.</param>
/// <param name="Target">
/// What we work towards: relative to the baseline when it contains "×" (e.g. "≤ 0.8 × baseline"), else an absolute
/// bound on ours (e.g. "&lt; 3 s", "≤ 1 call"); or null.
/// </param>
/// <param name="SamplesPerRun">Samples one run gives (one per silo process for per-process rows).</param>
/// <param name="BaselineIs">What the baseline column holds for this row (see <see cref="BaselineKinds"/>).</param>
/// <param name="Reference">For rows without a measured baseline: the target value shown in the baseline column.</param>
internal sealed record Metric(
    string Key,
    string Name,
    string Unit,
    bool HigherIsBetter = false,
    string? Target = null,
    int SamplesPerRun = 1,
    string BaselineIs = BaselineKinds.PlainOrleans,
    double? Reference = null);

/// <summary>What a row's baseline column holds.</summary>
internal static class BaselineKinds
{
    /// <summary>Plain Orleans silos measured in the same run (the harness's usual comparison).</summary>
    public const string PlainOrleans = "plain Orleans";

    /// <summary>No baseline exists (the AWS Batch control plane): the column shows the target value instead.</summary>
    public const string Target = "target";

    /// <summary>Ours with the local file membership table, measured in the same run (the DynamoDB rows).</summary>
    public const string OursWithFileTable = "ours with the file membership table";

    /// <summary>The same silo run as a plain process instead of a container, in the same run (the image rows).</summary>
    public const string PlainProcess = "the same silo as a plain process";

    /// <summary>Ours without cluster TLS, measured in the same run (the TLS rows: ours is with TLS).</summary>
    public const string OursWithoutTls = "ours without TLS";

    /// <summary>Ours without the dashboard, measured in the same run (the dashboard rows: ours has it open).</summary>
    public const string OursWithoutDashboard = "ours without the dashboard";

    /// <summary>Nothing to compare with.</summary>
    public const string None = "none";
}
