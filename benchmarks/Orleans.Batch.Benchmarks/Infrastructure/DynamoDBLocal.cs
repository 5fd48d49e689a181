using System.Diagnostics;
using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace Orleans.Batch.Benchmarks.Infrastructure;

/// <summary>
/// The official DynamoDB Local, run with <c>tests/tools/dynamodb-local.sh</c> (which installs it on first use) on a
/// free loopback port, in memory. Disposing it stops its whole process tree (the script and java) and checks that
/// nothing of it is left. Its processes carry the harness's marker, so run.sh would also catch a leak.
/// </summary>
internal sealed class DynamoDBLocal : IAsyncDisposable
{
    private const string HowToGetIt =
        "DynamoDB Local is needed: 'tests/tools/dynamodb-local.sh install' downloads it (needs npm and the npm registry); running it needs Java 17+.";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);
    private readonly Process _process;
    private readonly List<string> _output = [];

    private DynamoDBLocal(Process process, Uri serviceUrl)
    {
        _process = process;
        ServiceUrl = serviceUrl;
    }

    /// <summary>Where it listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri ServiceUrl { get; }

    /// <summary>Installs (if needed) and starts DynamoDB Local; returns once it answers.</summary>
    public static async Task<DynamoDBLocal> StartAsync(string repositoryRoot, CancellationToken cancellationToken)
    {
        var script = Path.Combine(repositoryRoot, "tests", "tools", "dynamodb-local.sh");
        if (!File.Exists(script))
        {
            throw new FileNotFoundException($"{script} does not exist. {HowToGetIt}", script);
        }

        await InstallAsync(script, cancellationToken);
        var port = FreePorts.Take(1)[0];
        var startInfo = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };

        // --exit-with: should the harness die without disposing this, the script stops java within a second.
        foreach (var argument in new[] { script, "run", "--port", port.ToString(CultureInfo.InvariantCulture), "--exit-with", Environment.ProcessId.ToString(CultureInfo.InvariantCulture) })
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {script}. {HowToGetIt}");
        var local = new DynamoDBLocal(process, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"));
        process.OutputDataReceived += (_, e) => local.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => local.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await local.WaitUntilAnswersAsync(cancellationToken);
            return local;
        }
        catch
        {
            await local.DisposeAsync();
            throw;
        }
    }

    /// <summary>A client straight to DynamoDB Local (fixed keys: it accepts any).</summary>
    public AmazonDynamoDBClient CreateClient(TimeSpan? timeout = null, int maxErrorRetry = 3) => new(
        new BasicAWSCredentials("bench", "bench"),
        new AmazonDynamoDBConfig
        {
            ServiceURL = ServiceUrl.AbsoluteUri,
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = maxErrorRetry,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        });

    /// <summary>Stops the script and java (SIGTERM, SIGKILL after 15 s) and waits until every process of it is gone.</summary>
    public async ValueTask DisposeAsync()
    {
        var tree = ProcessTable.WithDescendants(_process.Id);
        foreach (var pid in tree.Reverse())
        {
            Signals.Send(pid, Signals.Terminate);
        }

        var watch = Stopwatch.StartNew();
        while (tree.Any(ProcessTable.IsRunning) && watch.Elapsed < StopTimeout)
        {
            await Task.Delay(100);
        }

        foreach (var pid in tree.Where(ProcessTable.IsRunning))
        {
            Signals.Send(pid, Signals.Kill);
        }

        await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(StopTimeout);
        _process.Dispose();
        var left = tree.Where(ProcessTable.IsRunning).ToList();
        if (left.Count > 0)
        {
            throw new InvalidOperationException($"DynamoDB Local processes are still running after being stopped: {string.Join("; ", left.Select(ProcessTable.Describe))}");
        }
    }

    private static async Task InstallAsync(string script, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        startInfo.ArgumentList.Add(script);
        startInfo.ArgumentList.Add("install");
        using var install = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not run {script} install. {HowToGetIt}");
        var output = install.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = install.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        try
        {
            await install.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            install.Kill(entireProcessTree: true);
            await install.WaitForExitAsync(CancellationToken.None);
            throw;
        }

        if (install.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{script} install' failed with exit code {install.ExitCode}. {HowToGetIt}\n{await output}{await error}");
        }
    }

    private async Task WaitUntilAnswersAsync(CancellationToken cancellationToken)
    {
        using var probe = CreateClient(TimeSpan.FromSeconds(5), maxErrorRetry: 0);
        var watch = Stopwatch.StartNew();
        Exception? last = null;
        while (watch.Elapsed < StartTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"DynamoDB Local exited with code {_process.ExitCode} before answering on {ServiceUrl}. {HowToGetIt}\n{Output()}");
            }

            try
            {
                await probe.ListTablesAsync(new ListTablesRequest { Limit = 1 }, cancellationToken);
                return;
            }
            catch (Exception exception) when (exception is AmazonClientException or HttpRequestException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                last = exception;
            }

            await Task.Delay(250, cancellationToken);
        }

        throw new TimeoutException($"DynamoDB Local did not answer on {ServiceUrl} within {StartTimeout.TotalSeconds:0} s. {HowToGetIt}\nLast error: {last?.Message}\n{Output()}");
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
            if (_output.Count > 40)
            {
                _output.RemoveAt(0);
            }
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return "Output:\n" + string.Join('\n', _output);
        }
    }
}
