using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Orleans.Batch.Tests.Infrastructure;

[assembly: AssemblyFixture(typeof(DynamoDBLocalFixture))]

namespace Orleans.Batch.Tests.Infrastructure;

/// <summary>
/// One DynamoDB Local shared by the whole test assembly. It starts on first use (<see cref="StartAsync"/>), so test
/// runs that need no DynamoDB start no java; it uses <c>DYNAMODB_ENDPOINT</c> when that is set, else runs the
/// official DynamoDB Local (installed by <c>tests/tools/dynamodb-local.sh</c>) on a free loopback port, and stops it,
/// checking that the process tree is gone, when the assembly finishes.
/// </summary>
public sealed class DynamoDBLocalFixture : IAsyncDisposable
{
    /// <summary>Set to the URL of a running DynamoDB Local to use it instead of starting one.</summary>
    public const string EndpointVariable = "DYNAMODB_ENDPOINT";

    private const string HowToGetIt =
        "DynamoDB Local is needed: run 'tests/tools/dynamodb-local.sh install' (needs npm and access to the npm registry; running needs Java 17+), " +
        $"or start one yourself ('tests/tools/dynamodb-local.sh run --port 8000') and set {EndpointVariable}=http://127.0.0.1:8000.";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    private readonly SemaphoreSlim _startGate = new(1, 1);
    private readonly BoundedLog _log = new();
    private Process? _process;
    private List<int> _processTree = [];
    private AmazonDynamoDBClient? _client;
    private string? _serviceUrl;

    /// <summary>Gets the endpoint, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string ServiceUrl => _serviceUrl ?? throw new InvalidOperationException($"Call {nameof(StartAsync)} first.");

    /// <summary>Gets a ready client (fixed test credentials; DynamoDB Local runs with -sharedDb).</summary>
    public IAmazonDynamoDB Client => _client ?? throw new InvalidOperationException($"Call {nameof(StartAsync)} first.");

    /// <summary>Gets whether this fixture started (and owns) a DynamoDB Local process.</summary>
    public bool OwnsProcess => _process is not null;

