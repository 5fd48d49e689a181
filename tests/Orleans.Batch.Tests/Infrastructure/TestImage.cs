using System.Diagnostics;

namespace Orleans.Batch.Tests.Infrastructure;

/// <summary>
/// The Launcher image built from deploy/Dockerfile with the project's own script, once per test run, on local base
/// images (deploy/scripts/build-image.sh --local-base): the image the container tests run.
/// </summary>
public static class TestImage
{
    /// <summary>The tag the tests build and run.</summary>
    public const string Tag = "localhost/orleans-batch-launcher:test";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _built;

    /// <summary>Builds the image (podman, local base images) unless this test run already did, and returns its tag.</summary>
    public static async Task<string> EnsureBuiltAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_built is not null)
            {
                return _built;
            }

            var script = Path.Combine(RepositoryPaths.Root, "deploy", "scripts", "build-image.sh");
            var info = new ProcessStartInfo("bash")
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = RepositoryPaths.Root,
            };
            foreach (var argument in new[] { script, "--local-base", "--engine", "podman", "--tag", Tag })
            {
                info.ArgumentList.Add(argument);
            }

            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(15));
            await process.WaitForExitAsync(cts.Token);
            var error = await stderr;
            process.ExitCode.ShouldBe(0, $"build-image.sh --local-base failed (needs root, podman, runc and debootstrap: apt-get install -y podman runc debootstrap):\n{Tail(error)}");
            (await stdout).Trim().ShouldBe(Tag);
            _built = Tag;
            return Tag;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static string Tail(string text) => text.Length > 4000 ? text[^4000..] : text;
}
