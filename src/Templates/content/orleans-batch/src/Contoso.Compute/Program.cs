using Orleans.Batch.Application;
using Contoso.Compute.Grains;

// The manager runs the workload below against the cluster; each silo is this same program run with `silo`.
var app = OrleansBatchApplication.CreateBuilder(args);
app.ConfigureSilo(silo => { /* your grain storage, streams, serializers: silo.AddMemoryGrainStorage("state") */ });

return await app.RunAsync(async (cluster, context, cancellationToken) =>
{
    await context.Output.WriteLineAsync($"Num silos: {cluster.Silos.Count}");
    var tally = cluster.Client.GetGrain<ITallyGrain>("greetings");   // ordinary placement: Orleans picks the silo
    foreach (var silo in cluster.Silos)
    {
        var greeting = await cluster.GetGrainOnSilo<IHelloGrain>(silo).SayHelloAsync().WaitAsync(cancellationToken);
        await tally.AddAsync(1);
        await context.Output.WriteLineAsync($"Silo {silo.Index}: {greeting}");
    }

    await context.Output.WriteLineAsync($"Greetings counted: {await tally.GetAsync()}");
});
