using Orleans.Batch.Tests.Infrastructure;
using static Orleans.Batch.Tests.Infrastructure.RejectedRun;

namespace Orleans.Batch.Tests.Application.CommandLine;

/// <summary>
/// Every flag and every silo-role setting, given malformed values of every kind (empty, negative, zero, huge,
/// overflowing, non-ASCII, very long, path-like, with a newline): each is one line naming it, exit code 2, and
/// nothing started.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class MalformedValueTests
{
    private static readonly string Long = new('x', 5000);
    private static readonly Dictionary<string, string> NoEnvironment = [];

    private static readonly string[] Durations = ["", "-1", "0", "99999999999h", "1e400", "ä", "5x", Long, "../x", "a\nb", "31d", "00:00:00"];
    private static readonly string[] Counts = ["", "-1", "0", "99999999999999999999", "1e3", "1.5", "ä", Long, "../x", "a\nb"];
    private static readonly string[] Names = ["", "ä", Long, "../x", "a\nb", "-x", "a b"];
    private static readonly string[] Urls = ["", "ä", "ftp://x", "../x", "a\nb", Long, "http//x"];

    /// <summary>The manager's flags, each with values it must refuse, and the arguments it needs besides.</summary>
    public static TheoryData<string, string[], string[]> ManagerFlags => new()
    {
        { "--silos", ["", "-1", "0", "99999999999999999999", "1e3", "ä", Long, "../x", "a\nb", "5:2", "10001", "1:2:3"], [] },
        { "--min-silos", Counts, [] },
        { "--replace-lost", ["", "-1", "99999999999999999999", "1e3", "1.5", "ä", Long, "../x", "a\nb", "100001"], [] },
        { "--scale", ["", "ä", Long, "a\nb", "elastic", "0"], [] },
        { "--scale-cooldown", Durations, ["--silos", "1:2", "--scale", "adaptive"] },
        { "--timeout", Durations, [] },
        { "--orphan-timeout", [.. Durations, "1s"], [] },
        { "--teardown-timeout", Durations, [] },
        { "--backend", ["", "ä", Long, "../x", "a\nb", "0", "kubernetes"], [] },
        { "--workload", ["", "ä", Long, "../x", "a\nb", "nope"], [] },
        { "--workload-option", ["", "=1", "x", "x=1", "ä=1", "a\nb=1", Long + "=1"], [] },
        { "--silo-logs", ["", "ä", Long, "a\nb", "loud"], [] },
        { "--cluster-id", ["", "..", ".", "../../../escape", "bad id/with slash", Long, "a\nb", "-a", "a.b", "ä/1"], [] },
        { "--table", ["", "a", "ä", Long, "../x", "a\nb"], [] },
        { "--dynamodb-endpoint", Urls, [] },
        { "--create-table", ["maybe", "ä", "0", "", "a\nb", Long], [] },
        { "--region", ["", "ä", "us_east_1", Long, "a\nb", "../x"], ["--queue", "q", "--definition", "d"] },
        { "--queue", Names, ["--backend", "aws-batch", "--definition", "d"] },
        { "--definition", [.. Names, "d:0", "d:-1", "d:x"], ["--backend", "aws-batch", "--queue", "q"] },
        { "--name", [.. Names, new string('n', 65)], ["--queue", "q", "--definition", "d"] },
        { "--vcpus", [.. Counts.Where(v => v != "1.5"), "1.5", "1e400", "NaN", "Infinity", "0.1", "257"], ["--queue", "q", "--definition", "d"] },
        { "--memory", [.. Counts, "4194305"], ["--queue", "q", "--definition", "d"] },
        { "--gpus", [.. Counts, "65"], ["--queue", "q", "--definition", "d"] },
        { "--max-runtime", [.. Durations, "30s"], ["--queue", "q", "--definition", "d"] },
        { "--batch-endpoint", Urls, ["--queue", "q", "--definition", "d"] },
        { "--dashboard", ["", "-1", "65536", "99999999999999999999", "1e3", "ä", Long, "a\nb", "http://x"], [] },
        { "--metrics", ["", "ä", "otlp", "CONSOLE", "a\nb", Long], [] },
        { "--report", ["", "/nonexistent-directory/report.json", "/tmp/", "a\nb", Long], [] },
        { "--dashboard-bind", ["", "ä", "localhost", "999.1.1.1", Long, "a\nb", "../x"], ["--dashboard", "0"] },
    };

    [Fact]
    public async Task A_malformed_price_of_the_run_report_is_one_line_naming_its_setting_and_nothing_starts()
    {
        var cases = new[] { "", "abc", "-1", "NaN", "1e999", Long }
            .Select(value => new BadInput(["--silos", "1"], new Dictionary<string, string> { ["OrleansBatch__Pricing__VcpuHourUsd"] = value }, "OrleansBatch:Pricing:VcpuHourUsd"));

        (await FindViolationsAsync(cases)).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(ManagerFlags))]
    public async Task A_malformed_manager_flag_is_one_line_naming_it_and_nothing_starts(string flag, string[] values, string[] besides)
    {
        var cases = values.Select(value => new BadInput([.. besides, flag, value], NoEnvironment, flag == "--workload-option" ? "--workload-option" : flag));

        (await FindViolationsAsync(cases)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_malformed_AWS_BATCH_JOB_ID_is_one_line_naming_it()
    {
        var cases = new[] { "abc\ndef", "../x", Long, "a b", "a/b" }
            .Select(value => new BadInput(["--silos", "1"], new Dictionary<string, string> { ["AWS_BATCH_JOB_ID"] = value }, "AWS_BATCH_JOB_ID"));

        (await FindViolationsAsync(cases)).ShouldBeEmpty();
    }

    [Fact]
    public async Task A_temporary_directory_that_does_not_exist_is_named_and_not_created()
    {
        var missing = Path.Combine(Path.GetTempPath(), "orleans-batch-tests-missing-" + Guid.NewGuid().ToString("N"), "dir");
        var leaks = new ProcessLeakDetector();

        var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(leaks, ["--silos", "1"], TimeSpan.FromSeconds(60), new Dictionary<string, string> { ["TMPDIR"] = missing });

        exitCode.ShouldBe(2, stderr);
        stdout.ShouldBeEmpty();
        stderr.Trim().ShouldBe($"error: TMPDIR is '{missing}', which is not an existing directory; point it at one or unset it");
        Directory.Exists(Path.GetDirectoryName(missing)).ShouldBeFalse();
        await leaks.AssertNoneLeftAsync(TimeSpan.Zero);
    }

    /// <summary>The silo role's settings, each with values it must refuse.</summary>
    public static TheoryData<string, string[], Dictionary<string, string>> SiloSettings => new()
    {
        { "OrleansBatch__ClusterId", ["", "..", "a/b", Long, "a\nb", "-a"], [] },
        { "OrleansBatch__Silo__SiloPort", ["", "-1", "65536", "abc", "99999999999", "ä", "1.5"], [] },
        { "OrleansBatch__Silo__GatewayPort", ["", "-1", "65536", "abc", "99999999999", "ä"], [] },
        { "OrleansBatch__Silo__ShutdownTimeout", ["", "abc", "-00:00:01", "0", "99999999.00:00:00", "1e400", "ä", "a\nb"], [] },
        { "OrleansBatch__Silo__MaxPortAttempts", ["", "0", "-1", "abc", "1000", "99999999999"], [] },
        { "OrleansBatch__Silo__ParentProcessId", ["0", "-1", "abc", "99999999999"], [] },
        { "OrleansBatch__Silo__WatchStandardInput", ["maybe", "2", "ä"], [] },
        { "OrleansBatch__Silo__Ec2InstanceMetadata", ["Foo", "ä", "7"], [] },
        { "OrleansBatch__Silo__MetadataRequestTimeout", ["abc", "0", "-1", "99999999.00:00:00"], [] },
        { "OrleansBatch__Silo__MetadataRetryCount", ["abc", "-1", "99999999999"], [] },
        { "OrleansBatch__Lease__OrphanTimeout", ["", "abc", "0", "00:00:01", "99999999.00:00:00", "-1", "ä"], [] },
        { "OrleansBatch__Membership", ["Foo", "ä", "2", "a\nb"], [] },
        { "OrleansBatch__LocalMembership__Directory", ["relative/dir", "/no/such/parent/dir", "a\nb"], [] },
        { "OrleansBatch__LocalMembership__LockTimeout", ["abc", "0", "-1", "99999999.00:00:00"], [] },
        { "OrleansBatch__DynamoDB__TableName", ["a", "ä", Long, "a\nb"], new() { ["OrleansBatch__Membership"] = "DynamoDB" } },
        { "OrleansBatch__DynamoDB__ServiceUrl", ["not a url", "ftp://x", "ä"], new() { ["OrleansBatch__Membership"] = "DynamoDB" } },
        { "OrleansBatch__DynamoDB__TimeToLive", ["abc", "00:00:01", "99999999.00:00:00"], new() { ["OrleansBatch__Membership"] = "DynamoDB" } },
        { "OrleansBatch__DynamoDB__BillingMode", ["Free", "ä"], new() { ["OrleansBatch__Membership"] = "DynamoDB" } },
    };

    [Theory]
    [MemberData(nameof(SiloSettings))]
    public async Task A_malformed_silo_setting_is_one_line_naming_its_variable_and_nothing_starts(string variable, string[] values, Dictionary<string, string> besides)
    {
        var cases = values.Select(value =>
        {
            var environment = new Dictionary<string, string>(besides) { ["OrleansBatch__ClusterId"] = "c1", [variable] = value };
            return new BadInput(["silo"], environment, variable);
        });

        (await FindViolationsAsync(cases)).ShouldBeEmpty();
    }
}
