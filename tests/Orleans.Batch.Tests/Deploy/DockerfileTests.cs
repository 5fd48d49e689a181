using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Orleans.Batch.Tests.Infrastructure;

namespace Orleans.Batch.Tests.Deploy;

/// <summary>
/// deploy/Dockerfile and the root .dockerignore, checked by reading (no Docker engine is needed): the image builds
/// the Launcher from files that exist and reach the build context, and runs it as a non-root entry point.
/// </summary>
public sealed partial class DockerfileTests
{
    /// <summary>The Dockerfile's instructions, one a line (continuation lines joined), without comments.</summary>
    private static readonly string[] Lines = Instructions(File.ReadAllText(DeployFiles.Dockerfile));

    [Fact]
    public void Image_is_built_with_the_NET_SDK_and_runs_on_the_runtime_image_of_the_target_framework()
    {
        var stages = Lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        var version = Lines.Single(l => l.StartsWith("ARG DOTNET_VERSION=", StringComparison.Ordinal))["ARG DOTNET_VERSION=".Length..];
        var targetFramework = XDocument.Load(Path.Combine(RepositoryPaths.Root, "Directory.Build.props")).Descendants("TargetFramework").Single().Value;

        stages.Count.ShouldBe(2);
        stages[0].ShouldBe("FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build");
        stages[1].ShouldBe("FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}");
        targetFramework.ShouldBe($"net{version}");
    }

    [Fact]
    public void The_final_image_carries_exactly_the_shared_frameworks_the_Launcher_needs()
    {
        // The manager serves the dashboard with ASP.NET Core, so the final stage is the aspnet image (the runtime image
        // lacks Microsoft.AspNetCore.App and the Launcher would not start); nothing else is needed.
        var runtimeConfig = JsonNode.Parse(File.ReadAllText(RepositoryPaths.ProjectOutput("src/Launcher", "Orleans.Batch.Launcher.runtimeconfig.json")))!;
        var options = runtimeConfig["runtimeOptions"]!;
        var frameworks = options["frameworks"]?.AsArray().Select(f => f!["name"]!.GetValue<string>()).ToList()
            ?? [options["framework"]!["name"]!.GetValue<string>()];

        frameworks.ShouldBe(["Microsoft.NETCore.App", "Microsoft.AspNetCore.App"], ignoreOrder: true);
        Lines.ShouldContain("FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION}");
    }

    [Fact]
    public void Image_runs_the_Launcher_as_its_entry_point_as_a_non_root_user()
    {
        var final = Lines.SkipWhile(l => !l.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet", StringComparison.Ordinal)).ToList();
        var assemblyName = XDocument.Load(Path.Combine(RepositoryPaths.Root, "src", "Launcher", "Orleans.Batch.Launcher.csproj")).Descendants("AssemblyName").Single().Value;

        final.ShouldContain("USER $APP_UID");
        final.ShouldContain($"ENTRYPOINT [\"/app/{assemblyName}\"]");
        final.ShouldContain("WORKDIR /app");
        final.ShouldContain("COPY --from=build /app ./");
        final.ShouldNotContain(l => l.StartsWith("RUN ", StringComparison.Ordinal), "the final stage runs nothing, so cross-architecture builds need no emulation");
        Lines.ShouldContain(l => l.Contains("dotnet publish src/Launcher/Orleans.Batch.Launcher.csproj", StringComparison.Ordinal) && l.Contains("-o /app", StringComparison.Ordinal));
    }

    [Fact]
    public void Restore_layer_copies_the_project_file_of_the_Launcher_and_of_every_project_it_references()
    {
        var copied = CopySources().Where(s => s.EndsWith(".csproj", StringComparison.Ordinal)).ToList();

        copied.ShouldBe(ProjectClosure("src/Launcher/Orleans.Batch.Launcher.csproj"), ignoreOrder: true);
    }

    [Fact]
    public void Every_file_the_Dockerfile_copies_exists_and_reaches_the_build_context()
    {
        var ignore = File.ReadAllLines(Path.Combine(RepositoryPaths.Root, ".dockerignore"))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        ignore[0].ShouldBe("*", "the .dockerignore is an allow list");
        var included = ignore.Where(l => l.StartsWith('!')).Select(l => l[1..].TrimEnd('/')).ToList();
        ignore.ShouldContain("**/bin/");
        ignore.ShouldContain("**/obj/");

        foreach (var source in CopySources())
        {
            var path = Path.Combine(RepositoryPaths.Root, source);
            (File.Exists(path) || Directory.Exists(path)).ShouldBeTrue($"the Dockerfile copies {source}, which does not exist");
            included.ShouldContain(source.Split('/')[0].TrimEnd('/'), $".dockerignore keeps {source} out of the build context");
        }
    }

    private static string[] Instructions(string text) =>
        [.. text.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n')
            .Where(l => !l.TrimStart().StartsWith('#'))
            .Select(l => Whitespace().Replace(l.Trim(), " "))
            .Where(l => l.Length > 0)];

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    /// <summary>The sources of every COPY from the build context (not from another stage).</summary>
    private static List<string> CopySources() =>
        [.. Lines.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.StartsWith("COPY --from", StringComparison.Ordinal))
            .SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1])];

    private const string RehearsalSwitch = "OrleansBatchRehearsalEmulator";

    [Fact]
    public void Image_leaves_out_the_rehearsal_emulator_in_restore_and_publish()
    {
        Lines.Where(l => l.StartsWith("RUN dotnet restore", StringComparison.Ordinal) || l.StartsWith("RUN dotnet publish", StringComparison.Ordinal))
            .ShouldAllBe(l => l.Contains($"-p:{RehearsalSwitch}=false", StringComparison.Ordinal));
    }

    private static List<string> ProjectClosure(string project)
    {
        var found = new List<string>();
        var pending = new Queue<string>([project]);
        while (pending.TryDequeue(out var current))
        {
            if (found.Contains(current))
            {
                continue;
            }

            found.Add(current);
            var directory = Path.GetDirectoryName(current)!;
            foreach (var reference in XDocument.Load(Path.Combine(RepositoryPaths.Root, current)).Descendants("ProjectReference"))
            {
                // The emulator beside the Launcher serves rehearsals from the repository; the image turns it off.
                if (reference.Parent?.Attribute("Condition")?.Value.Contains(RehearsalSwitch, StringComparison.Ordinal) == true)
                {
                    continue;
                }

                var full = Path.GetFullPath(Path.Combine(RepositoryPaths.Root, directory, reference.Attribute("Include")!.Value.Replace('\\', '/')));
                pending.Enqueue(Path.GetRelativePath(RepositoryPaths.Root, full).Replace('\\', '/'));
            }
        }

        return found;
    }
}
