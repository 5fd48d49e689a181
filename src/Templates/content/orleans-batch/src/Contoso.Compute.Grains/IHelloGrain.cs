namespace Contoso.Compute.Grains;

/// <summary>Says hello from the silo it runs on.</summary>
public interface IHelloGrain : IGrainWithStringKey
{
    /// <summary>A greeting naming the silo, its host and its process.</summary>
    Task<string> SayHelloAsync();
}
