using System.Diagnostics;
using Orleans.Batch.BatchEmulator.Processes;
using Orleans.Batch.Hosting.Membership.DynamoDB;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.Deploy;

/// <summary>
/// The image deploy/Dockerfile builds, run alone the way ECS runs it on a Batch instance: host networking, its own
/// non-root user, a read-only root file system with no writable /tmp added, and the silo role as PID 1.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class ContainerImageTests(DynamoDBLocalFixture dynamo)
{
    private const string TestLabel = "orleans-batch.test=container-image";

    [Fact]
    public async Task A_silo_container_joins_as_PID_1_and_leaves_the_cluster_cleanly_on_SIGTERM()
    {
        var image = await TestImage.EnsureBuiltAsync();
        await AssertSiloJoinsAndLeavesAsync(image, "/app/Orleans.Batch.Launcher");
    }

    [Fact]
    public async Task The_image_dotnet_publish_pushes_to_a_registry_runs_the_silo_the_same_way()
    {
        // The base image comes from the registry too, as it would from mcr.microsoft.com or an ECR pull-through cache.
        await TestImage.EnsureBuiltAsync();
        await using var registry = await LocalRegistry.StartAsync();
        await Podman.CheckedAsync("push", "--quiet", "--tls-verify=false", "mcr.microsoft.com/dotnet/aspnet:10.0", $"{registry.Address}/dotnet/aspnet:10.0");

        // A copy of the sources the image needs, as in a user's checkout: its own obj folders, so this publish (another
        // runtime, another configuration of the restore) cannot race or disturb the repository's own builds.
        var work = Directory.CreateTempSubdirectory("publish-container-");
        try
        {
            CopySources(work.FullName);
            var output = Path.Combine(work.FullName, "out");
            var publish = await DotnetCli.RunAsync(
                ["publish", Path.Combine(work.FullName, "src", "Launcher"), "-c", "Release", "-r", "linux-x64", "--self-contained", "false",
                 "-p:PublishReadyToRun=true", "-p:OrleansBatchRehearsalEmulator=false", "-t:PublishContainer", "-o", output,
                 $"-p:ContainerBaseImage={registry.Address}/dotnet/aspnet:10.0", $"-p:ContainerRegistry={registry.Address}", "-p:ContainerImageTag=published"],
                new Dictionary<string, string> { ["DOTNET_CONTAINER_INSECURE_REGISTRIES"] = registry.Address },
                TimeSpan.FromMinutes(8));
            publish.ExitCode.ShouldBe(0, publish.Output);
            publish.Output.ShouldContain($"Pushed image 'orleans-batch-launcher:published' to registry '{registry.Address}'");
        }
        finally
        {
            work.Delete(recursive: true);
        }

        var image = $"{registry.Address}/orleans-batch-launcher:published";
        await Podman.CheckedAsync("pull", "--quiet", "--tls-verify=false", image);
        try
        {
            (await Podman.CheckedAsync("image", "inspect", "--format", "{{.Config.User}}", image)).ShouldBe("1654");
            await AssertSiloJoinsAndLeavesAsync(image, "dotnet");
        }
        finally
        {
            await Podman.RunAsync(["rmi", "--force", image]);
        }
    }

    /// <summary>The build files and the projects of the Launcher's image, without build output.</summary>
    private static void CopySources(string destination)
    {
        foreach (var file in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props", "src/Directory.Build.targets" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(destination, file))!);
            File.Copy(Path.Combine(RepositoryPaths.Root, file), Path.Combine(destination, file));
        }

        foreach (var project in new[] { "Launcher", "Launcher.Grains", "Application", "Hosting", "Grains" })
        {
            var source = Path.Combine(RepositoryPaths.Root, "src", project);
            foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(source, file);
                if (relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal) || relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    continue;
                }

                var target = Path.Combine(destination, "src", project, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        }
    }

    private async Task AssertSiloJoinsAndLeavesAsync(string image, string entryPoint)
    {
        await dynamo.StartAsync(TestContext.Current.CancellationToken);
        var table = DynamoDBLocalFixture.UniqueTableName("image");
        var clusterId = $"image-{Guid.NewGuid():N}";
        var name = $"orleans-batch-test-{Guid.NewGuid():N}"[..32];
        try
        {
            string[] run =
            [
                "run", "--detach", "--name", name, "--label", TestLabel, "--network", "host",
                "--read-only", "--read-only-tmpfs=false", .. ContainerLimits.RunArguments(),
                "--env", $"OrleansBatch__ClusterId={clusterId}",
                "--env", "OrleansBatch__Membership=DynamoDB",
                "--env", $"OrleansBatch__DynamoDB__TableName={table}",
                "--env", $"OrleansBatch__DynamoDB__ServiceUrl={dynamo.ServiceUrl}",
                "--env", "OrleansBatch__DynamoDB__CreateIfNotExists=true",
                "--env", "OrleansBatch__Silo__Name=container-0",
                "--env", $"AWS_ACCESS_KEY_ID={BatchTestClient.AccessKey}",
                "--env", $"AWS_SECRET_ACCESS_KEY={BatchTestClient.SecretKey}",
                "--env", "AWS_REGION=us-east-1",
                image, "silo",
            ];
            await Podman.CheckedAsync(run);

            var active = await Eventually.MatchesAsync(
                () => SiloRowsAsync(table, clusterId),
                rows => rows.Any(r => r.Status == "Active"),
                TimeSpan.FromSeconds(90),
                "the silo container becomes an Active member",
                TimeSpan.FromMilliseconds(250));
            active.ShouldHaveSingleItem();

            // The Launcher is PID 1 (exec-form entry point) and runs as the image's non-root user.
            (await Podman.CheckedAsync("exec", name, "cat", "/proc/1/cmdline")).ShouldStartWith(entryPoint);
            (await Podman.CheckedAsync("exec", name, "id", "-u")).ShouldBe("1654");
            (await Podman.CheckedAsync("inspect", "--format", "{{.HostConfig.ReadonlyRootfs}}", name)).ShouldBe("true");

            // What ECS does on StopTask and Batch on TerminateJob: SIGTERM, SIGKILL 30 s later.
            var stopping = Stopwatch.StartNew();
            await Podman.CheckedAsync("stop", "--time", "30", name);
            stopping.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30), "the silo did not stop within Batch's 30 s grace period");
            (await Podman.CheckedAsync("inspect", "--format", "{{.State.ExitCode}}", name)).ShouldBe("0", await LogsAsync(name));

            // A graceful leave: the silo declared itself dead instead of waiting to be voted out.
            (await SiloRowsAsync(table, clusterId)).Select(r => r.Status).ShouldBe(["Dead"], await LogsAsync(name));
        }
        finally
        {
            await Podman.RemoveAsync(name);
            await dynamo.DeleteTableIfExistsAsync(table);
        }

        (await Podman.ContainersAsync(TestLabel)).ShouldBeEmpty();
    }

    private async Task<List<(string Name, string Status)>> SiloRowsAsync(string table, string clusterId)
    {
        try
        {
            var rows = await dynamo.QueryPartitionAsync(table, clusterId);
            return [.. rows.Where(r => !DynamoDBMembershipSchema.IsReservedSortKey(r[DynamoDBMembershipSchema.SortKey].S))
                .Select(r => (r[DynamoDBMembershipSchema.SortKey].S, r[DynamoDBMembershipSchema.Status].S))];
        }
        catch (Amazon.DynamoDBv2.Model.ResourceNotFoundException)
        {
            return []; // the silo has not created the table yet
        }
    }

    private static async Task<string> LogsAsync(string name)
    {
        var (_, stdout, stderr) = await Podman.RunAsync(["logs", name]);
        return stdout + stderr;
    }
}
