using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Orleans.Batch.BatchEmulator;

namespace Orleans.Batch.Tests.Infrastructure;

/// <summary>
/// One Batch emulator for one test, in-process (fast, the default) or as its own process (the command line path),
/// on a free loopback port, with a signed Batch client, the admin client and a job script. Disposing it stops the
/// emulator and asserts that no process it (or the job script) started is left running.
/// </summary>
public sealed class BatchEmulatorFixture : IAsyncDisposable
{
    public const string DefaultQueue = "test-queue";
    public const string DefaultDefinition = "test-job";
    public const string JobImage = "orleans-batch-launcher:test";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly HashSet<int> _jobProcessIds = [];
    private readonly HashSet<int> _jobProcessGroups = [];
    private readonly StringBuilder _emulatorOutput = new();
    private BatchEmulatorHost? _host;
    private Process? _emulatorProcess;
    private int _disposed;

    private BatchEmulatorFixture(TestScripts scripts)
    {
        Scripts = scripts;
    }

    public TestScripts Scripts { get; }

    public Uri BaseAddress { get; private set; } = null!;

    public BatchTestClient Batch { get; private set; } = null!;

    public EmulatorAdminClient Admin { get; private set; } = null!;

    /// <summary>The emulator's own process when started with <see cref="StartProcessAsync"/>.</summary>
    public Process? EmulatorProcess => _emulatorProcess;

    /// <summary>What an out-of-process emulator wrote to stdout and stderr so far.</summary>
    public string EmulatorOutput
    {
        get
        {
            lock (_emulatorOutput)
            {
                return _emulatorOutput.ToString();
            }
        }
    }

    /// <summary>
    /// Starts an in-process emulator whose launcher is the job script, with a 20 ms transition delay, a 1 s
    /// minimum timeout and a 5 s grace period (each can be changed by <paramref name="configure"/>).
    /// </summary>
    public static async Task<BatchEmulatorFixture> StartAsync(Action<BatchEmulatorOptions, TestScripts>? configure = null, TimeProvider? timeProvider = null)
    {
        var fixture = new BatchEmulatorFixture(new TestScripts());
        var options = new BatchEmulatorOptions
        {
            LauncherPath = fixture.Scripts.JobScript,
            TransitionDelay = TimeSpan.FromMilliseconds(20),
            MinimumTimeoutSeconds = 1,
            TerminationGracePeriod = TimeSpan.FromSeconds(5),
        };
        configure?.Invoke(options, fixture.Scripts);
        fixture._host = await BatchEmulatorHost.StartAsync(options, timeProvider ?? TimeProvider.System, configureLogging: null);
        fixture.Connect(fixture._host.BaseAddress);
        return fixture;
    }

    /// <summary>
    /// Starts the emulator executable (<c>dotnet Orleans.Batch.BatchEmulator.dll --port 0 ...</c>) and waits for
    /// its ready line. <paramref name="arguments"/> gets the job script to refer to.
    /// </summary>
    public static async Task<BatchEmulatorFixture> StartProcessAsync(Func<TestScripts, IEnumerable<string>> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var fixture = new BatchEmulatorFixture(new TestScripts());
        var emulatorDll = typeof(BatchEmulatorHost).Assembly.Location;
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(emulatorDll);
        info.ArgumentList.Add("--port");
        info.ArgumentList.Add("0");
        foreach (var argument in arguments(fixture.Scripts))
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var ready = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            fixture.Append("out: " + e.Data);
            if (e.Data.StartsWith(BatchEmulatorHost.ReadyLinePrefix, StringComparison.Ordinal))
            {
                ready.TrySetResult(new Uri(e.Data[BatchEmulatorHost.ReadyLinePrefix.Length..].Trim() + "/"));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                fixture.Append("err: " + e.Data);
            }
        };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("the emulator exited before it was ready"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        fixture._emulatorProcess = process;
        try
        {
            fixture.Connect(await ready.Task.WaitAsync(StartTimeout));
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            await fixture.DisposeAsync();
            throw new ShouldAssertException($"The emulator did not print its ready line: {ex.Message}. Output:\n{fixture.EmulatorOutput}");
        }

        return fixture;
    }

