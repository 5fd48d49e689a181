using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using Orleans.Batch.Application.Reporting;
using Orleans.Batch.Hosting.Diagnostics.Internal;

namespace Orleans.Batch.Tests.Application.Reporting;

/// <summary>The run report: prices from configuration, what the recorder counts, and the JSON a script reads.</summary>
public sealed class RunReportTests
{
    [Fact]
    public void Prices_default_to_the_documented_list_prices_and_are_overridden_from_configuration()
    {
        var defaults = RunPricing.From(Configuration([]));
        var overridden = RunPricing.From(Configuration(new() { ["OrleansBatch:Pricing:VcpuHourUsd"] = "0.0425", ["OrleansBatch:Pricing:GiBHourUsd"] = "0" }));

        defaults.ShouldBe(new RunPricing());
        defaults.IsOverridden.ShouldBeFalse();
        overridden.VcpuHourUsd.ShouldBe(0.0425);
        overridden.GiBHourUsd.ShouldBe(0);
        overridden.ReadRequestUnitUsd.ShouldBe(defaults.ReadRequestUnitUsd);
        overridden.IsOverridden.ShouldBeTrue();
    }

    [Theory]
    [InlineData("VcpuHourUsd", "cheap")]
    [InlineData("GiBHourUsd", "-1")]
    [InlineData("ReadRequestUnitUsd", "NaN")]
    [InlineData("WriteRequestUnitUsd", "1e999")]
    public void A_malformed_price_is_one_line_naming_its_key(string key, string value)
    {
        var error = Should.Throw<RunReportException>(() => RunPricing.From(Configuration(new() { [$"OrleansBatch:Pricing:{key}"] = value })));

        error.Message.ShouldStartWith($"OrleansBatch:Pricing:{key} must be a price in US dollars");
        error.Message.ShouldNotContain("\n");
    }

    [Fact]
    public void The_recorder_counts_this_processs_AWS_requests_throttles_and_consumed_capacity()
    {
        var time = new FakeTimeProvider();
        using var recorder = new RunUsageRecorder(time);

        ClusterTelemetry.AwsRequest("Batch", "SubmitJob", "success", null);
        ClusterTelemetry.AwsRequest("Batch", "DescribeJobs", "throttled", null);
        ClusterTelemetry.AwsRequest("DynamoDB", "Query", "success", null);
        ClusterTelemetry.DynamoDBCapacity("Query", write: false, 1.5);
        ClusterTelemetry.DynamoDBCapacity("TransactWriteItems", write: true, 4);
        time.Advance(TimeSpan.FromSeconds(90));
        var report = recorder.Finish(new RunReportContext("c", "aws-batch", 0, VcpusPerSilo: 2, MemoryMiBPerSilo: 4096, new RunPricing()));

        // Other tests of this process may count too: at least these, and the throttle told apart.
        report.BatchRequests.ShouldBeGreaterThanOrEqualTo(2);
        report.ThrottledRequests.ShouldBeGreaterThanOrEqualTo(1);
        report.DynamoDBRequests.ShouldBeGreaterThanOrEqualTo(1);
        report.DynamoDBReadUnits.ShouldBeGreaterThanOrEqualTo(1.5);
        report.DynamoDBWriteUnits.ShouldBeGreaterThanOrEqualTo(4);
        report.WallSeconds.ShouldBe(90);
        report.TimeToReadySeconds.ShouldBeNull("no cluster was ever ready");
        report.SiloSeconds.ShouldBe(0);
        report.Cost.ShouldNotBeNull().Estimate.ShouldBeTrue();
        report.Cost.DynamoDBUsd.ShouldBe((report.DynamoDBReadUnits * 0.125e-6) + (report.DynamoDBWriteUnits * 0.625e-6), 1e-15);
        report.Cost.Basis.ShouldContain(RunPricing.DefaultsAsOf);
    }

    [Fact]
    public void A_local_run_has_no_cost_and_says_it_made_no_AWS_requests()
    {
        var report = Report() with { Backend = "local", BatchRequests = 0, DynamoDBRequests = 0, Cost = null };

        report.Describe().ShouldContain("  AWS requests: none");
        report.Describe().ShouldNotContain(line => line.Contains("cost", StringComparison.Ordinal));
    }

    [Fact]
    public void The_JSON_report_has_snake_case_names_for_scripts()
    {
        var json = JsonNode.Parse(RunReportFile.ToJson(Report()))!.AsObject();

        json.Select(p => p.Key).ShouldBe(
        [
            "cluster_id", "backend", "exit_code", "silos_launched", "silos_lost", "silos_replaced", "silos_removed", "time_to_ready_seconds",
            "wall_seconds", "silo_seconds", "vcpus_per_silo", "memory_mib_per_silo", "vcpu_hours", "batch_requests", "dynamodb_requests",
            "throttled_requests", "dynamodb_read_units", "dynamodb_write_units", "cost",
        ]);
        json["cost"]!.AsObject().Select(p => p.Key).ShouldBe(["estimate", "compute_usd", "dynamodb_usd", "basis", "total_usd"], ignoreOrder: true);
        json["silos_launched"]!.GetValue<int>().ShouldBe(4);
    }

    [Fact]
    public void A_report_that_cannot_be_written_is_one_line_naming_the_flag()
    {
        var directory = Directory.CreateTempSubdirectory("orleans-batch-tests-report-");
        try
        {
            var error = Should.Throw<RunReportException>(() => RunReportFile.Write(Report(), directory.FullName));

            error.Message.ShouldStartWith($"--report: cannot write {directory.FullName}");
            directory.EnumerateFiles().ShouldBeEmpty("nothing half-written is left");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static RunReport Report() => new()
    {
        ClusterId = "ob-1",
        Backend = "aws-batch",
        ExitCode = 0,
        SilosLaunched = 4,
        SilosLost = 1,
        SilosReplaced = 1,
        SilosRemoved = 0,
        TimeToReadySeconds = 12.5,
        WallSeconds = 300,
        SiloSeconds = 1150,
        VcpusPerSilo = 1,
        MemoryMiBPerSilo = 2048,
        VcpuHours = 1150 / 3600.0,
        BatchRequests = 40,
        DynamoDBRequests = 300,
        ThrottledRequests = 0,
        DynamoDBReadUnits = 280,
        DynamoDBWriteUnits = 30,
        Cost = new RunCostEstimate(0.0142, 0.00005, "an estimate"),
    };

    private static IConfiguration Configuration(Dictionary<string, string?> values) => new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
