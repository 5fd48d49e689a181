using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Orleans.Batch.BatchEmulator.Processes;

/// <summary>
/// AWS DynamoDB Local (the official jar) run beside the emulator, so that one process is the whole rehearsal
/// environment: Batch, CloudWatch Logs and the membership table. In memory, <c>-sharedDb</c> (every access key sees
/// the same tables), on a free loopback port. A small shell watchdog stops it when the emulator is gone, even when
/// the emulator was killed and could not stop it itself.
/// </summary>
internal sealed class DynamoDBLocalProcess : IAsyncDisposable
{
    private const string Watchdog =
        """
        java -Djava.library.path="$1/DynamoDBLocal_lib" -jar "$1/DynamoDBLocal.jar" -inMemory -sharedDb -disableTelemetry -port "$2" &
        child=$!
        trap 'kill $child 2>/dev/null; wait $child; exit 0' TERM INT
        while kill -0 "$3" 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done
        kill $child 2>/dev/null
        wait $child
        """;

    private readonly Process _process;
    private readonly string _workingDirectory;

    private DynamoDBLocalProcess(Process process, Uri endpoint, string workingDirectory)
    {
        _process = process;
        Endpoint = endpoint;
        _workingDirectory = workingDirectory;
    }

    /// <summary>http://127.0.0.1:PORT/</summary>
    public Uri Endpoint { get; }

    /// <summary>The folder holding DynamoDBLocal.jar: <paramref name="directory"/> itself or its package/emulator.</summary>
    public static string FindJarDirectory(string directory)
    {
        foreach (var candidate in new[] { directory, Path.Combine(directory, "package", "emulator") })
        {
            if (File.Exists(Path.Combine(candidate, "DynamoDBLocal.jar")))
            {
                return Path.GetFullPath(candidate);
            }
        }

        throw new ArgumentException(
            $"--dynamodb-local '{directory}' holds no DynamoDBLocal.jar; unpack DynamoDB Local there (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DynamoDBLocal.DownloadingAndRunning.html, or tests/tools/dynamodb-local.sh install in this repository).");
    }

    public static async Task<DynamoDBLocalProcess> StartAsync(string directory, CancellationToken cancellationToken)
    {
        var jarDirectory = FindJarDirectory(directory);
        var port = FreePort();
        // DynamoDB Local writes a metadata file into its working directory: give it one of its own.
        var workingDirectory = Directory.CreateTempSubdirectory("dynamodb-local-").FullName;
        var info = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[] { "-c", Watchdog, "dynamodb-local", jarDirectory, port.ToString(System.Globalization.CultureInfo.InvariantCulture), Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(argument);
        }

        var output = new System.Text.StringBuilder();
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var local = new DynamoDBLocalProcess(process, new Uri($"http://127.0.0.1:{port}/"), workingDirectory);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                string text;
                lock (output)
                {
                    text = output.ToString().Trim();
                }

                throw new InvalidOperationException(
                    $"DynamoDB Local did not start (is Java 17+ on PATH? apt-get install default-jre-headless): {(text.Length > 500 ? text[^500..] : text)}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
                return local;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                await local.DisposeAsync().ConfigureAwait(false);
                throw new InvalidOperationException("DynamoDB Local did not listen within 60 s.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            PosixSignals.Send(_process.Id, PosixSignals.SigTerm);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_workingDirectory, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a file still held open stays in the temp directory
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
