namespace Orleans.Batch.Hosting.Cluster.Backends;

/// <summary>A silo the backend launched.</summary>
/// <param name="Index">Its index in the launch, 0-based (the Batch array index).</param>
/// <param name="Name">The Orleans silo name it will register with (Batch job id, or <c>local-&lt;index&gt;</c>).</param>
/// <param name="BackendId">The backend's handle: a Batch job id, or a process id.</param>
public sealed record LaunchedSilo(int Index, string Name, string BackendId);