    /// <summary>The dotnet host running this test (the same one the emulator executable needs).</summary>
    public static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal) ? Environment.ProcessPath : "dotnet";

    /// <summary>Our own Batch client (Orleans.Batch.Hosting), signed with the test keys, pointed at this emulator; the caller disposes it.</summary>
    internal Orleans.Batch.Hosting.AwsBatch.AwsBatchClient CreateAwsBatchClient() => new(new Orleans.Batch.Hosting.AwsBatch.AwsBatchClientOptions
    {
        ServiceUrl = BaseAddress.ToString(),
        Region = "us-east-1",
        Credentials = new Amazon.Runtime.BasicAWSCredentials(BatchTestClient.AccessKey, BatchTestClient.SecretKey),
    });

    /// <summary>Creates (or replaces) a queue; <paramref name="settings"/> may add admin settings such as maxRunning.</summary>
    public async Task<JsonNode> CreateQueueAsync(string name = DefaultQueue, object? settings = null)
    {
        var body = settings is null ? new JsonObject() : System.Text.Json.JsonSerializer.SerializeToNode(settings)!.AsObject();
        body["name"] = name;
        return await Admin.PutQueueAsync(body.ToJsonString());
    }

    /// <summary>Registers a container job definition whose image stands for the job script.</summary>
    public async Task<JsonNode> RegisterDefinitionAsync(string name = DefaultDefinition, string[]? command = null, object? environment = null, object? extra = null)
    {
        var containerProperties = new JsonObject
        {
            ["image"] = JobImage,
            ["resourceRequirements"] = new JsonArray(new JsonObject { ["type"] = "VCPU", ["value"] = "1" }, new JsonObject { ["type"] = "MEMORY", ["value"] = "512" }),
        };
        if (command is not null)
        {
            containerProperties["command"] = new JsonArray(command.Select(c => (JsonNode)c!).ToArray());
        }

        if (environment is not null)
        {
            containerProperties["environment"] = System.Text.Json.JsonSerializer.SerializeToNode(environment);
        }

        var request = extra is null ? new JsonObject() : System.Text.Json.JsonSerializer.SerializeToNode(extra)!.AsObject();
        request["jobDefinitionName"] = name;
        request["type"] = "container";
        request["containerProperties"] = containerProperties;
        return (await Batch.CallAsync("RegisterJobDefinition", request.ToJsonString())).Ok();
    }

    /// <summary>Creates the default queue and definition, then submits a job running the job script with <paramref name="command"/>.</summary>
    public async Task<string> SubmitAsync(string[] command, object? extra = null, string queue = DefaultQueue, string definition = DefaultDefinition)
    {
        var request = extra is null ? new JsonObject() : System.Text.Json.JsonSerializer.SerializeToNode(extra)!.AsObject();
        request["jobName"] ??= "test-job";
        request["jobQueue"] = queue;
        request["jobDefinition"] = definition;
        var overrides = request["containerOverrides"]?.AsObject() ?? new JsonObject();
        overrides["command"] = new JsonArray(command.Select(c => (JsonNode)c!).ToArray());
        request["containerOverrides"] = overrides.DeepClone();
        return await Batch.SubmitJobAsync(request.ToJsonString());
    }

    /// <summary>Every log event of a job's current log stream, oldest first.</summary>
    public async Task<IReadOnlyList<string>> LogLinesAsync(string jobId)
    {
        var job = await Batch.DescribeJobAsync(jobId);
        var stream = job["container"]?["logStreamName"]?.GetValue<string>();
        stream.ShouldNotBeNull($"job {jobId} has no log stream yet");
        var events = (await Batch.GetLogEventsAsync(new { logGroupName = "/aws/batch/job", logStreamName = stream, startFromHead = true })).Ok()["events"]!.AsArray();
        return events.Select(e => e!["message"]!.GetValue<string>()).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        // Learn every process the emulator started before it goes away.
        try
        {
            await Admin.JobsAsync();
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or NullReferenceException)
        {
            // already stopped (a test shut it down); what it reported earlier is what we check
        }

        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_emulatorProcess is { } process)
        {
            await StopEmulatorProcessAsync(process);
        }

        var scriptPids = Scripts.RecordedProcessIds().ToHashSet();
        await ProcessTable.ShouldAllBeGoneAsync(
            p => _jobProcessGroups.Contains(p.ProcessGroupId)
                || _jobProcessIds.Contains(p.Pid)
                || (scriptPids.Contains(p.Pid) && (p.CommandLine.Contains(Scripts.Directory, StringComparison.Ordinal) || p.CommandLine.StartsWith("sleep", StringComparison.Ordinal)))
                || p.Pid == _emulatorProcess?.Id,
            TimeSpan.FromSeconds(10),
            "after the emulator stopped");

        Batch?.Dispose();
        Admin?.Dispose();
        _emulatorProcess?.Dispose();
        Scripts.Dispose();
    }

    private async Task StopEmulatorProcessAsync(Process process)
    {
        if (!process.HasExited)
        {
            try
            {
                await Admin.ShutdownAsync();
            }
            catch (HttpRequestException)
            {
            }
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new ShouldAssertException($"The emulator process did not exit within 20 s of a shutdown request. Output:\n{EmulatorOutput}");
        }
    }

    private void Connect(Uri baseAddress)
    {
        BaseAddress = baseAddress;
        Batch = new BatchTestClient(baseAddress);
        Admin = new EmulatorAdminClient(baseAddress, RecordJobProcesses);
    }

    private void RecordJobProcesses(JsonArray jobs)
    {
        lock (_jobProcessIds)
        {
            foreach (var job in jobs)
            {
                foreach (var pid in job!["processIds"]?.AsArray() ?? [])
                {
                    _jobProcessIds.Add(pid!.GetValue<int>());
                }

                foreach (var group in job["processGroupIds"]?.AsArray() ?? [])
                {
                    _jobProcessGroups.Add(group!.GetValue<int>());
                }
            }
        }
    }

    private void Append(string line)
    {
        lock (_emulatorOutput)
        {
            _emulatorOutput.AppendLine(line);
        }
    }
}
