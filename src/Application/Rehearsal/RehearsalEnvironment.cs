using System.Diagnostics;
using System.Globalization;
using System.Text;
using Orleans.Batch.Hosting.Cluster;

namespace Orleans.Batch.Application.Rehearsal;

/// <summary>
/// <c>--backend rehearsal</c>: the aws-batch path run on this machine, in one command. Starts the Batch emulator
/// (the <c>orleans-batch-emulator</c> tool) with DynamoDB Local beside it, pointed at this program (silo jobs as
/// processes) or at an image (silo jobs as containers, <c>--containers</c>), and stops both at the end. The emulator
/// runs in its own session, so that the terminal's Ctrl+C reaches only the manager, which tears its cluster down
/// first; and it watches this process, so that it stops every job even when the manager is killed.
/// </summary>
internal sealed class RehearsalEnvironment : IAsyncDisposable
{
    /// <summary>The queue and job definition the rehearsal creates.</summary>
    public const string QueueName = "rehearsal";

    /// <inheritdoc cref="QueueName"/>
    public const string DefinitionName = "rehearsal";

    /// <summary>The region the emulator signs for (any key pair works there).</summary>
    public const string Region = "us-east-1";

    /// <summary>Where to find the emulator when it is not on PATH.</summary>
    public const string EmulatorVariable = "ORLEANS_BATCH_EMULATOR";

    /// <summary>A folder with DynamoDB Local, when no running one is given.</summary>
    public const string DynamoDBLocalVariable = "DYNAMODB_LOCAL_DIR";

    /// <summary>A running DynamoDB Local to use instead of starting one.</summary>
    public const string DynamoDBEndpointVariable = "DYNAMODB_ENDPOINT";

