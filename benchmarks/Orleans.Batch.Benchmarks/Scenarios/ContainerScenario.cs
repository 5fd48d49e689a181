using System.Diagnostics;
using System.Globalization;
using Amazon.DynamoDBv2.Model;
using Orleans.Batch.Benchmarks.Clusters;
using Orleans.Batch.Benchmarks.Infrastructure;
using Orleans.Batch.Benchmarks.Results;
using Orleans.Batch.BatchEmulator.Processes;
using Orleans.Batch.Hosting.Membership.DynamoDB;

namespace Orleans.Batch.Benchmarks.Scenarios;

/// <summary>
/// The image Batch runs: its size, and how long one silo takes from start to Active as a container of that image
/// (podman, host networking, read-only root, as the Batch emulator's container mode runs it) against the same silo
/// as a plain process, alternating, with membership in DynamoDB Local. The image is built first with
/// deploy/scripts/build-image.sh --local-base (untimed). Needs root and podman; without podman it is skipped with a note.
/// </summary>
internal static class ContainerScenario
{
    public const string ImageTag = "localhost/orleans-batch-launcher:bench";

    public static async Task RunAsync(ScenarioContext context)
    {
        var cancellationToken = context.CancellationToken;
        if (!OnPath("podman"))
        {
            context.Measurements.Note("container scenario not run: podman is not installed (apt-get install podman runc debootstrap).");
            return;
        }

        await BuildImageAsync(context);
        var size = double.Parse(await PodmanAsync(["image", "inspect", "--format", "{{.Size}}", ImageTag], cancellationToken), CultureInfo.InvariantCulture) / 1e6;
        var baseSize = double.Parse(await PodmanAsync(["image", "inspect", "--format", "{{.Size}}", "mcr.microsoft.com/dotnet/aspnet:10.0"], cancellationToken), CultureInfo.InvariantCulture) / 1e6;
        context.Measurements.Add(context.Measurements.Define(Metrics.ImageSize), Side.Ours, size);
        context.Measurements.Add(context.Measurements.Define(Metrics.ImageAppLayers), Side.Ours, size - baseSize);
        context.Report(string.Create(CultureInfo.InvariantCulture, $"  image {ImageTag}: {size:0} MB ({size - baseSize:0} MB over the runtime base image)"));

        await using var dynamoDB = await DynamoDBLocal.StartAsync(context.Paths.RepositoryRoot, cancellationToken);
        using var client = dynamoDB.CreateClient();
        var table = $"bench-image-{Guid.NewGuid():N}"[..24];
        var metric = context.Measurements.Define(Metrics.SiloStartToActive);

        // One untimed start of each creates the table and warms the disk cache.
        for (var repetition = -1; repetition < context.Settings.Repetitions && !cancellationToken.IsCancellationRequested; repetition++)
        {
            Side[] order = repetition % 2 == 0 ? [Side.Ours, Side.Baseline] : [Side.Baseline, Side.Ours];
            foreach (var side in order)
            {
                var seconds = await StartToActiveAsync(context, side, dynamoDB.ServiceUrl, client, table);
                if (repetition >= 0)
                {
                    context.Measurements.Add(metric, side, seconds);
                }

                context.Report(string.Create(CultureInfo.InvariantCulture,
                    $"  {(repetition < 0 ? "warm-up" : $"repetition {repetition + 1}")}: {(side == Side.Ours ? "container" : "process")} silo Active after {seconds:0.00} s"));
            }
        }
    }

