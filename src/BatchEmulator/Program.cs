using System.CommandLine;
using Microsoft.Extensions.Logging;
using Orleans.Batch.BatchEmulator;
using Orleans.Batch.BatchEmulator.CommandLine;

var root = EmulatorCommandLine.Create(async (options, verbose, cancellationToken) =>
{
    BatchEmulatorHost host;
    try
    {
        host = await BatchEmulatorHost.StartAsync(
            options,
            TimeProvider.System,
            logging => logging
                .AddSimpleConsole(console => console.SingleLine = true)
                .AddFilter("Microsoft", LogLevel.Warning)
                .SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Information)
                .Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace),
            useConsoleLifetime: true,
            cancellationToken);
    }
    catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
    {
        await Console.Error.WriteLineAsync(ex.Message);
        return 2;
    }

    // Tests and rehearsals parse these lines: they must be the only things on stdout.
    if (host.DynamoDBEndpoint is { } dynamoDB)
    {
        Console.Out.WriteLine(BatchEmulatorHost.DynamoDBLinePrefix + dynamoDB.GetLeftPart(UriPartial.Authority));
    }

    Console.Out.WriteLine(BatchEmulatorHost.ReadyLinePrefix + host.BaseAddress.GetLeftPart(UriPartial.Authority));
    Console.Out.Flush();
    await host.WaitForShutdownAsync(CancellationToken.None);
    return 0;
});

// The host handles Ctrl+C and SIGTERM itself (graceful stop, job processes killed): no forced exit.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