    /// <summary>Starts DynamoDB Local if not yet running; safe to call from many tests at once.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _startGate.WaitAsync(cancellationToken);
        try
        {
            if (_client is not null)
            {
                return;
            }

            var endpoint = Environment.GetEnvironmentVariable(EndpointVariable);
            if (!string.IsNullOrWhiteSpace(endpoint))
            {
                var url = endpoint.Trim().TrimEnd('/');
                await WaitUntilAnswersAsync(url, process: null, cancellationToken);
                Use(url);
                return;
            }

            var script = FindScript();
            await RunToCompletionAsync(script, "install", cancellationToken);
            for (var attempt = 1; ; attempt++)
            {
                var port = GetFreeLoopbackPort();
                var url = $"http://127.0.0.1:{port}";
                var process = StartProcess(script, port);
                try
                {
                    await WaitUntilAnswersAsync(url, process, cancellationToken);
                    _process = process;
                    _processTree = ProcessTree.DescendantsAndSelf(process.Id);
                    Use(url);
                    return;
                }
                catch (Exception) when (attempt < 3 && process.HasExited)
                {
                    // Most likely another process took the port between our probe and java's bind.
                    process.Dispose();
                }
                catch
                {
                    await StopAsync(process, ProcessTree.DescendantsAndSelf(process.Id));
                    throw;
                }
            }
        }
        finally
        {
            _startGate.Release();
        }
    }

    /// <summary>Creates another client for the same endpoint (the caller disposes it).</summary>
    public AmazonDynamoDBClient CreateClient() => CreateClient(ServiceUrl);

    /// <summary>A table name unique to this run, readable in logs: <c>{prefix}-{random}</c>.</summary>
    public static string UniqueTableName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 255)];

    /// <summary>Every item of a cluster's partition (silo rows and <c>$</c>-items), read consistently.</summary>
    public async Task<List<Dictionary<string, AttributeValue>>> QueryPartitionAsync(string tableName, string clusterId)
    {
        var response = await Client.QueryAsync(new QueryRequest
        {
            TableName = tableName,
            KeyConditionExpression = "#pk = :pk",
            ExpressionAttributeNames = new() { ["#pk"] = Orleans.Batch.Hosting.Membership.DynamoDB.DynamoDBMembershipSchema.PartitionKey },
            ExpressionAttributeValues = new() { [":pk"] = new AttributeValue { S = clusterId } },
            ConsistentRead = true,
        });
        return response.Items;
    }

    /// <summary>Deletes a table if it exists (test clean-up; keeps the in-memory database small).</summary>
    public async Task DeleteTableIfExistsAsync(string tableName)
    {
        try
        {
            await Client.DeleteTableAsync(new DeleteTableRequest { TableName = tableName });
        }
        catch (ResourceNotFoundException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_process is { } process)
        {
            await StopAsync(process, _processTree);
        }

        _startGate.Dispose();
    }

    private void Use(string url)
    {
        _serviceUrl = url;
        _client = CreateClient(url);
    }

    private static AmazonDynamoDBClient CreateClient(string url, int maxErrorRetry = 3, TimeSpan? timeout = null)
        => new(new BasicAWSCredentials("test", "test"), new AmazonDynamoDBConfig
        {
            ServiceURL = url,
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = maxErrorRetry,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
        });

    private Process StartProcess(string script, int port)
    {
        var startInfo = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { script, "run", "--port", port.ToString(), "--exit-with", Environment.ProcessId.ToString() })
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => _log.Add(e.Data);
        process.ErrorDataReceived += (_, e) => _log.Add(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start DynamoDB Local. {HowToGetIt}");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitUntilAnswersAsync(string url, Process? process, CancellationToken cancellationToken)
    {
        using var probe = CreateClient(url, maxErrorRetry: 0, timeout: TimeSpan.FromSeconds(5));
        var deadline = Stopwatch.StartNew();
        Exception? last = null;
        while (deadline.Elapsed < StartTimeout)
        {
            if (process is { HasExited: true })
            {
                throw new InvalidOperationException(
                    $"DynamoDB Local exited with code {process.ExitCode} before answering on {url}. {HowToGetIt}\nOutput:\n{_log}");
            }

            try
            {
                await probe.ListTablesAsync(new ListTablesRequest { Limit = 1 }, cancellationToken);
                return;
            }
            catch (Exception exception) when (exception is AmazonClientException or HttpRequestException or IOException or TaskCanceledException
                                              && !cancellationToken.IsCancellationRequested)
            {
                last = exception;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }

        throw new TimeoutException($"DynamoDB Local did not answer on {url} within {StartTimeout}. {HowToGetIt}\nLast error: {last?.Message}\nOutput:\n{_log}");
    }

    private static async Task RunToCompletionAsync(string script, string command, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(script);
        startInfo.ArgumentList.Add(command);
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not run {script}. {HowToGetIt}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{script} {command}' failed with exit code {process.ExitCode}. {HowToGetIt}\n{await output}{await error}");
        }
    }

    private static async Task StopAsync(Process process, IReadOnlyCollection<int> tree)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            using var timeout = new CancellationTokenSource(StopTimeout);
            await process.WaitForExitAsync(timeout.Token);
            var survivors = await ProcessTree.WaitUntilGoneAsync(tree, StopTimeout);
            if (survivors.Count > 0)
            {
                throw new InvalidOperationException(
                    $"DynamoDB Local processes {string.Join(", ", survivors)} are still running after being stopped.");
            }
        }
        finally
        {
            process.Dispose();
        }
    }

    private static int GetFreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Where tests/tools/dynamodb-local.sh installs DynamoDB Local: <c>$DYNAMODB_LOCAL_DIR</c>, else <c>.tools/dynamodb-local</c>
    /// in the repository (call <see cref="StartAsync"/> first, which installs it).
    /// </summary>
    public static string InstallDirectory() =>
        Environment.GetEnvironmentVariable("DYNAMODB_LOCAL_DIR") is { Length: > 0 } directory
            ? directory
            : Path.Combine(RepositoryPaths.Root, ".tools", "dynamodb-local");

    /// <summary>
    /// The environment that points <c>--backend rehearsal</c> at this DynamoDB Local: a running one
    /// (<c>DYNAMODB_ENDPOINT</c>) if the tests were given one, else the installed jar's folder (call <see cref="StartAsync"/> first).
    /// </summary>
    public static Dictionary<string, string> RehearsalEnvironment() =>
        Environment.GetEnvironmentVariable(EndpointVariable) is { Length: > 0 } endpoint
            ? new() { [EndpointVariable] = endpoint }
            : new() { ["DYNAMODB_LOCAL_DIR"] = InstallDirectory(), [EndpointVariable] = "" };

    private static string FindScript()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "tools", "dynamodb-local.sh");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"tests/tools/dynamodb-local.sh not found above {AppContext.BaseDirectory}. {HowToGetIt}");
    }

    /// <summary>Process trees from /proc (Linux), to check that every process started is gone.</summary>
    private static class ProcessTree
    {
        public static List<int> DescendantsAndSelf(int root)
        {
            var parents = new Dictionary<int, int>();
            foreach (var directory in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(directory), out var pid) && ParentOf(pid) is { } parent)
                {
                    parents[pid] = parent;
                }
            }

            var tree = new List<int> { root };
            for (var i = 0; i < tree.Count; i++)
            {
                tree.AddRange(parents.Where(pair => pair.Value == tree[i]).Select(pair => pair.Key));
            }

            return tree;
        }

        public static async Task<List<int>> WaitUntilGoneAsync(IReadOnlyCollection<int> pids, TimeSpan timeout)
        {
            var watch = Stopwatch.StartNew();
            while (true)
            {
                var alive = pids.Where(IsRunning).ToList();
                if (alive.Count == 0 || watch.Elapsed > timeout)
                {
                    return alive;
                }

                await Task.Delay(100);
            }
        }

        // A zombie (state Z) has exited and only waits for its parent to reap it.
        private static bool IsRunning(int pid) => ReadStat(pid) is { } stat && StateOf(stat) != 'Z';

        private static int? ParentOf(int pid)
            => ReadStat(pid) is { } stat && int.TryParse(stat[(stat.LastIndexOf(')') + 4)..].Split(' ')[0], out var parent) ? parent : null;

        private static char StateOf(string stat) => stat[stat.LastIndexOf(')') + 2];

        private static string? ReadStat(int pid)
        {
            try
            {
                return File.ReadAllText($"/proc/{pid}/stat");
            }
            catch (IOException)
            {
                return null;
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }
        }
    }

    /// <summary>The last lines of DynamoDB Local's output, for error messages.</summary>
    private sealed class BoundedLog
    {
        private readonly Queue<string> _lines = new();

        public void Add(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_lines)
            {
                _lines.Enqueue(line);
                while (_lines.Count > 50)
                {
                    _lines.Dequeue();
                }
            }
        }

        public override string ToString()
        {
            lock (_lines)
            {
                return new StringBuilder().AppendJoin('\n', _lines).ToString();
            }
        }
    }
}
