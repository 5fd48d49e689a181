namespace Orleans.Batch.Application;

/// <summary>
/// The entry point of an Orleans.Batch application: one executable that is the manager (by default) and its own
/// silo (<c>silo</c>, which is how the local backend and AWS Batch start it), with the whole command line.
/// </summary>
/// <example>
/// <code>
/// var app = OrleansBatchApplication.CreateBuilder(args);
/// app.ConfigureSilo(silo => silo.AddMemoryGrainStorage("state"));
/// return await app.RunAsync(async (cluster, context, cancellationToken) =>
/// {
///     await context.Output.WriteLineAsync($"Num silos: {cluster.Silos.Count}");
///     foreach (var silo in cluster.Silos)
///     {
///         var answer = await cluster.GetGrainOnSilo&lt;IHelloGrain&gt;(silo).SayHelloAsync();
///         await context.Output.WriteLineAsync($"Silo {silo.Index}: {answer}");
///     }
/// });
/// </code>
/// </example>
public static class OrleansBatchApplication
{
    /// <summary>Creates the builder of an application run with <paramref name="args"/> (its command line).</summary>
    /// <param name="args">The program's arguments.</param>
    /// <returns>The builder.</returns>
    public static OrleansBatchApplicationBuilder CreateBuilder(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new OrleansBatchApplicationBuilder(args);
    }
}
