namespace Orleans.Batch.Launcher.Grains.Demo;

/// <summary>
/// The demo: each silo reports its own identity. Keyed by silo name and placed on that silo, it is the
/// Orleans form of Julia's <c>@everywhere id = myid(); remotecall_fetch(() -> id, i)</c>.
/// </summary>
public interface ISiloIdentityGrain : IGrainWithStringKey
{
    /// <summary>Returns the identity of the silo this activation runs on.</summary>
    Task<SiloIdentity> GetIdentityAsync();
}