    private const string EmulatorTool = "orleans-batch-emulator";
    private const string BatchReadyPrefix = "Batch emulator listening on ";
    private const string DynamoDBReadyPrefix = "DynamoDB Local listening on ";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);
    private static readonly string[] SetsidPaths = ["/usr/bin/setsid", "/bin/setsid"];

    private readonly Process _emulator;
    private readonly StringBuilder _errors;

    private RehearsalEnvironment(Process emulator, StringBuilder errors, Uri batchEndpoint, Uri dynamoDBEndpoint)
    {
        _emulator = emulator;
        _errors = errors;
        BatchEndpoint = batchEndpoint;
        DynamoDBEndpoint = dynamoDBEndpoint;
    }

    public Uri BatchEndpoint { get; }

    public Uri DynamoDBEndpoint { get; }

    /// <summary>One line for the console: what runs where.</summary>
    public string Describe(string? image) =>
        $"Rehearsal: Batch emulator at {BatchEndpoint.GetLeftPart(UriPartial.Authority)}, DynamoDB Local at {DynamoDBEndpoint.GetLeftPart(UriPartial.Authority)}; silo jobs run {(image is null ? "as processes of this program" : $"as containers of {image}")}";

    /// <summary>Starts the emulator (and DynamoDB Local) and waits until both serve requests.</summary>
    /// <exception cref="RehearsalException">Something the rehearsal needs is missing or did not start; the message says how to get it.</exception>
    public static async Task<RehearsalEnvironment> StartAsync(string? image, CancellationToken cancellationToken)
    {
        // The rehearsal never talks to AWS: test credentials for the emulator and DynamoDB Local, inherited by every job.
        Environment.SetEnvironmentVariable("AWS_ACCESS_KEY_ID", "rehearsal");
        Environment.SetEnvironmentVariable("AWS_SECRET_ACCESS_KEY", "rehearsal");
        Environment.SetEnvironmentVariable("AWS_SESSION_TOKEN", null);
        Environment.SetEnvironmentVariable("AWS_PROFILE", null);
        Environment.SetEnvironmentVariable("AWS_REGION", Region);

        var (emulatorFile, emulatorArguments) = FindEmulator();
        var arguments = new List<string>(emulatorArguments)
        {
            "--port", "0", "--queue", QueueName, "--job-definition", $"{DefinitionName}={image ?? DefinitionName}",
            "--region", Region, "--exit-with", Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
        };
        var runningDynamoDB = Environment.GetEnvironmentVariable(DynamoDBEndpointVariable) is { Length: > 0 } endpoint ? endpoint : null;
        if (runningDynamoDB is null)
        {
            var directory = Environment.GetEnvironmentVariable(DynamoDBLocalVariable);
            if (string.IsNullOrEmpty(directory))
            {
                throw new RehearsalException(
                    $"--backend rehearsal needs DynamoDB Local: set {DynamoDBLocalVariable} to the folder of an unpacked DynamoDB Local (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DynamoDBLocal.DownloadingAndRunning.html), or {DynamoDBEndpointVariable} to a running one");
            }

            arguments.AddRange(["--dynamodb-local", directory]);
        }
        else if (!Uri.TryCreate(runningDynamoDB, UriKind.Absolute, out _))
        {
            throw new RehearsalException($"{DynamoDBEndpointVariable} must be an http(s) URL such as http://127.0.0.1:8000, got '{runningDynamoDB}'");
        }

        if (image is null)
        {
            var (program, leading) = CurrentProgram.Get();
            arguments.AddRange(["--launcher", leading.Count > 0 ? leading[0] : program]);
        }
        else
        {
            arguments.Add("--containers");
        }

        var errors = new StringBuilder();
        var emulator = StartInOwnSession(emulatorFile, arguments, errors);
        try
        {
            var (batch, dynamoDB) = await ReadReadyLinesAsync(emulator, errors, cancellationToken).ConfigureAwait(false);
            return new RehearsalEnvironment(emulator, errors, batch, dynamoDB ?? new Uri(runningDynamoDB!));
        }
        catch
        {
            await StopAsync(emulator, baseAddress: null).ConfigureAwait(false);
            emulator.Dispose();
            throw;
        }
    }

    /// <summary>Stops the emulator (it stops its jobs and DynamoDB Local) and waits until it has.</summary>
    public async ValueTask DisposeAsync()
    {
        await StopAsync(_emulator, BatchEndpoint).ConfigureAwait(false);
        _emulator.Dispose();
    }

    /// <summary>
    /// Asks a ready emulator to shut down through its admin API (it stops every job, then DynamoDB Local); one that never
    /// became ready has started nothing, and is killed.
    /// </summary>
    private static async Task StopAsync(Process emulator, Uri? baseAddress)
    {
        if (emulator.HasExited)
        {
            return;
        }

        if (baseAddress is not null)
        {
            try
            {
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
                using var response = await http.PostAsync(new Uri(baseAddress, "_emulator/shutdown"), content: null).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // It no longer answers: the wait below ends in a kill.
            }

            using var wait = new CancellationTokenSource(StopTimeout);
            try
            {
                await emulator.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        if (!emulator.HasExited)
        {
            emulator.Kill(entireProcessTree: true);
            await emulator.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static (string File, IReadOnlyList<string> Arguments) FindEmulator()
    {
        if (Environment.GetEnvironmentVariable(EmulatorVariable) is { Length: > 0 } configured)
        {
            return File.Exists(configured)
                ? Runnable(Path.GetFullPath(configured))
                : throw new RehearsalException($"{EmulatorVariable} '{configured}' does not exist; point it at the orleans-batch-emulator executable or Orleans.Batch.BatchEmulator.dll");
        }

        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, EmulatorTool);
            if (File.Exists(candidate))
            {
                return (candidate, []);
            }
        }

        // An app that ships the emulator beside itself (our reference Launcher does, for rehearsals from the repository).
        var beside = Path.Combine(AppContext.BaseDirectory, "emulator", "Orleans.Batch.BatchEmulator.dll");
        return File.Exists(beside)
            ? Runnable(beside)
            : throw new RehearsalException(
                $"--backend rehearsal needs the Batch emulator: dotnet tool install --global Orleans.Batch.Emulator, or set {EmulatorVariable} to its path");
    }

    private static (string File, IReadOnlyList<string> Arguments) Runnable(string path) =>
        path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet", [path])
            : (path, []);

    private static Process StartInOwnSession(string file, IReadOnlyList<string> arguments, StringBuilder errors)
    {
        var setsid = SetsidPaths.FirstOrDefault(File.Exists);
        var info = new ProcessStartInfo(setsid ?? file)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (setsid is not null)
        {
            info.ArgumentList.Add(file);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new RehearsalException($"could not start the Batch emulator '{file}': {exception.Message}");
        }

        process.StandardInput.Close();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (errors)
                {
                    // Keep the tail: enough to explain a failed start.
                    errors.AppendLine(e.Data);
                    if (errors.Length > 8000)
                    {
                        errors.Remove(0, errors.Length - 8000);
                    }
                }
            }
        };
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<(Uri Batch, Uri? DynamoDB)> ReadReadyLinesAsync(Process emulator, StringBuilder errors, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        Uri? dynamoDB = null;
        while (true)
        {
            string? line;
            try
            {
                line = await emulator.StandardOutput.ReadLineAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new RehearsalException($"the Batch emulator did not start within {StartTimeout.TotalSeconds:0} s");
            }

            if (line is null)
            {
                await emulator.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                string text;
                lock (errors)
                {
                    text = errors.ToString().Trim();
                }

                var last = text.Split('\n').LastOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "no output";
                throw new RehearsalException($"the Batch emulator exited with {emulator.ExitCode} before it was ready: {last}");
            }

            if (line.StartsWith(DynamoDBReadyPrefix, StringComparison.Ordinal))
            {
                dynamoDB = new Uri(line[DynamoDBReadyPrefix.Length..].Trim());
            }
            else if (line.StartsWith(BatchReadyPrefix, StringComparison.Ordinal))
            {
                return (new Uri(line[BatchReadyPrefix.Length..].Trim()), dynamoDB);
            }
        }
    }
}
