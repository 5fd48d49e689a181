using Orleans.Batch.Application.CommandLine;
using Orleans.Batch.Application.Manager;
using Orleans.Batch.Tests.Hosting.AwsBatch;

namespace Orleans.Batch.Tests.Deploy;

/// <summary>
/// Parses a manager command line the way the Launcher does inside a Batch job (AWS_BATCH_JOB_ID set), and returns
/// the settings the manager would run with. Callers belong to <see cref="AwsEnvironmentCollection"/>: the variable
/// is process-wide.
/// </summary>
internal static class ManagerCommandLine
{
    public static async Task<ManagerSettings> ParseInsideBatchAsync(IReadOnlyList<string> arguments)
    {
        using var environment = new EnvironmentVariableScope(new Dictionary<string, string?>
        {
            ["AWS_BATCH_JOB_ID"] = "00000000-1111-2222-3333-444444444444",
        });

        ManagerSettings? settings = null;
        var root = OrleansBatchCommandLine.Build(
            new Orleans.Batch.Application.Workloads.WorkloadCatalog([new Orleans.Batch.Launcher.Workloads.DemoWorkload(), new Orleans.Batch.Launcher.Workloads.MonteCarloWorkload()]),
            (parsed, _) =>
            {
                settings = parsed;
                return Task.FromResult(0);
            },
            (_, _) => throw new InvalidOperationException("a manager command line must not run the silo role"));
        var parse = root.Parse([.. arguments]);
        parse.Errors.ShouldBeEmpty($"'{string.Join(' ', arguments)}' does not parse: {(parse.Errors.Count > 0 ? OrleansBatchCommandLine.DescribeError(parse) : string.Empty)}");
        (await parse.InvokeAsync()).ShouldBe(0);
        return settings.ShouldNotBeNull("the manager action did not run");
    }

    /// <summary>The command Batch runs: every <c>Ref::name</c> replaced by its parameter.</summary>
    public static IReadOnlyList<string> SubstituteParameters(IEnumerable<string> command, IReadOnlyDictionary<string, string> parameters) =>
        [.. command.Select(part => part.StartsWith("Ref::", StringComparison.Ordinal) && parameters.TryGetValue(part[5..], out var value) ? value : part)];
}
