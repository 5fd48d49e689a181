using System.Diagnostics;
using System.Text.RegularExpressions;
using Orleans.Batch.Tests.EndToEnd;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.Templates;

/// <summary>
/// A new user's path, as they would walk it: the packages are packed to a local feed, the template is installed into
/// a private template cache, `dotnet new orleans-batch` makes a solution outside this repository, and that solution
/// builds with warnings as errors from the packages (not project references), runs on two local silos, runs on the
/// Batch emulator with DynamoDB Local (its own executable as the silo jobs' image), and rejects bad input the way our
/// Launcher does. Nothing is left behind.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed partial class TemplateTests(DynamoDBLocalFixture dynamo) : IAsyncLifetime
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);

    // A version no earlier run used: NuGet's global package cache never serves a stale copy of these packages.
    private readonly string _version = $"0.1.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Guid.NewGuid().ToString("N")[..6]}";
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("orleans-batch-tests-template-");

    private string Feed => Path.Combine(_work.FullName, "feed");

    private string Hive => Path.Combine(_work.FullName, "hive");

    private string Solution => Path.Combine(_work.FullName, "app", "Acme.Pricing");

    private string AppDll => Path.Combine(Solution, "src", "Acme.Pricing", "bin", "Debug", "net10.0", "Acme.Pricing.dll");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync()
    {
        _work.Delete(recursive: true);

        // The test's own package versions, extracted into the global package cache by the restore.
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } packages ? packages : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in new[] { "orleans.batch.application", "orleans.batch.hosting", "orleans.batch.grains" })
        {
            var folder = Path.Combine(cache, id, _version);
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task A_new_users_app_builds_from_the_packages_and_runs_locally_and_on_batch()
    {
        await CreateSolutionAsync();

        // The app references our packages, not this repository's projects.
        var project = await File.ReadAllTextAsync(Path.Combine(Solution, "src", "Acme.Pricing", "Acme.Pricing.csproj"), TestContext.Current.CancellationToken);
        project.ShouldContain($"<PackageReference Include=\"Orleans.Batch.Application\" Version=\"{_version}\" />");
        project.ShouldNotContain("Orleans.Batch.Application.csproj");

        AssertPackagesAreComplete();
        await DotnetAsync(Solution, "build", "-p:TreatWarningsAsErrors=true");
        File.Exists(AppDll).ShouldBeTrue();

        // Two local silos: the user's grain answers from each.
        var leaks = new ProcessLeakDetector();
        var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(leaks, ["--silos", "2"], CommandTimeout, appDll: AppDll);
        exitCode.ShouldBe(0, stderr);
        AssertGreetings(stdout, silos: 2, siloName: i => $"local-{i}");
        await leaks.AssertNoneLeftAsync();

        // Bad input: one line naming the flag, exit code 2, nothing started.
        var (badExit, badOut, badErr) = await LauncherProcess.RunAsync(leaks, ["--silos", "0"], CommandTimeout, appDll: AppDll);
        badExit.ShouldBe(2, badErr);
        badOut.ShouldBeEmpty();
        badErr.Trim().ShouldBe("error: --silos must be at least 1, got '0'");

        // The same app on the Batch emulator: its own executable is the silo jobs' image.
        await RunOnBatchEmulatorAsync();
    }

    [Fact]
    public async Task The_templates_default_package_version_is_this_builds_version()
    {
        var template = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "src", "Templates", "content", "orleans-batch", ".template.config", "template.json"), TestContext.Current.CancellationToken);
        var props = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "Directory.Build.props"), TestContext.Current.CancellationToken);
        var version = VersionPrefix().Match(props).Groups[1].Value;

        version.ShouldNotBeEmpty();
        template.ShouldContain($"\"defaultValue\": \"{version}\"");
    }

    private async Task RunOnBatchEmulatorAsync()
    {
        await dynamo.StartAsync(TestContext.Current.CancellationToken);
        await using var emulator = await AwsBatchClusterTests.StartEmulatorAsync(options => options.LauncherPath = AppDll);
        var table = DynamoDBLocalFixture.UniqueTableName("template");
        var leaks = new ProcessLeakDetector();
        try
        {
            var (exitCode, stdout, stderr) = await LauncherProcess.RunAsync(
                leaks,
                ["--backend", "aws-batch", "--batch-endpoint", emulator.BaseAddress.ToString(), "--dynamodb-endpoint", dynamo.ServiceUrl, "--table", table,
                 "--silos", "2", "--queue", "silo-queue", "--definition", "orleans-batch", "--region", "us-east-1"],
                CommandTimeout,
                AwsBatchClusterTests.AwsEnvironment(),
                AppDll);

            exitCode.ShouldBe(0, stderr);
            var parent = (await emulator.Admin.JobsAsync()).Single(j => !j!["jobId"]!.GetValue<string>().Contains(':', StringComparison.Ordinal))!["jobId"]!.GetValue<string>();
            AssertGreetings(stdout, silos: 2, siloName: i => $"{parent}:{i}");
            await AwsBatchClusterTests.AssertAllJobsEndedAsync(emulator);
            await leaks.AssertNoneLeftAsync();
        }
        finally
        {
            leaks.KillAll();
            await dynamo.DeleteTableIfExistsAsync(table);
        }
    }

    private async Task CreateSolutionAsync()
    {
        // Pack every package at one test-only version into the local feed.
        foreach (var project in new[] { "src/Grains", "src/Hosting", "src/Application", "src/Templates" })
        {
            await DotnetAsync(RepositoryPaths.Root, "pack", project, "-c", "Release", "-o", Feed, $"-p:Version={_version}", "-p:ContinuousIntegrationBuild=true");
        }

        // Install into a private template cache (never the user's), instantiate outside the repository.
        await DotnetAsync(_work.FullName, "new", "install", Path.Combine(Feed, $"Orleans.Batch.Templates.{_version}.nupkg"), "--debug:custom-hive", Hive);
        await DotnetAsync(_work.FullName, "new", "orleans-batch", "-n", "Acme.Pricing", "-o", Solution, "--OrleansBatchVersion", _version, "--debug:custom-hive", Hive);

        // Our packages from the feed, everything else from the usual source.
        await File.WriteAllTextAsync(Path.Combine(Solution, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="orleans-batch-test-feed" value="{Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
            </configuration>
            """, TestContext.Current.CancellationToken);
    }

    // Each library package carries its README, license, XML docs and a symbols package; all share one version.
    private void AssertPackagesAreComplete()
    {
        foreach (var id in new[] { "Orleans.Batch.Hosting", "Orleans.Batch.Application", "Orleans.Batch.Grains" })
        {
            using var package = System.IO.Compression.ZipFile.OpenRead(Path.Combine(Feed, $"{id}.{_version}.nupkg"));
            var entries = package.Entries.Select(e => e.FullName).ToList();
            entries.ShouldContain("README.md", id);
            entries.ShouldContain($"lib/net10.0/{id}.dll", id);
            entries.ShouldContain($"lib/net10.0/{id}.xml", id);
            using var nuspec = new StreamReader(package.GetEntry($"{id}.nuspec")!.Open());
            var manifest = nuspec.ReadToEnd();
            manifest.ShouldContain("<license type=\"expression\">MIT</license>", Case.Sensitive, id);
            manifest.ShouldContain("<readme>README.md</readme>", Case.Sensitive, id);
            manifest.ShouldContain("<repository type=\"git\"", Case.Sensitive, id);
            File.Exists(Path.Combine(Feed, $"{id}.{_version}.snupkg")).ShouldBeTrue(id);
        }

        // The application package depends on the hosting package of the same version.
        using var application = System.IO.Compression.ZipFile.OpenRead(Path.Combine(Feed, $"Orleans.Batch.Application.{_version}.nupkg"));
        using var reader = new StreamReader(application.GetEntry("Orleans.Batch.Application.nuspec")!.Open());
        reader.ReadToEnd().ShouldContain($"<dependency id=\"Orleans.Batch.Hosting\" version=\"{_version}\"");
    }

    private static void AssertGreetings(string stdout, int silos, Func<int, string> siloName)
    {
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines[0].ShouldBe($"Num silos: {silos}", stdout);
        var pids = new HashSet<string>();
        for (var i = 0; i < silos; i++)
        {
            var match = Greeting().Match(lines[i + 1]);
            match.Success.ShouldBeTrue(lines[i + 1]);
            match.Groups["index"].Value.ShouldBe(i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            match.Groups["silo"].Value.ShouldBe(siloName(i));
            pids.Add(match.Groups["pid"].Value);
        }

        pids.Count.ShouldBe(silos, "each greeting came from its own silo process");
        lines[silos + 1].ShouldBe($"Greetings counted: {silos}");
    }

    private static async Task DotnetAsync(string workingDirectory, params string[] arguments)
    {
        var (exitCode, output) = await DotnetCli.RunAsync(arguments, environment: null, CommandTimeout, workingDirectory);
        exitCode.ShouldBe(0, $"dotnet {string.Join(' ', arguments)} failed:\n{output}");
    }

    [GeneratedRegex(@"^Silo (?<index>\d+): hello from (?<silo>\S+) on \S+, pid (?<pid>\d+)$")]
    private static partial Regex Greeting();

    [GeneratedRegex(@"<VersionPrefix>([^<]+)</VersionPrefix>")]
    private static partial Regex VersionPrefix();
}