    private static async Task<double> StartToActiveAsync(ScenarioContext context, Side side, Uri dynamoDB, Amazon.DynamoDBv2.IAmazonDynamoDB client, string table)
    {
        var cancellationToken = context.CancellationToken;
        var clusterId = $"image-{Guid.NewGuid():N}";
        var environment = new Dictionary<string, string>
        {
            ["OrleansBatch__ClusterId"] = clusterId,
            ["OrleansBatch__Membership"] = "DynamoDB",
            ["OrleansBatch__DynamoDB__TableName"] = table,
            ["OrleansBatch__DynamoDB__ServiceUrl"] = dynamoDB.ToString(),
            ["OrleansBatch__DynamoDB__CreateIfNotExists"] = "true",
            ["OrleansBatch__Silo__Name"] = "bench-0",
            ["AWS_ACCESS_KEY_ID"] = "bench",
            ["AWS_SECRET_ACCESS_KEY"] = "bench",
            ["AWS_REGION"] = "us-east-1",
        };
        var name = $"orleans-batch-bench-{Guid.NewGuid():N}"[..32];
        Process? process = null;
        var started = Stopwatch.StartNew();
        if (side == Side.Ours)
        {
            var run = new List<string> { "run", "--detach", "--name", name, "--network", "host", "--read-only", "--read-only-tmpfs=false" };
            run.AddRange(ContainerLimits.RunArguments());
            foreach (var (key, value) in environment)
            {
                run.AddRange(["--env", $"{key}={value}"]);
            }

            run.AddRange([ImageTag, "silo"]);
            await PodmanAsync(run, cancellationToken);
        }
        else
        {
            var info = new ProcessStartInfo(context.Paths.Launcher, ["silo"]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }

            process = Process.Start(info)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        try
        {
            while (!await IsActiveAsync(client, table, clusterId, cancellationToken))
            {
                if (started.Elapsed > TimeSpan.FromMinutes(2))
                {
                    throw new TimeoutException($"the {(side == Side.Ours ? "container" : "process")} silo did not become Active within 2 minutes");
                }

                await Task.Delay(25, cancellationToken);
            }

            return started.Elapsed.TotalSeconds;
        }
        finally
        {
            if (process is not null)
            {
                Signals.Send(process.Id, Signals.Terminate);
                await process.WaitForExitAsync(CancellationToken.None);
                process.Dispose();
            }
            else
            {
                await PodmanAsync(["rm", "--force", "--time", "30", name], CancellationToken.None);
            }
        }
    }

    private static async Task<bool> IsActiveAsync(Amazon.DynamoDBv2.IAmazonDynamoDB client, string table, string clusterId, CancellationToken cancellationToken)
    {
        try
        {
            var rows = await client.QueryAsync(new QueryRequest
            {
                TableName = table,
                KeyConditionExpression = "#p = :p",
                ExpressionAttributeNames = new() { ["#p"] = DynamoDBMembershipSchema.PartitionKey },
                ExpressionAttributeValues = new() { [":p"] = new AttributeValue(clusterId) },
                ConsistentRead = true,
            }, cancellationToken);
            return rows.Items.Any(r => !DynamoDBMembershipSchema.IsReservedSortKey(r[DynamoDBMembershipSchema.SortKey].S) && r[DynamoDBMembershipSchema.Status].S == "Active");
        }
        catch (ResourceNotFoundException)
        {
            return false;
        }
    }

    private static async Task BuildImageAsync(ScenarioContext context)
    {
        var script = Path.Combine(context.Paths.RepositoryRoot, "deploy", "scripts", "build-image.sh");
        context.Report($"  building {ImageTag} with {script} --local-base (untimed)");
        var info = new ProcessStartInfo("bash", [script, "--local-base", "--engine", "podman", "--tag", ImageTag])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = context.Paths.RepositoryRoot,
        };
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync(context.CancellationToken);
        await process.StandardOutput.ReadToEndAsync(context.CancellationToken);
        await process.WaitForExitAsync(context.CancellationToken);
        if (process.ExitCode != 0)
        {
            var text = await stderr;
            throw new InvalidOperationException($"build-image.sh failed: {(text.Length > 2000 ? text[^2000..] : text)}");
        }
    }

    private static async Task<string> PodmanAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        using var process = Process.Start(new ProcessStartInfo("podman", arguments) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode == 0
            ? (await stdout).Trim()
            : throw new InvalidOperationException($"podman {string.Join(' ', arguments)} exited with {process.ExitCode}: {(await stderr).Trim()}");
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, program)));
}
