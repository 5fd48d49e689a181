using Orleans.Batch.Application;
using Orleans.Batch.Launcher.Workloads;

// Our reference app: the same public API a user's own app is built on (see the template). The first workload is the
// default; --workload montecarlo selects the other.
var app = OrleansBatchApplication.CreateBuilder(args);
app.AddWorkload(new DemoWorkload());
app.AddWorkload(new MonteCarloWorkload());
app.AddWorkload(new ElasticWorkload());
return await app.RunAsync();
